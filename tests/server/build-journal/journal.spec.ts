import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { JournalDefaults } from "shared/config/journal-config";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";
import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, idsOf, joinPlayer, loadOnFreshServer, profileOn, startGameServer, storedBuild, trackedIds } from "../data-backup/backup-world";
import { joinBuilder } from "../placement/placement-world";
import { Acknowledged, journalOf, NOTHING_LOST, placeChair, serverWithChanges } from "./journal-world";

/** Limits `server`'s MemoryStore faults to trims (and entry rewrites): updates of any key but the session's claim. */
function faultTrimsOnly(server: HeadlessServer) {
	server.memoryStoreFaults().filter((request) => request.operation === "UpdateAsync" && request.key !== "claim");
}

/** Every trim (and entry rewrite) of `server`'s fails until its faults are cleared; the claim is left alone. */
function refuseTrims(server: HeadlessServer) {
	faultTrimsOnly(server);
	server.memoryStoreFaults().setFailureRate(1);
}

/**
 * Lands a save of `userId`'s profile on `server` while every trim is refused, and waits until
 * `trims` of them have been tried; returns the journal's request units from before the save.
 */
function saveWithTrimsRefused(server: HeadlessServer, userId: number, trims: number): number {
	refuseTrims(server);
	const journal = journalOf(server);
	const unitsBefore = journal.status().requestUnitsLastMinute;
	profileOn(server, userId).Save();
	waitUntil(() => journal.status().requestUnitsLastMinute >= unitsBefore + trims, 30, "the save to land and its trims to be refused");
	return unitsBefore;
}

/** Crashes `server`, then loads the player on a fresh server of the same experience; returns it. */
function crashAndReload(world: World, server: HeadlessServer, dataStore: HeadlessDataStore, userId: number) {
	Headless.crashServer(server);
	const successor = startGameServer(world, dataStore, "takes-over");
	joinPlayer(world, successor.server, userId, 180);
	return successor;
}

