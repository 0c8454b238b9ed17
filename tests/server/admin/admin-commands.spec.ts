import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { AdminController } from "client/admin/admin-controller";
import { AdminCommandName, AdminRefusal, AdminReply, AdminResponse } from "shared/admin/admin-types";
import { AdminConfig } from "shared/config/admin-config";
import { waitUntil, World } from "../../harness/world";
import { placeChairs } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { AdminSystems, joinAs, lastAuditOf, PEOPLE, Standing, STANDINGS, startAdminServer } from "./admin-world";

const RANK: Record<Standing, number> = { none: 0, moderator: 1, admin: 2, owner: 3 };

/** How each command is called from a real client for the "may run" and "refused" cases. */
const CALLS: Record<Exclude<AdminCommandName, "maintenance">, (controller: AdminController) => AdminReply<unknown>> = {
	systemstatus: (c) => c.systemStatus(),
	systemreport: (c) => c.systemReport(),
	forcecleanup: (c) => c.forceCleanup(),
	forcebackup: (c) => c.forceBackup(true),
	recover: (c) => c.recover("LATEST", PEOPLE.none.userId, true),
	rollback: (c) => c.rollback(PEOPLE.none.userId, 1000),
	restartsystem: (c) => c.restartSystem("dataBackup"),
	// Off, so the matrix leaves building on; on and off are shown in admin-operations.spec.
	emergency: (c) => c.emergency(false),
	modlog: (c) => c.modLog(),
	fleet: (c) => c.fleet(),
	preflight: (c) => c.preflight(),
	alerts: (c) => c.alerts(),
	audit: (c) => c.audit(10),
	announce: (c) => c.announce("Servers restart at noon"),
};

/** Commands served by the operations system: each answers with its real result for an allowed role. */
const OPERATIONS = new Set<AdminCommandName>(["systemreport", "forcecleanup", "restartsystem", "emergency", "fleet", "preflight", "alerts"]);

