import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey } from "server/build-journal/journal-entry";
import { World } from "../../harness/world";
import { failProfileWrites, joinPlayer, profileOn, sessionStartedOn } from "../data-backup/backup-world";
import { Acknowledged, journalOf, loadAfterBothCrash, NOTHING_LOST, placeChair, rejoinWithHandover, startTakingOver, startUnawareServer } from "./journal-world";

const PLAYER = 7702;

/**
 * A (which never learns it was taken over) answers revisions 1..3 durable; B takes the session
 * over and replays them, but marking revision 2 as its own fails `refusals` times. B's profile
 * saves never land, so only the journal holds the build; B answers revision 4 durable.
 */
function takeOverWithFailingRemark(world: World, dataStore: HeadlessDataStore, refusals: number) {
	const a = startUnawareServer(world, dataStore, PLAYER, 3);
	const acked: Acknowledged = a.acked;
	const b = startTakingOver(world, dataStore);
	let refused = 0;
	b.server.memoryStoreFaults().filter((request) => {
		if (refused >= refusals || request.operation !== "UpdateAsync" || request.key !== journalKey(2)) return false;
		refused += 1;
		return true;
	});
	b.server.memoryStoreFaults().setFailureRate(1, 3);
	// Taking the session gets through; every profile write after that fails.
	failProfileWrites(b.server, { from: () => sessionStartedOn(b.server, PLAYER) });
	const client = joinPlayer(world, b.server, PLAYER, 240);
	expect(refused).toBeGreaterThan(0);
	expect(profileOn(b.server, PLAYER).Data.buildRevision).toBe(3);
	acked.place(b.server, PLAYER, 3);
	expect(acked.answers).toEqual(["durable", "durable", "durable", "durable"]);
	return { a, b, acked, client };
}

/** Crashes both servers and loads the player on a third: what it loads against what was answered. */
function expectNothingLostAfterBothCrash(world: World, dataStore: HeadlessDataStore, a: HeadlessServer, b: HeadlessServer, acked: Acknowledged) {
	const { build } = loadAfterBothCrash(world, dataStore, a, b, PLAYER);
	expect(acked.compare(build)).toEqual(NOTHING_LOST);
	expect(build.size()).toBe(4);
}

describe("an entry the newer session replays but cannot mark as its own at first", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is marked again shortly after, so the older server's later backup cannot trim it: nothing answered durable is lost", () => {
		const dataStore = Headless.newDataStore();
		const { a, b, acked } = takeOverWithFailingRemark(world, dataStore, 1);
		Headless.seconds(20);
		// A backs up its build at revision 3: the backup covers revisions up to 3, so A trims the
		// entries below it that are still marked as its own.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expect(journalOf(b.server).status().bytesUsed).toBe(b.server.memoryStoreUsage().bytesUsed);
		expectNothingLostAfterBothCrash(world, dataStore, a.server, b.server, acked);
	});

	it("leaves the chain whole while the re-mark still fails: marks go from older to newer sessions along it, and a crash then loses nothing", () => {
		const dataStore = Headless.newDataStore();
		const { a, b, acked } = takeOverWithFailingRemark(world, dataStore, 1e6);
		Headless.seconds(5);
		expectNothingLostAfterBothCrash(world, dataStore, a.server, b.server, acked);
	});

	it("stays whole while the re-mark still fails and the older server backs up and trims its entries below the one re-marked: nothing answered durable is lost", () => {
		const dataStore = Headless.newDataStore();
		const { a, b, acked } = takeOverWithFailingRemark(world, dataStore, 1e6);
		Headless.seconds(20);
		// Revision 3 is B's now, 1 and 2 still A's: A's backup covers them, so A trims them.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expectNothingLostAfterBothCrash(world, dataStore, a.server, b.server, acked);
	});

	it("stays whole when the older server, having trimmed those entries, backs up again past the takeover: its earlier backup is the build", () => {
		const dataStore = Headless.newDataStore();
		const { a, b, acked } = takeOverWithFailingRemark(world, dataStore, 1e6);
		Headless.seconds(20);
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		// A, unaware, takes a change: revision 4 is B's, so it is answered pending, and A's next backup
		// holds it. That backup is overtaken; the one at revision 3 is not.
		expect(placeChair(a.server, PLAYER, 9)).toMatchObject({ success: true, saved: "pending" });
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expectNothingLostAfterBothCrash(world, dataStore, a.server, b.server, acked);
	});

	it("is marked by the session a rejoin hands the build over to, so the older server's later backup cannot trim it: nothing answered durable is lost", () => {
		const dataStore = Headless.newDataStore();
		const { a, b, acked, client } = takeOverWithFailingRemark(world, dataStore, 1e6);
		// The rejoin continues the stored profile (revision 0) with the ended session's build: of the
		// entries between, revisions 1 and 2 are still marked as A's.
		expect(rejoinWithHandover(world, b.server, client, PLAYER)).toMatchObject({ origin: "handover", savedRevision: 0, revision: 4 });
		// Marking them works again only now: the ended session can no longer do it, the rejoined one must.
		b.server.memoryStoreFaults().clear();
		Headless.seconds(5);
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expectNothingLostAfterBothCrash(world, dataStore, a.server, b.server, acked);
	});
});