describe("the build journal", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a crash right after a placement loses no acknowledged placement", () => {
		const dataStore = Headless.newDataStore();
		const { server, acked } = serverWithChanges(world, 7101, 6, dataStore, "crashes");
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable", "durable"]);

		const b = crashAndReload(world, server, dataStore, 7101);
		expect(acked.compare(idsOf(b.server, 7101))).toEqual(NOTHING_LOST);
		expect(trackedIds(b.server, 7101).size()).toBe(6);
		expect(b.server.output().join("\n")).toMatch("6 journal entries replayed");
		expect(journalOf(b.server).status().entriesReplayed).toBe(6);
	});

	it("a crash right after a removal brings nothing back, on top of a newer backup", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, 7102, 6, dataStore, "crashes");
		const { acked, ids } = a;
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		acked.remove(a.server, 7102, ids[1]);
		acked.remove(a.server, 7102, ids[4]);
		acked.place(a.server, 7102, 6);
		expect(acked.answers.filter((answer) => answer !== "durable")).toEqual([]);

		const b = crashAndReload(world, a.server, dataStore, 7102);
		const build = idsOf(b.server, 7102);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(5);
		const output = b.server.output().join("\n");
		expect(output).toMatch("restored from backup");
		expect(output).toMatch("3 journal entries replayed");
	});

	it("a crash in the middle of a 90 s DataStore outage loses nothing acknowledged", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, 7103, 4, dataStore, "in-outage");
		const { acked, ids } = a;
		a.server.dataStoreFaults().setFailureRate(1, 3);
		for (let step = 0; step < 18; step++) {
			Headless.seconds(5);
			if (step % 3 === 2) acked.remove(a.server, 7103, ids.shift()!);
			else ids.push(acked.place(a.server, 7103, 4 + step));
		}
		expect(acked.answers.filter((answer) => answer !== "durable")).toEqual([]);
		expect(a.systems.systems.health().buildJournal!.health).toBe("healthy");

		const b = crashAndReload(world, a.server, dataStore, 7103);
		const build = idsOf(b.server, 7103);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(acked.standing.size());
	});

	it("trims the journal once a profile save covering it has landed", () => {
		const { server, journal } = serverWithChanges(world, 7104, 5);
		expect(server.memoryStoreUsage().items).toBe(5 + 1); // + the session's claim on the journal
		expect(journal.status().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);

		profileOn(server, 7104).Save();
		waitUntil(() => journal.status().entriesTrimmed === 5, 30, "the journal to be trimmed");
		// A trimmed entry is set to expire within a second (the only conditional removal a sorted map has).
		Headless.seconds(1);
		expect(server.memoryStoreUsage().items).toBe(1); // the claim stays while the session holds the player
		expect(journal.status().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);
		expect(journal.status().entriesWritten).toBe(5);
	});

	it("a trim the MemoryStore refuses is tried again with backoff, not left until the next save", () => {
		const { server, journal } = serverWithChanges(world, 7110, 5);
		// Every trim fails while the save lands (a throttled minute, say).
		const savesBefore = journal.status().earlySaves;
		const unitsBefore = saveWithTrimsRefused(server, 7110, 5);
		// Refused again and again while the faults last, each time after a longer wait.
		Headless.seconds(20);
		expect(journal.status().entriesTrimmed).toBe(0);
		expect(journal.status().requestUnitsLastMinute).toBeGreaterThan(unitsBefore + 10);
		server.memoryStoreFaults().clear();
		// Within the longest backoff, well before the profile's next save.
		waitUntil(() => journal.status().entriesTrimmed === 5, JournalDefaults.retryMaxSeconds + 1, "the refused trims to be tried again");
		Headless.seconds(1);
		expect(server.memoryStoreUsage().items).toBe(1); // the claim
		expect(journal.status().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);
		// Tried again on their own: no further save was needed.
		expect(journal.status().earlySaves).toBe(savesBefore);
	});

	it("entries a load finds already covered by the stored build are trimmed, tried again with backoff while the MemoryStore refuses", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, 7111, 4, dataStore, "saves-then-crashes");
		// The save lands but every trim of it is refused; then the server crashes with the entries still stored.
		saveWithTrimsRefused(a.server, 7111, 4);
		expect(journalOf(a.server).status().entriesTrimmed).toBe(0);
		Headless.crashServer(a.server);

		const b = startGameServer(world, dataStore, "loads-covered-entries");
		refuseTrims(b.server);
		joinPlayer(world, b.server, 7111, 180);
		const journal = journalOf(b.server);
		expect(journal.status().entriesReplayed).toBe(0);
		Headless.seconds(20);
		expect(journal.status().entriesTrimmed).toBe(0);
		b.server.memoryStoreFaults().clear();
		waitUntil(() => journal.status().entriesTrimmed === 4, JournalDefaults.retryMaxSeconds + 1, "the covered entries' trims to be tried again");
		Headless.seconds(1);
		expect(b.server.memoryStoreUsage().items).toBe(1); // B's claim
		expect(journal.status().bytesUsed).toBe(b.server.memoryStoreUsage().bytesUsed);
		expect(idsOf(b.server, 7111).size()).toBe(4);
	});

	it("a rejoin while the leave save's trims are under way counts every entry's bytes once", () => {
		const { server, client, journal } = serverWithChanges(world, 7112, 3);
		// Each trim (and entry rewrite) takes five seconds: the player is back before the first lands.
		faultTrimsOnly(server);
		server.memoryStoreFaults().setLatency(5);
		const unitsBefore = journal.status().requestUnitsLastMinute;
		client.disconnect();
		waitUntil(() => journal.status().requestUnitsLastMinute > unitsBefore, 60, "the leave save's first trim to start");
		joinPlayer(world, server, 7112, 120);
		server.memoryStoreFaults().clear();
		waitUntil(() => server.memoryStoreUsage().items === 1, 120, "every entry to be trimmed");
		Headless.seconds(2);
		// The old session's trim that lands after the rejoin took its entries over releases nothing.
		expect(journal.status().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);
		expect(storedBuild(server, 7112).size()).toBe(3);
	});

	it("entries the load replayed stay journaled until a save covers them, when the session could only claim the journal later", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, 7113, 3, dataStore, "crashes");
		expect(journalOf(a.server).status().entriesWritten).toBe(3);
		Headless.crashServer(a.server);

		const b = startGameServer(world, dataStore, "claims-late");
		// The load path's read gets through; the session's claim fails all its attempts, so the
		// session starts unread and reads the journal again later.
		let claimsRefused = 0;
		b.server.memoryStoreFaults().filter((request) => {
			if (request.operation !== "UpdateAsync" || request.key !== "claim" || claimsRefused >= 3) return false;
			claimsRefused += 1;
			return true;
		});
		b.server.memoryStoreFaults().setFailureRate(1);
		// Every profile write of B's takes a minute: the save that would cover the replayed entries
		// is still on its way when B crashes.
		b.server.dataStoreFaults().filter((request) => request.name === DataStoreNames.playerData && request.isWrite);
		b.server.dataStoreFaults().setLatency(60);
		joinPlayer(world, b.server, 7113, 900);
		expect(claimsRefused).toBe(3);
		waitUntil(() => journalOf(b.server).status().unreadPlayers === 0, 60, "the later read");
		Headless.seconds(5);
		// The three replayed entries are still journaled: nothing stored covers them yet.
		expect(journalOf(b.server).status().entriesTrimmed).toBe(0);
		Headless.crashServer(b.server);

		expect(loadOnFreshServer(world, dataStore, 7113).build.size()).toBe(3);
	});

	it("a slow journal write holds the answer until it lands and never past the write timeout", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7109);
		const journal = journalOf(server);
		journal.configure({ writeTimeoutSeconds: 3 });
		const acked = new Acknowledged();
		server.memoryStoreFaults().setLatency(1);
		let startedAt = Headless.now();
		acked.place(server, 7109, 0);
		const landed = Headless.now() - startedAt;
		// Answered as the write lands: the entry, then the session's claim after it (two round
		// trips), within the frame after, not a poll later.
		expect(landed >= 2 && landed < 2 + 2 / 60).toBe(true);
		expect(acked.answers).toEqual(["durable"]);

		server.memoryStoreFaults().setLatency(10);
		startedAt = Headless.now();
		acked.place(server, 7109, 1);
		const timedOut = Headless.now() - startedAt;
		expect(timedOut >= 3 && timedOut < 3 + 2 / 60).toBe(true);
		expect(acked.answers).toEqual(["durable", "pending"]);
		// The write goes on after the answer and lands; the answer's thread is not woken again.
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the slow write to land");
		expect(journal.status().entriesWritten).toBe(2);
		expect(server.output().join("\n")).never.toMatch("cannot resume");
	});

	it("a journal write stored and then reported failed is retried without duplicates and trimmed like any other", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "stored-then-failed");
		joinPlayer(world, a.server, 7110);
		const journal = journalOf(a.server);
		journal.configure({ writeTimeoutSeconds: 0 });
		const acked = new Acknowledged();
		a.server.memoryStoreFaults().failAfterWrite(1);
		acked.place(a.server, 7110, 0);
		acked.place(a.server, 7110, 1);
		expect(acked.answers).toEqual(["pending", "pending"]);
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the retry");
		expect(journal.status().writeFailures).toBe(1);
		expect(a.server.memoryStoreUsage().items).toBe(2 + 1);
		expect(journal.status().bytesUsed).toBe(a.server.memoryStoreUsage().bytesUsed);

		const b = crashAndReload(world, a.server, dataStore, 7110);
		expect(acked.compare(idsOf(b.server, 7110))).toEqual(NOTHING_LOST);
		waitUntil(() => b.server.memoryStoreUsage().items === 1, 30, "the replayed entries to be trimmed after the save");
	});

	it("stays inside its memory allowance and the MemoryStore quotas at the private preset's 30 changes a minute", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		const players = [7111, 7112, 7113];
		for (const userId of players) joinPlayer(world, server, userId);
		const journal = journalOf(server);
		const acked = new Map<number, Acknowledged>();
		const standing = new Map<number, string[]>();
		for (const userId of players) {
			acked.set(userId, new Acknowledged());
			standing.set(userId, []);
		}
		let peakBytes = 0;
		let peakUnits = 0;
		// Every player changes their build every 2 s for 2 minutes: places, and past 30 objects removes the oldest.
		for (let step = 0; step < 60; step++) {
			for (const userId of players) {
				const ids = standing.get(userId)!;
				if (ids.size() >= 30) acked.get(userId)!.remove(server, userId, ids.shift()!);
				else ids.push(acked.get(userId)!.place(server, userId, step));
			}
			const status = journal.status();
			const usage = server.memoryStoreUsage();
			expect(status.bytesUsed).toBe(usage.bytesUsed);
			expect(usage.bytesUsed).toBeLessThanOrEqual(status.memoryBudgetBytes);
			expect(usage.bytesUsed).toBeLessThanOrEqual(usage.memoryQuotaBytes);
			expect(status.requestUnitsLastMinute).toBe(usage.requestUnitsLastMinute);
			expect(usage.requestUnitsLastMinute).toBeLessThanOrEqual(usage.requestUnitsPerMinute);
			peakBytes = math.max(peakBytes, usage.bytesUsed);
			peakUnits = math.max(peakUnits, usage.requestUnitsLastMinute);
			Headless.seconds(2);
		}
		for (const [, each] of acked) expect(each.answers.filter((answer) => answer !== "durable")).toEqual([]);
		const status = journal.status();
		expect(status.memoryQuotaBytes).toBe(math.floor(64 * 1024 + 1.2 * 1024 * 3));
		expect(status.requestUnitsPerMinute).toBe(1000 + 120 * 3);
		expect(status.earlySaves).toBeGreaterThan(0);
		print(
			`journal at 30 changes/min x 3 players: peak ${peakBytes} B of ${status.memoryBudgetBytes} B allowed ` +
				`(${status.memoryQuotaBytes} B quota), peak ${peakUnits} request units/min of ${status.requestUnitsPerMinute}`,
		);
	});

	it("answers pending when neither the journal nor the DataStore can take a change, then refuses, then recovers", () => {
		const dataStore = Headless.newDataStore();
		const { server, systems } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7105);
		const journal = journalOf(server);
		journal.configure({ refuseAfterSeconds: 20 });
		const acked = new Acknowledged();
		acked.place(server, 7105, 0);

		server.memoryStoreFaults().setFailureRate(1, 5);
		server.dataStoreFaults().filter((request) => request.name === DataStoreNames.playerData);
		server.dataStoreFaults().setFailureRate(1, 5);
		acked.place(server, 7105, 1);
		Headless.seconds(10);
		acked.place(server, 7105, 2);
		expect(acked.answers).toEqual(["durable", "pending", "pending"]);
		expect(journal.status().health).toBe("degraded");

		Headless.seconds(11);
		const refused = placeChair(server, 7105, 3);
		expect(refused).toEqual({
			success: false,
			reason: RejectionReason.SavingDelayed,
			message: rejectionMessage(RejectionReason.SavingDelayed),
		});
		expect(systems.systems.health().overall).toBe("failing");
		expect(journal.status().refusals).toBe(1);

		// The MemoryStore comes back: the waiting entries are written and building resumes.
		server.memoryStoreFaults().clear();
		waitUntil(() => journal.status().pendingPlayers === 0, 60, "the pending changes to be journaled");
		expect(acked.place(server, 7105, 3)).toBeDefined();
		expect(acked.answers[3]).toBe("durable");
	});

	it("answers pending while only the journal fails, until the early profile save lands", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "journal-down");
		joinPlayer(world, a.server, 7106);
		const journal = journalOf(a.server);
		a.server.memoryStoreFaults().setFailureRate(1, 9);
		const acked = new Acknowledged();
		acked.place(a.server, 7106, 0);
		expect(acked.answers).toEqual(["pending"]);
		waitUntil(() => journal.durabilityOf(7106, profileOn(a.server, 7106).Data.buildRevision) === "durable", 30, "the save");
		expect(journal.status().earlySaves).toBeGreaterThan(0);

		const b = crashAndReload(world, a.server, dataStore, 7106);
		expect(acked.compare(idsOf(b.server, 7106))).toEqual(NOTHING_LOST);
	});
});

