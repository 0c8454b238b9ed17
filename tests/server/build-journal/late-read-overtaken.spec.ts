import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, loaderOf, loadOnFreshServer, profileOn, sessionStartedOn, startGameServer } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { Acknowledged, journalOf, NOTHING_LOST, placeChair, startTakingOver, startUnawareServer } from "./journal-world";

const USER = 7741;

/**
 * `userId` joins `server` while it cannot reach the MemoryStore at all (the load can neither read
 * the journal nor claim it); after `downSeconds` it can again. Returns the ids of the build the
 * session holds once its build is loaded and its journal read.
 */
function loadWhileJournalDown(world: World, server: HeadlessServer, userId: number, downSeconds = 90): string[] {
	const memory = server.memoryStoreFaults();
	memory.filter(undefined);
	memory.setFailureRate(1, 9);
	world.join(server, { userId, name: `Builder${userId}`, runScripts: false });
	waitUntil(() => sessionStartedOn(server, userId), 240, "the session to start");
	Headless.seconds(downSeconds);
	// The load found the journal unreadable and waited for it rather than take the older session's copy.
	expect(server.output().join("\n")).toContain("journal could not be read");
	expect(server.output().join("\n")).toContain("may have overtaken");
	memory.clear();
	const { builds } = systemsOf(server);
	const journal = journalOf(server);
	waitUntil(() => builds.isLoaded(userId) && !journal.waitsForRead(userId), 240, "the build to load and its journal to be read");
	Headless.seconds(10);
	return idsOf(server, userId);
}

describe("a load that cannot read the journal, of a player whose older session's copy a newer session overtook elsewhere", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("does not keep the older session's hand-over: the durable change the newer session made elsewhere survives the late read and a crash", () => {
		const dataStore = Headless.newDataStore();
		// Session A on server "hands-over": a durable change, then a pending one (neither the journal
		// nor the DataStore takes writes); the player leaves, and A holds revision 2 for a hand-over.
		const a = startGameServer(world, dataStore, "hands-over");
		const clientOnA = joinPlayer(world, a.server, USER);
		const acked = new Acknowledged();
		const first = acked.place(a.server, USER, 0);
		a.server.dataStoreFaults().setFailureRate(1, 5);
		a.server.memoryStoreFaults().filter((request) => request.isWrite);
		a.server.memoryStoreFaults().setFailureRate(1, 6);
		const stale = placeChair(a.server, USER, 1);
		assert(stale.success, "A refused its second change");
		expect([...acked.answers, stale.saved]).toEqual(["durable", "pending"]);
		clientOnA.disconnect();
		Headless.seconds(10);
		expect(loaderOf(a.server).heldBuilds()).toBe(1);

		// Session B on another server loads revision 1 (the journal's entry) and makes a durable
		// change at revision 2; none of its profile writes lands once its session started, and it crashes.
		const b = startTakingOver(world, dataStore);
		failProfileWrites(b.server, { from: () => sessionStartedOn(b.server, USER) });
		joinPlayer(world, b.server, USER, 240);
		expect(profileOn(b.server, USER).Data.buildRevision).toBe(1);
		const onB = acked.place(b.server, USER, 2);
		expect(acked.answers).toEqual(["durable", "durable"]);
		expect(profileOn(b.server, USER).Data.buildRevision).toBe(2);
		Headless.crashServer(b.server);

		// The player comes back to A, which can save again but cannot reach the MemoryStore.
		a.server.dataStoreFaults().clear();
		const live = loadWhileJournalDown(world, a.server, USER);
		const liveCompare = acked.compare(live);

		Headless.crashServer(a.server);
		const { build } = loadOnFreshServer(world, dataStore, USER);
		const outcome = { live: liveCompare, afterCrash: acked.compare(build), newerChangeLive: live.includes(onB), newerChangeAfterCrash: build.includes(onB) };
		expect(outcome).toEqual({ live: NOTHING_LOST, afterCrash: NOTHING_LOST, newerChangeLive: true, newerChangeAfterCrash: true });
		expect(build).toContain(first);
		expect(build.includes(stale.placementId)).toBe(false);
	});

	it("does not take the older session's backup: the durable change the newer session made at the backup's revision survives the late read and a crash", () => {
		const dataStore = Headless.newDataStore();
		// Session A never learns it is taken over (its profile writes fail, it misses every message);
		// its journal and backups work. Two durable chairs, revisions 1 and 2.
		const a = startUnawareServer(world, dataStore, USER + 1, 2);
		const acked = a.acked;
		journalOf(a.server).configure({ retryBaseSeconds: 30 });

		// Session B loads revision 2 from the journal; none of its profile writes lands once its session started.
		const b = startTakingOver(world, dataStore);
		failProfileWrites(b.server, { from: () => sessionStartedOn(b.server, USER + 1) });
		joinPlayer(world, b.server, USER + 1, 240);
		expect(profileOn(b.server, USER + 1).Data.buildRevision).toBe(2);

		// A journals revision 3 (stored, then reported failed: pending); B's change takes revision 3
		// over it, durable. A then backs up its build at revision 3, with its own change.
		a.server.memoryStoreFaults().failAfterWrite(1);
		const onA = placeChair(a.server, USER + 1, 2);
		assert(onA.success, "A refused its change");
		expect(onA.saved).toBe("pending");
		const onB = acked.place(b.server, USER + 1, 3);
		expect(acked.answers).toEqual(["durable", "durable", "durable"]);
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		Headless.crashServer(a.server);
		Headless.crashServer(b.server);

		// Server C loads the player while it cannot reach the MemoryStore.
		const c = startGameServer(world, dataStore, "journal-down");
		const live = loadWhileJournalDown(world, c.server, USER + 1);
		const liveCompare = acked.compare(live);

		Headless.crashServer(c.server);
		const { build } = loadOnFreshServer(world, dataStore, USER + 1);
		const outcome = { live: liveCompare, afterCrash: acked.compare(build), newerChangeLive: live.includes(onB), newerChangeAfterCrash: build.includes(onB) };
		expect(outcome).toEqual({ live: NOTHING_LOST, afterCrash: NOTHING_LOST, newerChangeLive: true, newerChangeAfterCrash: true });
		expect(build.includes(onA.placementId)).toBe(false);
		expect(build.size()).toBe(3);
	});
});
