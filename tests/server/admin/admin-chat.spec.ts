import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminConfig } from "shared/config/admin-config";
import { kickMessage, KickReason } from "shared/kick-reason";
import type { AlertService } from "server/operations/alert-service";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { adminControllerOf, chatOf, joinAs, lastAuditOf, PEOPLE, say, startAdminServer } from "./admin-world";

function textChat(client: HeadlessClient) {
	return client.game.GetService("TextChatService");
}

/** The alias of every admin chat command on the client. */
function chatCommands(client: HeadlessClient): string[] {
	const aliases: string[] = [];
	for (const descendant of textChat(client).GetDescendants()) {
		if (descendant.IsA("TextChatCommand")) aliases.push(descendant.PrimaryAlias);
	}
	table.sort(aliases);
	return aliases;
}

describe("admin commands from chat", () => {
	const world = new World();
	afterAll(() => world.stop());
	const { server, systems } = startAdminServer(world);
	systems.admin.configureRateLimit(100, 100);

	it("offers an admin their commands and shows the answer to them alone", () => {
		const admin = joinAs(world, server, "admin");
		const visitor = joinAs(world, server, "none");
		Headless.frames(2);
		expect(chatCommands(admin.client)).toContain("/systemstatus");
		expect(chatCommands(admin.client)).toContain("/forcebackup");
		expect(chatCommands(admin.client)).never.toContain("/maintenance");
		const seen = chatOf(admin.client);
		const visitorSeen = chatOf(visitor.client);
		say(admin.client, "/systemstatus");
		waitUntil(() => seen.size() === 1, 5, "the status in chat");
		// The guide's word for the overall status, then the health word.
		expect(seen[0]).toMatch("^System Status: OPERATIONAL %(healthy%) — 2 players");
		expect(seen[0]).toMatch("\n  dataBackup: OPERATIONAL %(");
		say(admin.client, "/status");
		say(admin.client, "/backup full");
		waitUntil(() => seen.size() === 3, 10, "two more answers");
		expect(seen[1]).toMatch("^System Status: OPERATIONAL");
		expect(seen[2]).toMatch("^Backup %d+_%d+ %(full%)");
		expect(lastAuditOf(systems.audit, PEOPLE.admin.userId, "forcebackup")!.args).toBe("full");
		Headless.frames(2);
		expect(visitorSeen).toEqual([]);
	});

	it("answers a malformed chat command with its usage, without calling the server", () => {
		const owner = joinAs(world, server, "owner");
		const seen = chatOf(owner.client);
		const before = systems.audit.recent(500).size();
		say(owner.client, "/rollback someone yesterday");
		waitUntil(() => seen.size() === 1, 5, "the usage");
		expect(seen[0]).toBe("usage: /rollback <userId> <unix time>");
		expect(systems.audit.recent(500).size()).toBe(before);
		say(owner.client, "/audit 3");
		waitUntil(() => seen.size() === 2, 5, "the audit");
		expect(seen[1]).toMatch("^Audit:");
	});

	it("gives a visitor no admin commands, so their line is ordinary chat that never runs anything", () => {
		const visitor = world.join(server, { ...PEOPLE.none, userId: 5001, name: "Visitor2" });
		waitUntil(() => visitor.localPlayer() !== undefined, 10, "the visitor's join");
		Headless.seconds(1);
		expect(chatCommands(visitor)).toEqual([]);
		const before = systems.audit.recent(500).size();
		// Ordinary chat goes to other users, which the engine does not emulate; what matters is
		// that no command intercepted it and nothing ran on the server.
		expect(() => say(visitor, "/forcebackup full")).toThrow("not emulated");
		Headless.frames(3);
		expect(systems.audit.recent(500).size()).toBe(before);
	});

	it("gives a moderator only the moderator commands", () => {
		const moderator = joinAs(world, server, "moderator");
		Headless.frames(2);
		expect(chatCommands(moderator.client)).toEqual(["/alerts", "/modlog", "/systemstatus"]);
		const seen = chatOf(moderator.client);
		say(moderator.client, "/modlog");
		waitUntil(() => seen.size() === 1, 5, "the moderation log");
		expect(seen[0]).toMatch("^Moderation log");
	});

	it("pushes alerts to players whose role reads them, shown in chat and on the controller's signal", () => {
		const moderator = adminControllerOf(world.join(server, { userId: 702, name: "Mod2", groupRanks: { 4242: 150 } }));
		waitUntil(() => moderator.currentAccess().role === "moderator", 10, "the moderator's access");
		const alerts: string[] = [];
		moderator.alertReceived.Connect((alert) => alerts.push(alert.message));
		// Raised the way operations raise every alert: AlertService, then AdminService sends it on.
		singletonOf<AlertService>(server, "ServerScriptService.TS.operations.alert-service", "AlertService").raise("warning", "dataBackup", "2 backups failed");
		waitUntil(() => alerts.size() === 1, 5, "the alert");
		expect(alerts).toEqual(["2 backups failed"]);
	});
});