describe("what the player's client is told", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("shows saving delayed while the answers are pending, and clears it once a change is durable again", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		const { controller } = joinBuilder(world, server, 7107, "Careful");
		const states: string[] = [];
		controller.saveStateChanged.Connect((state) => states.push(state));
		const first = controller.place("chair", new Vector3(2, 0, 2), 0);
		expect(first.success && first.saved).toBe("durable");

		server.memoryStoreFaults().setFailureRate(1, 11);
		server.dataStoreFaults().filter((request) => request.name === DataStoreNames.playerData);
		server.dataStoreFaults().setFailureRate(1, 11);
		const second = controller.place("chair", new Vector3(6, 0, 2), 0);
		expect(second.success && second.saved).toBe("pending");
		expect(controller.currentSaveState()).toBe("pending");

		server.memoryStoreFaults().clear();
		waitUntil(() => journalOf(server).status().pendingPlayers === 0, 60, "the journal to catch up");
		const third = controller.place("chair", new Vector3(10, 0, 2), 0);
		expect(third.success && third.saved).toBe("durable");
		Headless.frames(2);
		expect(states).toEqual(["pending", "durable"]);
	});
});

/**
 * `userId`'s `changes` placements journaled (answered durable) on a server that then crashes, and
 * a successor that loads the player while it cannot read the journal (its range reads all fail).
 */