describe("admin commands from real clients", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: AdminSystems;
	const controllers = new Map<Standing, AdminController>();
	const clients = new Map<Standing, HeadlessClient>();
	afterAll(() => world.stop());

	beforeAll(() => {
		({ server, systems } = startAdminServer(world));
		systems.admin.configureRateLimit(1000, 1000);
		for (const standing of STANDINGS) {
			const { client, controller } = joinAs(world, server, standing);
			controllers.set(standing, controller);
			clients.set(standing, client);
		}
		placeChairs(server, PEOPLE.none.userId, 2);
	});

	it("tells each player their role and exactly the commands it allows", () => {
		expect(controllers.get("none")!.currentAccess().commands).toEqual([]);
		const moderator = controllers.get("moderator")!.currentAccess();
		expect(moderator.role).toBe("moderator");
		expect(moderator.commands).toEqual(["alerts", "modlog", "systemstatus"]);
		expect(controllers.get("admin")!.currentAccess().commands).toContain("forcebackup");
		expect(controllers.get("admin")!.currentAccess().commands).never.toContain("maintenance");
		expect(controllers.get("owner")!.currentAccess().commands.size()).toBe(15);
	});

	for (const [name, call] of pairs(CALLS)) {
		const minimum = AdminConfig.minimumRole[name];
		it(`${name}: runs for ${minimum}, refused and audited for every lower role`, () => {
			for (const standing of STANDINGS) {
				const person = PEOPLE[standing];
				const reply = call(controllers.get(standing)!);
				const entry = lastAuditOf(systems.audit, person.userId, name);
				expect(entry).toBeDefined();
				expect(entry!.role).toBe(standing);
				expect(entry!.jobId).toBe(server.jobId);
				if (RANK[standing] < RANK[minimum]) {
					expect(reply).toEqual({ ok: false, refusal: AdminRefusal.NotAllowed, message: expect.any("string") });
					expect(entry!.allowed).toBe(false);
					expect(entry!.result).toBe(AdminRefusal.NotAllowed);
				} else if (OPERATIONS.has(name)) {
					expect(reply.ok).toBe(true);
					expect(entry!.allowed).toBe(true);
				} else {
					// Allowed: it ran (a command may still fail on its own, e.g. a rollback with no version to go back to).
					expect(entry!.allowed).toBe(true);
					expect(entry!.result).never.toBe(AdminRefusal.NotAllowed);
					if (!reply.ok) expect(reply.refusal).toBe(AdminRefusal.Failed);
				}
			}
		});
	}

	it("maintenance: refused and audited for every role below owner, and nobody is removed", () => {
		for (const standing of ["admin", "moderator", "none"] as Standing[]) {
			const reply = controllers.get(standing)!.maintenance("should not happen");
			expect(reply).toEqual({ ok: false, refusal: AdminRefusal.NotAllowed, message: expect.any("string") });
			const entry = lastAuditOf(systems.audit, PEOPLE[standing].userId, "maintenance");
			expect(entry).toMatchObject({ role: standing, allowed: false, result: AdminRefusal.NotAllowed });
		}
		Headless.seconds(AdminConfig.maintenanceKickDelay + 1);
		for (const standing of STANDINGS) expect(clients.get(standing)!.isAlive()).toBe(true);
	});

	it("systemstatus shows the server's health from SystemManager", () => {
		const reply = controllers.get("moderator")!.systemStatus();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result.overall).toBe("healthy");
		expect(reply.result.players).toBe(4);
		expect(reply.result.objects).toBe(2);
		expect(reply.result.jobId).toBe(server.jobId);
		expect(reply.result.systems[0].name).toBe("dataBackup");
		// Every critical system, from getSystemStatus(), with its reason.
		const names = reply.result.systems.map((line) => line.name);
		for (const name of ["analytics", "conflictResolver", "memoryManager", "moderation", "placementTracker"]) expect(names).toContain(name);
		for (const line of reply.result.systems) expect(line.state).toBe("healthy");
	});

	it("forcebackup takes a full backup, and recover previews it for a player", () => {
		const backup = controllers.get("admin")!.forceBackup(true);
		expect(backup.ok).toBe(true);
		if (!backup.ok) return;
		expect(backup.result.kind).toBe("full");
		expect(backup.result.backupId).toBeDefined();
		expect(backup.result.placements).toBe(2);
		const recovery = controllers.get("admin")!.recover("LATEST", PEOPLE.none.userId, true);
		expect(recovery.ok).toBe(true);
		if (!recovery.ok) return;
		expect(recovery.result.preview).toBe(true);
		expect(recovery.result.players[0].userId).toBe(PEOPLE.none.userId);
		expect(recovery.result.players[0].objectsAfter).toBe(2);
	});

	it("recover LATEST for every player puts back what was removed since the backup", () => {
		const world = systemsOf(server);
		const visitor = server.game.GetService("Players").GetPlayerByUserId(PEOPLE.none.userId)!;
		const owned: string[] = [];
		for (const [id] of world.tracker.ownedBy(PEOPLE.none.userId)) owned.push(id);
		expect(owned.size()).toBe(2);
		expect(world.systems.removeObject(visitor, owned[0]).success).toBe(true);
		expect(world.tracker.ownedBy(PEOPLE.none.userId).size()).toBe(1);
		const recovery = controllers.get("admin")!.recover("LATEST", "all", false);
		expect(recovery.ok).toBe(true);
		if (!recovery.ok) return;
		expect(recovery.result.preview).toBe(false);
		const visitorRecovery = recovery.result.players.find((entry) => entry.userId === PEOPLE.none.userId);
		expect(visitorRecovery?.objectsAfter).toBe(2);
		expect(world.tracker.ownedBy(PEOPLE.none.userId).size()).toBe(2);
		expect(world.tracker.get(owned[0])).toBeDefined();
		const audited = lastAuditOf(systems.audit, PEOPLE.admin.userId, "recover")!;
		expect(audited.allowed).toBe(true);
		expect(audited.args).toMatch("all");
	});

	it("rollback reaches the profile's version history and reports what it found", () => {
		const reply = controllers.get("admin")!.rollback(PEOPLE.none.userId, 1000);
		expect(reply.ok).toBe(false);
		if (reply.ok) return;
		expect(reply.refusal).toBe(AdminRefusal.Failed);
		expect(reply.message).toMatch("no version");
	});

	it("announce shows the message to everyone on the server", () => {
		const heard: string[] = [];
		controllers.get("none")!.announcementReceived.Connect((message) => heard.push(message));
		const reply = controllers.get("admin")!.announce("Back in five");
		expect(reply).toEqual({ ok: true, result: { delivered: 4 } });
		waitUntil(() => heard.size() > 0, 5, "the announcement");
		expect(heard).toEqual(["Back in five"]);
	});

	it("modlog and audit read back what happened", () => {
		const modlog = controllers.get("moderator")!.modLog(PEOPLE.none.userId);
		expect(modlog.ok).toBe(true);
		const audit = controllers.get("admin")!.audit(100);
		expect(audit.ok).toBe(true);
		if (!audit.ok) return;
		const refused = audit.result.filter((entry) => entry.userId === PEOPLE.none.userId && !entry.allowed);
		expect(refused.size()).toBeGreaterThan(5);
		expect(audit.result.some((entry) => entry.command === "announce" && entry.args === "Back in five" && entry.allowed)).toBe(true);
	});

	it.each([
		["an unknown command", { name: "format-disk" }],
		["a string user id", { name: "rollback", userId: "9001", unixTime: 5 }],
		["a NaN count", { name: "audit", count: 0 / 0 }],
		["a missing scope", { name: "forcebackup", full: true }],
		["a number as the message", { name: "announce", message: 5, scope: "server" }],
		["a table pretending to be a command", 42],
		["an Instance-like table as the scope", { name: "maintenance", scope: { ClassName: "Folder" } }],
	])("answers %s with InvalidArguments before any system runs, and audits it", (_, payload) => {
		for (const standing of ["owner", "none"] as Standing[]) {
			const reply = controllers.get(standing)!.run(payload as never);
			expect(reply).toEqual({ ok: false, refusal: AdminRefusal.InvalidArguments, message: expect.any("string") });
			Headless.frames(1);
			// A player with no role has one such entry per batch (their malformed calls fold into it).
			const entries = systems.audit.recent(100).filter((entry) => entry.userId === PEOPLE[standing].userId);
			expect(entries[entries.size() - 1].command).toBe("?");
			expect(entries[entries.size() - 1].args).toMatch("^%(malformed payload");
			expect(entries[entries.size() - 1].allowed).toBe(false);
		}
	});

	it.each([
		["a fractional user id", { name: "rollback", userId: 1.5, unixTime: 1000 }, "user id"],
		["a negative user id", { name: "modlog", userId: -3 }, "user id"],
		["a time in the future", { name: "rollback", userId: 5000, unixTime: os.time() + 86400 }, "future"],
		["an infinite time", { name: "rollback", userId: 5000, unixTime: math.huge }, "Unix seconds"],
		["an audit of a million entries", { name: "audit", count: 1e6 }, "between 1 and"],
		["a message over the length limit", { name: "announce", message: string.rep("a", 201), scope: "server" }, "longer than"],
		["a blank message", { name: "announce", message: "   ", scope: "all" }, "empty"],
		["a backup id that is not one", { name: "recover", target: "../../etc", preview: true }, "LATEST or an id"],
		["a system name with spaces", { name: "restartsystem", system: "data backup" }, "not valid"],
	])("refuses %s with the reason, and audits it", (_, command, reason) => {
		const reply = controllers.get("owner")!.run(command as never) as AdminResponse;
		expect(reply.ok).toBe(false);
		if (reply.ok) return;
		expect(reply.refusal).toBe(AdminRefusal.InvalidArguments);
		expect(reply.message).toMatch(reason);
		const entry = lastAuditOf(systems.audit, PEOPLE.owner.userId, (command as { name: string }).name);
		expect(entry!.result).toMatch(AdminRefusal.InvalidArguments);
	});

	it("lets a moderator remove another player's object, and a visitor not", () => {
		const owned = placeChairs(server, PEOPLE.admin.userId, 2, 10);
		const manager = systemsOf(server).systems;
		const visitor = server.game.GetService("Players").GetPlayerByUserId(PEOPLE.none.userId)!;
		const moderator = server.game.GetService("Players").GetPlayerByUserId(PEOPLE.moderator.userId)!;
		expect(manager.removeObject(visitor, owned[0]).success).toBe(false);
		expect(manager.removeObject(moderator, owned[0]).success).toBe(true);
	});
});
