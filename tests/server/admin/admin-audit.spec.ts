import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { AdminRefusal, AuditEntry } from "shared/admin/admin-types";
import { AdminConfig, AuditConfig } from "shared/config/admin-config";
import { World } from "../../harness/world";
import { adminSystemsOf, auditOf, joinAs, PEOPLE, startAdminServer } from "./admin-world";

/**
 * An audit store of its own on `server` retaining `retainedBatches` (no budget reserve, never
 * shutting down), the audit's DataStore, and a one-entry batch for a command.
 */
function standaloneAuditStore(server: HeadlessServer, retainedBatches: number) {
	const audits = server.requirePath("ServerScriptService.TS.admin.audit-store") as typeof import("server/admin/audit-store");
	const requests = server.requirePath("ServerScriptService.TS.data-backup.backup-requests") as typeof import("server/data-backup/backup-requests");
	const store = new audits.AuditStore(new requests.BackupRequests(() => 0, () => false), retainedBatches);
	const dataStore = server.game.GetService("DataStoreService").GetDataStore("AdminAudit");
	const batch = (command: string): AuditEntry[] => [
		{ time: 0, jobId: server.jobId, userId: 1, userName: "Owner", role: "owner", command, args: "", allowed: true, result: "ok", repeats: 0 },
	];
	return { store, dataStore, batch };
}