function loadWithJournalUnreadable(world: World, dataStore: HeadlessDataStore, userId: number, changes: number) {
	const { server, acked } = serverWithChanges(world, userId, changes, dataStore, "crashes");
	Headless.crashServer(server);
	const b = startGameServer(world, dataStore, "journal-unreadable");
	b.server.memoryStoreFaults().filter((request) => request.operation === "GetRangeAsync");
	b.server.memoryStoreFaults().setFailureRate(1, 4);
	const client = joinPlayer(world, b.server, userId, 180);
	expect(journalOf(b.server).status().unreadPlayers).toBe(1);
	return { b, client, acked };
}

/** Loads `userId` on a fresh server of the experience and expects every change answered durable there. */
function expectLoadedWhole(world: World, dataStore: HeadlessDataStore, userId: number, acked: Acknowledged, size: number) {
	const { build } = loadOnFreshServer(world, dataStore, userId, "reads-it");
	expect(acked.compare(build)).toEqual(NOTHING_LOST);
	expect(build.size()).toBe(size);
}

describe("a journal that cannot be read when the player loads", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("holds the player's changes until it can be read, then replays it on the live build", () => {
		const dataStore = Headless.newDataStore();
		const { b, acked } = loadWithJournalUnreadable(world, dataStore, 7108, 4);
		expect(storedBuild(b.server, 7108).size()).toBe(0);
		const refused = placeChair(b.server, 7108, 10);
		expect(!refused.success && refused.reason).toBe(RejectionReason.DataNotLoaded);
		expect(journalOf(b.server).status().health).toBe("degraded");

		b.server.memoryStoreFaults().clear();
		waitUntil(() => storedBuild(b.server, 7108).size() === 4, 60, "the late replay");
		expect(acked.compare(trackedIds(b.server, 7108))).toEqual(NOTHING_LOST);
		expect(acked.place(b.server, 7108, 10)).toBeDefined();
		expect(acked.answers[4]).toBe("durable");

		// And what B built on top survives B's own crash.
		const c = crashAndReload(world, b.server, dataStore, 7108);
		expect(acked.compare(idsOf(c.server, 7108))).toEqual(NOTHING_LOST);
		expect(idsOf(c.server, 7108).size()).toBe(5);
	});

	it("keeps the journal's changes when a backup is taken before it could be read and the server then crashes", () => {
		const dataStore = Headless.newDataStore();
		const { b, acked } = loadWithJournalUnreadable(world, dataStore, 7115, 3);
		// The backup holds the build as loaded, without the journal's changes: it must not outrank them.
		expect(backupSystemsOf(b.server).backups.forceBackup("full").success).toBe(true);
		Headless.crashServer(b.server);
		expectLoadedWhole(world, dataStore, 7115, acked, 3);
	});

	it("refuses a recovery or a rollback of the player until their journal has been read, then replays it whole", () => {
		const dataStore = Headless.newDataStore();
		const { b, acked } = loadWithJournalUnreadable(world, dataStore, 7116, 3);
		const recovery = backupSystemsOf(b.server).recovery;
		const report = recovery.recoverFromBackup("LATEST", { kind: "player", userId: 7116 });
		expect(report.players[0].status).toBe("notLoaded");
		expect(report.players[0].message).toMatch("journal has not been read yet");
		const rollback = recovery.rollbackProfile(7116, os.time());
		expect(rollback.success).toBe(false);
		expect(rollback.message).toMatch("journal has not been read yet");

		b.server.memoryStoreFaults().clear();
		waitUntil(() => journalOf(b.server).status().unreadPlayers === 0, 60, "the late read");
		expect(acked.compare(trackedIds(b.server, 7116))).toEqual(NOTHING_LOST);
		expect(trackedIds(b.server, 7116).size()).toBe(3);
	});

	it("keeps the journal's changes when the player leaves before it could be read: the next server replays them", () => {
		const dataStore = Headless.newDataStore();
		// The player leaves before the journal can be read, and B's leave save lands.
		const { b, client, acked } = loadWithJournalUnreadable(world, dataStore, 7114, 3);
		client.disconnect();
		Headless.seconds(30);
		Headless.stopServer(b.server);
		expectLoadedWhole(world, dataStore, 7114, acked, 3);
	});
});

