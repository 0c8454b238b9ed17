import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../../harness/world";
import { journalOf, NOTHING_LOST, placeChair, startTakingOver, startUnawareServer } from "../build-journal/journal-world";
import { failProfileWrites, idsOf, joinPlayer, loaderOf, manifestOf, profileOn, startGameServer, untilBucketCloses } from "./backup-world";

const PLAYER = 7811;
/** Jest's test timeout runs on the virtual clock: this spec jumps into the next index bucket. */
const TIMEOUT_MS = 12 * 3600 * 1000;

describe("an older session's backup at the same revision as the newer session's, listed first, while the journal cannot be read", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("loads the newer session's backup: every durable change survives", () => {
		const dataStore = Headless.newDataStore();
		const a = startUnawareServer(world, dataStore, PLAYER, 2);
		const acked = a.acked;

		// B takes the session over; none of its profile writes lands after its lock (from its first
		// read of the journal on), so the stored profile stays A's, below both backups.
		const b = startTakingOver(world, dataStore);
		let locked = false;
		b.server.memoryStoreFaults().filter((request) => {
			if (request.operation === "GetRangeAsync") locked = true;
			return false;
		});
		b.server.memoryStoreFaults().setFailureRate(1, 3);
		failProfileWrites(b.server, { from: () => locked });
		joinPlayer(world, b.server, PLAYER, 240);
		expect(profileOn(b.server, PLAYER).Data.buildRevision).toBe(2);
		const onB = acked.place(b.server, PLAYER, 2);
		expect(acked.answers).toEqual(["durable", "durable", "durable"]);
		expect(b.systems.backups.forceBackup("incremental").success).toBe(true);
		const setOfB = b.systems.backups.status().setId;
		const [backupOfB] = manifestOf(b.server)!.entries;
		expect(backupOfB.revisions).toEqual([3]);
		Headless.crashServer(b.server);

		// In the next index bucket A, unaware, makes its own revision 3 (answered pending) and backs
		// it up: A's set is listed before B's, at the same revision.
		Headless.skipTime(untilBucketCloses() + 60);
		const onA = placeChair(a.server, PLAYER, 3);
		assert(onA.success, "A refused its change");
		expect(onA.saved).toBe("pending");
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		const manifestOfA = manifestOf(a.server)!;
		expect(manifestOfA.entries[manifestOfA.entries.size() - 1].revisions).toEqual([3]);
		expect(a.systems.backups.status().setId).never.toBe(setOfB);
		Headless.crashServer(a.server);

		const c = startGameServer(world, dataStore, "after");
		c.server.memoryStoreFaults().filter((request) => request.operation === "GetRangeAsync");
		c.server.memoryStoreFaults().setFailureRate(1, 4);
		joinPlayer(world, c.server, PLAYER, 240);
		expect(journalOf(c.server).status().unreadPlayers).toBe(1);
		const build = idsOf(c.server, PLAYER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.includes(onB)).toBe(true);
		expect(build.includes(onA.placementId)).toBe(false);
		expect(build.size()).toBe(3);
		const decision = loaderOf(c.server).decisionOf(PLAYER);
		expect(decision?.savedRevision).toBe(0);
		expect(decision?.origin).toBe("backup");
		expect(decision?.detail).toBe(`backup ${backupOfB.id}`);
	}, TIMEOUT_MS);
});
