import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { idsOf, joinPlayer } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { expectTakenOverWhileUnread, journalOf, loadAfterBothCrash, NOTHING_LOST, takenOverWhileUnread } from "./journal-world";

const PLAYER = 7731;

describe("a late read that searches the backups while the player leaves and rejoins the same server", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("does not put the backup it found over the rejoined session's build: a placement answered durable there stays", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked, b, client } = takenOverWhileUnread(world, dataStore, PLAYER);
		expectTakenOverWhileUnread(acked, b.server, PLAYER);
		const journal = journalOf(b.server);

		// A backs up at revision 5 and trims revision 4: B's late read will see the gap.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);

		// The late read's first backup request is slow: the player leaves and rejoins meanwhile.
		let slowed = 0;
		const faults = b.server.dataStoreFaults();
		faults.filter((request) => {
			if (request.name !== DataStoreNames.backups || request.isWrite) return false;
			slowed += 1;
			return slowed === 1;
		});
		faults.setLatency(20);
		b.server.memoryStoreFaults().clear();
		waitUntil(() => slowed >= 1, 120, "the late read to search the backups");
		client.disconnect();
		waitUntil(() => !systemsOf(b.server).builds.isLoaded(PLAYER), 30, "the build to unload");
		Headless.seconds(3);
		joinPlayer(world, b.server, PLAYER, 60);
		expect(journal.waitsForRead(PLAYER)).toBe(false);
		acked.place(b.server, PLAYER, 4);
		expect(acked.answers[acked.answers.size() - 1]).toBe("durable");

		// The first session's search ends.
		Headless.seconds(30);
		const live = acked.compare(idsOf(b.server, PLAYER));
		// The next placement takes the revision the durable one had.
		acked.place(b.server, PLAYER, 5);
		Headless.seconds(5);

		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect({ live, afterCrash: acked.compare(build) }).toEqual({ live: NOTHING_LOST, afterCrash: NOTHING_LOST });
	});
});