describe("two sessions writing one player's journal", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("an older session's late entry is overwritten; a newer session's entry stops this one: pending, then SessionMoved", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "holds");
		joinPlayer(world, a.server, 7109);
		const acked = new Acknowledged();
		acked.place(a.server, 7109, 0);
		const map = a.server.game.GetService("MemoryStoreService").GetSortedMap("BuildJournal_7109");
		const loadCount = profileOn(a.server, 7109).SessionLoadCount;
		// A server whose older session of the player was taken over wrote the next revision late.
		let revision = profileOn(a.server, 7109).Data.buildRevision + 1;
		const older = ["p", revision, os.time(), `${loadCount - 1}:oldsrv`, "stale-chair", "chair", 50, 0, 50, 0, os.time()];
		map.SetAsync(string.format("%012d", revision), older, 600, revision);
		acked.place(a.server, 7109, 1);
		expect(acked.answers).toEqual(["durable", "durable"]);

		// A newer session (this server was taken over without noticing) wrote the revision after.
		revision += 1;
		const newer = ["p", revision, os.time(), `${loadCount + 1}:newsrv`, "newer-chair", "chair", 60, 0, 60, 0, os.time()];
		map.SetAsync(string.format("%012d", revision), newer, 600, revision);
		const late = placeChair(a.server, 7109, 2);
		expect(late.success && late.saved).toBe("pending");
		expect(placeChair(a.server, 7109, 3)).toEqual({
			success: false,
			reason: RejectionReason.SessionMoved,
			message: rejectionMessage(RejectionReason.SessionMoved),
		});
		expect(a.server.output().join("\n")).toMatch("held by another session");

		const c = crashAndReload(world, a.server, dataStore, 7109);
		const build = idsOf(c.server, 7109);
		// Every durable answer is there, the older session's late chair is not, the newer session's change is.
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.includes("stale-chair")).toBe(false);
		expect(build.includes("newer-chair")).toBe(true);
	});
});
