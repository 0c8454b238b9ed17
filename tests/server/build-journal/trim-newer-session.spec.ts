import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../../harness/world";
import { joinPlayer, profileOn } from "../data-backup/backup-world";
import { journalOf, loadAfterBothCrash, NOTHING_LOST, placeChair, startTakingOver, startUnawareServer } from "./journal-world";

const PLAYER = 7701;

describe("a journal write stored and then reported failed, whose revision a newer session then takes", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is never trimmed over the newer session's entry, and the old server's later backup never outranks the newer session: nothing lost, resurrected or duplicated", () => {
		const dataStore = Headless.newDataStore();
		// A never learns its session was taken; its backups land. A failed journal write is retried only after 30 s.
		const a = startUnawareServer(world, dataStore, PLAYER, 2);
		const acked = a.acked;
		journalOf(a.server).configure({ retryBaseSeconds: 30 });

		const b = startTakingOver(world, dataStore);
		joinPlayer(world, b.server, PLAYER, 240);
		expect(profileOn(b.server, PLAYER).Data.buildRevision).toBe(2);

		// A journals revision 3: stored, then reported failed (answered pending, retried later).
		a.server.memoryStoreFaults().failAfterWrite(1);
		const onA = placeChair(a.server, PLAYER, 2);
		assert(onA.success, "A refused its change");
		expect(onA.saved).toBe("pending");
		// B's change takes revision 3 over A's stored entry, and is durable.
		const onB = acked.place(b.server, PLAYER, 3);
		expect(acked.answers).toEqual(["durable", "durable", "durable"]);
		expect(profileOn(b.server, PLAYER).Data.buildRevision).toBe(3);

		// A backs up its build at revision 3 (with its own change): the backup lands and covers A's
		// revision 3, so A trims its stored-then-failed entry — which is B's now.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);

		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.includes(onB)).toBe(true);
		// A's change was never the player's build once B held it.
		expect(build.includes(onA.placementId)).toBe(false);
		expect(build.size()).toBe(3);
	});
});
