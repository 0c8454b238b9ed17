import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { RejectionReason } from "shared/placement/rejection-reason";
import { JournalDefaults } from "shared/config/journal-config";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, loadOnFreshServer, startGameServer, storedBuild } from "../data-backup/backup-world";
import { journalOf, NOTHING_LOST, placeChair, removeObject, serverWithChanges } from "./journal-world";

const PLAYER = 7601;
/** Jest's test timeout runs on the virtual clock: this spec jumps past the claim's expiration. */
const TIMEOUT_MS = 12 * 3600 * 1000;

describe("an old server that goes on believing it holds the player for longer than a claim lives", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("still gets no change answered durable that the new owner will not see, and loses nothing the new session acknowledged", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, PLAYER, 2, dataStore, "stale");
		const { acked } = a;
		// A's saves and backups never land and it misses every message, so it never learns that its
		// session was taken; it can still read.
		a.server.dataStoreFaults().filter((request) => request.isWrite);
		a.server.dataStoreFaults().setFailureRate(1, 11);
		a.server.setDropsMessages(true);

		// The player moves to B, builds there and leaves cleanly: B's leave save lands, its journal
		// is trimmed and its claim released, so the MemoryStore holds nothing of the player.
		const b = startGameServer(world, dataStore, "new");
		const onB = joinPlayer(world, b.server, PLAYER, 240);
		for (let index = 4; index < 7; index++) acked.place(b.server, PLAYER, index);
		onB.disconnect();
		// B's memory figure follows its entries and its claim out of the MemoryStore.
		waitUntil(() => b.server.memoryStoreUsage().items === 0 && journalOf(b.server).status().bytesUsed === 0, 120, "B's journal and claim to be gone");
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);

		// Longer than any claim lives: A's own claim has expired too.
		Headless.skipTime(JournalDefaults.claimExpirationSeconds + 600);
		const late = placeChair(a.server, PLAYER, 7);
		assert(late.success, "the stale server refused the change outright");
		// A wrote its entry (the revision was free) but could not prove the journal is still its own:
		// the stored profile shows B's newer session, so the change is not answered durable.
		expect(late.saved).toBe("pending");
		expect(journalOf(a.server).changeRefusal(PLAYER)).toBe(RejectionReason.SessionMoved);
		expect(a.server.output().join("\n")).toMatch("claimed by a newer session");
		// One profile read proved A's claim when its session started; the expired claim took another.
		expect(journalOf(a.server).status().claimChecks).toBe(2);

		// Whatever A still holds, the next server loads exactly what B acknowledged.
		Headless.crashServer(a.server);
		const { build } = loadOnFreshServer(world, dataStore, PLAYER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.includes(late.placementId)).toBe(false);
		expect(build.size()).toBe(5);
	}, TIMEOUT_MS);

	it("a removal the old server journals after the new session left is not replayed on top of the new session's build", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, PLAYER + 1, 2, dataStore, "stale");
		const { acked, ids } = a;
		a.server.dataStoreFaults().filter((request) => request.isWrite);
		a.server.dataStoreFaults().setFailureRate(1, 19);
		a.server.setDropsMessages(true);

		// B loads both chairs and leaves without changing anything: its profile holds revision 2,
		// and the MemoryStore nothing of the player.
		const b = startGameServer(world, dataStore, "new");
		const onB = joinPlayer(world, b.server, PLAYER + 1, 240);
		expect(storedBuild(b.server, PLAYER + 1).size()).toBe(2);
		onB.disconnect();
		waitUntil(() => b.server.memoryStoreUsage().items === 0, 120, "B's journal and claim to be gone");

		// A removes a chair: its entry takes the free revision 3 right above B's build.
		const removal = removeObject(a.server, PLAYER + 1, ids[0]);
		assert(removal.success, "the stale server refused the removal outright");
		expect(removal.saved).toBe("pending");

		Headless.crashServer(a.server);
		const { build } = loadOnFreshServer(world, dataStore, PLAYER + 1);
		// Both chairs B acknowledged are there: A's entry, older than B's build, was not replayed.
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(2);
	});
});