describe("the admin audit", () => {
	const world = new World();
	afterEach(() => world.stop());


	it("is written to its own DataStore on shutdown and read back by the next server", () => {
		const dataStore = Headless.newDataStore();
		const first = startAdminServer(world, { dataStore });
		const owner = joinAs(world, first.server, "owner");
		const visitor = joinAs(world, first.server, "none");
		expect(owner.controller.systemStatus().ok).toBe(true);
		expect(visitor.controller.forceBackup().ok).toBe(false);
		Headless.stopServer(first.server);
		Headless.frames(2);

		const second = startAdminServer(world, { dataStore });
		const reader = joinAs(world, second.server, "admin");
		const reply = reader.controller.audit(10);
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		const fromFirst = reply.result.filter((entry) => entry.jobId === first.server.jobId);
		expect(fromFirst.map((entry) => [entry.userName, entry.role, entry.command, entry.allowed, entry.result])).toEqual([
			["Owner", "owner", "systemstatus", true, "ok: ok"],
			["Visitor", "none", "forcebackup", false, AdminRefusal.NotAllowed],
		]);
	});

	it("stores refused calls whose text a client sent as invalid UTF-8, or long enough to be cut inside a character", () => {
		const dataStore = Headless.newDataStore();
		const first = startAdminServer(world, { dataStore });
		const visitor = joinAs(world, first.server, "none");
		// "é" is 2 bytes: the kept arguments end before byte 200, the first byte of the 100th one.
		expect(visitor.controller.announce(`a${string.rep("é", 150)}`).ok).toBe(false);
		expect(visitor.controller.run({ name: "restartsystem", system: `x${string.char(0xff)}y` }).ok).toBe(false);
		// A batch holding either would be refused by the DataStore at every attempt.
		expect(first.systems.audit.flush()).toBe(true);
		expect(first.systems.audit.stats()).toMatchObject({ batchesWritten: 1, failedWrites: 0, pending: 0 });
		Headless.stopServer(first.server);
		Headless.frames(2);

		const second = startAdminServer(world, { dataStore });
		const stored = second.systems.audit.read(10).filter((entry) => entry.jobId === first.server.jobId);
		expect(stored.map((entry) => [entry.command, entry.result])).toEqual([
			["announce", AdminRefusal.NotAllowed],
			["restartsystem", AdminRefusal.NotAllowed],
		]);
		expect(stored[0].args).toBe(`a${string.rep("é", 99)}`);
		expect(stored[1].args).toBe("x?y");
	});

	it("writes batches on its interval, so a crash loses at most the last interval", () => {
		const dataStore = Headless.newDataStore();
		const first = startAdminServer(world, { dataStore });
		const owner = joinAs(world, first.server, "owner");
		owner.controller.systemStatus();
		Headless.seconds(AuditConfig.flushIntervalSeconds + 2);
		expect(first.systems.audit.stats().batchesWritten).toBe(1);
		owner.controller.modLog();
		Headless.crashServer(first.server);

		const second = startAdminServer(world, { dataStore });
		const entries = second.systems.audit.read(10).filter((entry) => entry.jobId === first.server.jobId);
		expect(entries.map((entry) => entry.command)).toEqual(["systemstatus"]);
	});

	it("keeps a batch whose write failed and writes it with the next one", () => {
		const { server, systems } = startAdminServer(world);
		const owner = joinAs(world, server, "owner");
		owner.controller.systemStatus();
		// Every attempt of the first flush fails; the entries stay pending.
		server.dataStoreFaults().filter((request) => request.name === "AdminAudit");
		server.dataStoreFaults().setFailureRate(1, 3);
		Headless.seconds(AuditConfig.flushIntervalSeconds + 60);
		expect(systems.audit.stats().failedWrites).toBeGreaterThan(0);
		expect(systems.audit.stats().pending).toBe(1);
		server.dataStoreFaults().clear();
		owner.controller.modLog();
		Headless.seconds(AuditConfig.flushIntervalSeconds + 2);
		expect(systems.audit.stats().pending).toBe(0);
		const stored = adminSystemsOf(server).audit.read(10).map((entry) => entry.command);
		expect(stored).toEqual(["systemstatus", "modlog"]);
	});

	it("keeps only the newest batches: each batch written removes the one the retention left behind, and a failed removal is tried again", () => {
		const { server } = startAdminServer(world);
		const { store, dataStore, batch } = standaloneAuditStore(server, 3);
		const stored = () => {
			const keys: number[] = [];
			for (let sequence = 1; sequence <= 8; sequence++) if (dataStore.GetAsync(`batch_${sequence}`)[0] !== undefined) keys.push(sequence);
			return keys;
		};
		const write = (command: string) => {
			store.append(batch(command));
			store.removeOwed();
		};
		for (let index = 1; index <= 5; index++) write(`c${index}`);
		expect(stored()).toEqual([3, 4, 5]);
		expect(store.retention()).toEqual({ removed: 2, failed: 0, owed: 0, givenUp: 0 });
		// Batch 6 is written but every attempt to remove batch 3 fails: 3 stays owed.
		server.dataStoreFaults().filter((request) => request.name === "AdminAudit" && request.operation === "RemoveAsync");
		server.dataStoreFaults().setFailureRate(1, 7);
		write("c6");
		expect(store.retention()).toMatchObject({ removed: 2, owed: 1 });
		expect(store.retention().failed).toBeGreaterThan(0);
		// The write of batch 7 fails after its number was taken: the removal of batch 4 waits for a
		// write that lands, so a store that keeps failing erases no history.
		server.dataStoreFaults().filter((request) => request.name === "AdminAudit" && request.operation === "SetAsync");
		expect(() => store.append(batch("lost"))).toThrow();
		server.dataStoreFaults().clear();
		store.removeOwed();
		expect(stored()).toEqual([4, 5, 6]);
		write("c8");
		expect(stored()).toEqual([6, 8]);
		expect(store.retention()).toMatchObject({ removed: 5, owed: 0, givenUp: 0 });
		expect(store.readLatest(10).map((entry) => entry.command)).toEqual(["c6", "c8"]);
	});

	it("removes each owed batch once when a second removal starts while the first is still waiting on the DataStore", () => {
		const { server } = startAdminServer(world);
		const { store, dataStore, batch: entry } = standaloneAuditStore(server, 1);
		for (let index = 1; index <= 4; index++) store.append(entry(`c${index}`));
		expect(store.retention()).toEqual({ removed: 0, failed: 0, owed: 3, givenUp: 0 });
		server.dataStoreFaults().filter((request) => request.name === "AdminAudit" && request.operation === "RemoveAsync");
		server.dataStoreFaults().setLatency(2);
		let firstDone = false;
		task.spawn(() => {
			store.removeOwed();
			firstDone = true;
		});
		// The first is waiting on its first removal; the second (a flush meanwhile) returns at once.
		Headless.seconds(1);
		expect(firstDone).toBe(false);
		store.removeOwed();
		expect(store.retention()).toEqual({ removed: 0, failed: 0, owed: 3, givenUp: 0 });
		Headless.seconds(10);
		expect(firstDone).toBe(true);
		server.dataStoreFaults().clear();
		expect(store.retention()).toEqual({ removed: 3, failed: 0, owed: 0, givenUp: 0 });
		// Without the guard both would remove batch 1 and count it twice, and the count would reach 4.
		for (let sequence = 1; sequence <= 3; sequence++) expect(dataStore.GetAsync(`batch_${sequence}`)[0]).toBeUndefined();
		expect(store.readLatest(10).map((audited) => audited.command)).toEqual(["c4"]);
	});

	it("owes at most 64 removals: past that the oldest owed batch is given up (left stored) and counted", () => {
		const { server } = startAdminServer(world);
		const { store, dataStore, batch: entry } = standaloneAuditStore(server, 1);
		// Retaining one batch, every batch after the first owes a removal; none is attempted here.
		for (let index = 1; index <= 67; index++) store.append(entry(`c${index}`));
		expect(store.retention()).toEqual({ removed: 0, failed: 0, owed: 64, givenUp: 2 });
		store.removeOwed();
		expect(store.retention()).toEqual({ removed: 64, failed: 0, owed: 0, givenUp: 2 });
		// The two given up (batches 1 and 2) stay stored; the 64 owed after them are gone.
		expect(dataStore.GetAsync("batch_1")[0]).toBeDefined();
		expect(dataStore.GetAsync("batch_2")[0]).toBeDefined();
		expect(dataStore.GetAsync("batch_3")[0]).toBeUndefined();
		expect(store.readLatest(10).map((audited) => audited.command)).toEqual(["c67"]);
	}, 3600 * 1000);

	it("waits while the write budget is down to what profile saves need", () => {
		const { server, systems } = startAdminServer(world);
		const owner = joinAs(world, server, "owner");
		owner.controller.systemStatus();
		// Spend the write budget down to the reserve with writes of the spec's own.
		const store = server.game.GetService("DataStoreService").GetDataStore("Spend");
		let spent = 0;
		while (server.requestBudget("SetIncrementAsync") > 11 && spent < 200) {
			task.spawn(() => store.SetAsync(`k${spent}`, spent));
			spent += 1;
		}
		const written = systems.audit.stats().batchesWritten;
		task.spawn(() => systems.audit.flush());
		Headless.frames(5);
		expect(systems.audit.stats().batchesWritten).toBe(written);
		Headless.seconds(40);
		expect(systems.audit.stats().batchesWritten).toBe(written + 1);
	});

	it("folds a rate-limited flood into one entry and answers it without running anything", () => {
		const { server, systems } = startAdminServer(world);
		const visitor = joinAs(world, server, "none");
		const replies = [];
		for (let index = 0; index < 40; index++) replies.push(visitor.controller.systemStatus());
		const refusals = replies.map((reply) => (reply.ok ? "ok" : (reply.refusal ?? "underWay")));
		const burst = AdminConfig.rateLimit.burst;
		expect(refusals.filter((refusal) => refusal === AdminRefusal.NotAllowed).size()).toBe(burst);
		expect(refusals.filter((refusal) => refusal === AdminRefusal.RateLimited).size()).toBe(40 - burst);
		const entries = systems.audit.recent(100).filter((entry) => entry.userId === PEOPLE.none.userId);
		expect(entries.size()).toBe(2);
		expect(entries[0].result).toBe(AdminRefusal.NotAllowed);
		expect(entries[0].repeats).toBe(burst - 1);
		expect(entries[1].result).toBe(AdminRefusal.RateLimited);
		expect(entries[1].repeats).toBe(40 - burst - 1);
	});

	it("gives a player with no role one entry per command and refusal in a batch, whatever arguments they vary", () => {
		const { server, systems } = startAdminServer(world);
		const visitor = joinAs(world, server, "none");
		const owner = joinAs(world, server, "owner");
		for (let index = 1; index <= 30; index++) {
			visitor.controller.modLog(index);
			if (index % 10 === 0) owner.controller.systemStatus();
		}
		const burst = AdminConfig.rateLimit.burst;
		const theirs = systems.audit.recent(100).filter((entry) => entry.userId === PEOPLE.none.userId);
		expect(theirs.map((entry) => [entry.command, entry.args, entry.result, entry.repeats])).toEqual([
			["modlog", "1", AdminRefusal.NotAllowed, burst - 1],
			["modlog", tostring(burst + 1), AdminRefusal.RateLimited, 30 - burst - 1],
		]);
		// The staff's calls between theirs are all there.
		expect(auditOf(systems.audit, PEOPLE.owner.userId, "systemstatus").size()).toBe(3);
	});

	it("limits each admin on their own, and refills with time", () => {
		const { server } = startAdminServer(world);
		const owner = joinAs(world, server, "owner");
		const admin = joinAs(world, server, "admin");
		for (let index = 0; index < AdminConfig.rateLimit.burst; index++) expect(owner.controller.systemStatus().ok).toBe(true);
		const limited = owner.controller.systemStatus();
		expect(limited.ok).toBe(false);
		if (!limited.ok) expect(limited.refusal).toBe(AdminRefusal.RateLimited);
		expect(admin.controller.systemStatus().ok).toBe(true);
		Headless.seconds(1 / AdminConfig.rateLimit.perSecond + 0.1);
		expect(owner.controller.systemStatus().ok).toBe(true);
	});
});