describe("who is an admin where", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("makes the Studio play-solo player owner, and the same player nobody on a live server", () => {
		const studio = startAdminServer(world, { studio: true });
		const live = startAdminServer(world);
		const developer = adminControllerOf(world.join(studio.server, { userId: 31337, name: "Developer" }));
		waitUntil(() => developer.currentAccess().role === "owner", 10, "the Studio player's access");
		expect(developer.currentAccess().commands.size()).toBe(15);
		const same = world.join(live.server, { userId: 31337, name: "Developer" });
		Headless.seconds(1);
		expect(adminControllerOf(same).currentAccess().role).toBe("none");
		expect(live.systems.roles.roleOf(same.player)).toBe("none");
	});

	it("makes a private server's owner a moderator of that server only", () => {
		const owned = startAdminServer(world, { privateServerId: "vip-7", privateServerOwnerId: 4444 });
		const host = world.join(owned.server, { userId: 4444, name: "Host" });
		const owner = adminControllerOf(host);
		const guest = world.join(owned.server, { userId: 4445, name: "Guest" });
		waitUntil(() => owner.currentAccess().role === "moderator", 10, "the host's access");
		Headless.frames(2);
		expect(chatCommands(host)).toEqual(["/alerts", "/modlog", "/systemstatus"]);
		expect(owned.systems.roles.roleOf(guest.player)).toBe("none");
		// Turning the source off takes the role away, and the chat commands with it.
		owned.systems.roles.configure({ privateServerOwnerIsModerator: false });
		waitUntil(() => owner.currentAccess().role === "none", 10, "the host's new access");
		Headless.frames(2);
		expect(chatCommands(host)).toEqual([]);
	});

	it("reads roles from group ranks: the highest threshold reached wins", () => {
		const { server, systems } = startAdminServer(world);
		systems.roles.configure({ groupId: 99 });
		const ranks = [0, 99, 100, 199, 200, 254, 255];
		const roles = ranks.map((rank, index) => {
			const client = world.join(server, { userId: 8000 + index, name: `Ranked${rank}`, runScripts: false, groupRanks: { 99: rank } });
			return systems.roles.roleOf(client.player);
		});
		expect(roles).toEqual(["none", "none", "moderator", "moderator", "admin", "admin", "owner"]);
	});

	it("maintenance takes an emergency backup, answers the owner, then removes everyone with the spec's message", () => {
		const { server } = startAdminServer(world);
		const owner = joinAs(world, server, "owner");
		const visitor = joinAs(world, server, "none");
		const reply = owner.controller.maintenance();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result.backupSucceeded).toBe(true);
		expect(reply.result.backupId).toBeDefined();
		expect(reply.result.playersToKick).toBe(2);
		expect(visitor.client.isAlive()).toBe(true);
		Headless.seconds(AdminConfig.maintenanceKickDelay + 1);
		expect(visitor.client.kickReason()).toBe(kickMessage(KickReason.Maintenance));
		expect(owner.client.kickReason()).toBe(kickMessage(KickReason.Maintenance));
	});
});
