import type { AdminController } from "client/admin/admin-controller";
import type { AdminRoleService } from "server/admin/admin-role-service";
import type { AdminService } from "server/admin/admin-service";
import type { AuditService } from "server/admin/audit-service";
import type { AdminCommandOutcome, AuditEntry, FleetAnswer } from "shared/admin/admin-types";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { PERMISSIVE, systemsOf } from "../placement/placement-world";

const ROOT = "ServerScriptService.TS";

/** The group specs use for moderators: rank 100 in it makes a moderator. */
export const MODERATOR_GROUP = 4242;

/** One player of each standing: the user-id owner and admin, a group moderator, everyone else. */
export const PEOPLE = {
	owner: { userId: 1, name: "Owner" },
	admin: { userId: 9001, name: "Admin" },
	moderator: { userId: 700, name: "Moderator", groupRanks: { [MODERATOR_GROUP]: 100 } },
	none: { userId: 5000, name: "Visitor" },
} as const;

export type Standing = keyof typeof PEOPLE;
export const STANDINGS: Standing[] = ["owner", "admin", "moderator", "none"];

export interface AdminSystems {
	readonly admin: AdminService;
	readonly roles: AdminRoleService;
	readonly audit: AuditService;
}

export function adminSystemsOf(server: HeadlessServer): AdminSystems {
	return {
		admin: singletonOf(server, `${ROOT}.admin.admin-service`, "AdminService"),
		roles: singletonOf(server, `${ROOT}.admin.admin-role-service`, "AdminRoleService"),
		audit: singletonOf(server, `${ROOT}.admin.audit-service`, "AuditService"),
	};
}

export function adminControllerOf(client: HeadlessClient): AdminController {
	const name = client.localPlayer()!.Name;
	return singletonOf(client, `Players.${name}.PlayerScripts.TS.admin.admin-controller`, "AdminController");
}

/** A game server whose role sources include the moderators' group. */
export function startAdminServer(world: World, options: HeadlessServerOptions = {}) {
	const server = world.startServer({ dataStore: Headless.newDataStore(), ...options });
	const systems = adminSystemsOf(server);
	systems.roles.configure({ groupId: MODERATOR_GROUP });
	systemsOf(server).moderation.configure(PERMISSIVE);
	return { server, systems };
}

/** Admin servers of one experience (`dataStore`), one per name: a fleet for commands sent to every server. */
export function startAdminFleet(world: World, dataStore: HeadlessDataStore, names: readonly string[]) {
	return names.map((name) => startAdminServer(world, { dataStore, name }));
}

/** Waits until `server`'s fleet view lists `count` live servers (who a command sent to every server expects to answer). */
export function waitForFleetView(server: HeadlessServer, count: number) {
	const manager = systemsOf(server).systems;
	waitUntil(() => manager.getFleetStatus().size() === count, 15, "every server in the fleet view");
}

/** The rows of a per-server table by job id. */
export function byJob(servers: readonly FleetAnswer[]): Map<string, FleetAnswer> {
	return new Map(servers.map((answer) => [answer.jobId, answer]));
}

/** What a server still storing a full backup says of it. */
export const FULL_BACKUP_PROGRESS = "The full backup is still being stored (it waits for any backup already running, then for the DataStore).";

/** Joins one of PEOPLE (client scripts running) and waits until the server told them their role. */
export function joinAs(world: World, server: HeadlessServer, standing: Standing) {
	const person = PEOPLE[standing];
	const client = world.join(server, { ...person });
	const controller = adminControllerOf(client);
	waitUntil(() => controller.currentAccess().role === standing, 10, `${person.name}'s admin access`);
	const { builds } = systemsOf(server);
	waitUntil(() => builds.isLoaded(person.userId), 60, `${person.name}'s build to load`);
	return { client, controller };
}

/** Audit entries of one caller for one command, oldest first, from the server's memory. */
export function auditOf(audit: AuditService, userId: number, command: string): AuditEntry[] {
	return audit.recent(500).filter((entry) => entry.userId === userId && entry.command === command);
}

/** The newest audit entry of a caller for a command, from the server's memory. */
export function lastAuditOf(audit: AuditService, userId: number, command: string): AuditEntry | undefined {
	const entries = auditOf(audit, userId, command);
	return entries[entries.size() - 1];
}

/** Types a line into the chat box, as the player would. */
export function say(client: HeadlessClient, text: string) {
	const general = client.game.GetService("TextChatService").WaitForChild("TextChannels").WaitForChild("RBXGeneral") as TextChannel;
	general.SendAsync(text);
}

/** System messages the player sees in chat from now on. */
export function chatOf(client: HeadlessClient): string[] {
	const seen: string[] = [];
	client.game.GetService("TextChatService").MessageReceived.Connect((message) => seen.push(message.Text));
	return seen;
}

/** Outcomes the admin's client is sent from now on (commands answered under way, servers listed under way). */
export function outcomesOf(controller: AdminController): AdminCommandOutcome[] {
	const seen: AdminCommandOutcome[] = [];
	controller.commandFinished.Connect((outcome) => seen.push(outcome));
	return seen;
}

export { inBackground } from "../../harness/world";

/** The ticket of an answer "under way" (-1 for any other answer). */
export function ticketOf(answer: unknown): number {
	return (answer as { underWay?: { ticket: number } } | undefined)?.underWay?.ticket ?? -1;
}
