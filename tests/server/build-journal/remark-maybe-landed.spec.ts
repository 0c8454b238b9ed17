import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey, journalMapName } from "server/build-journal/journal-entry";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, profileOn, startGameServer } from "../data-backup/backup-world";
import { journalOf, serverWithChanges } from "./journal-world";

const PLAYER = 7851;

/**
 * The first session journals three chairs (answered durable) and its server crashes before any
 * save covers them; a second server loads the player and replays them. Marking the oldest as the
 * second session's is stored, then reported failed: on load when `onRetry` is false, else on the
 * first retry after a load-time rewrite that failed outright. The next retry waits a minute, so
 * the load's save covers the entry while its mark is uncertain. Checks the counts once the trims
 * settle.
 */
function expectCountedAfterUncertainRemark(world: World, onRetry: boolean) {
	const dataStore = Headless.newDataStore();
	const first = serverWithChanges(world, PLAYER, 3, dataStore, "first");
	expect(first.acked.answers).toEqual(["durable", "durable", "durable"]);
	const oldest = profileOn(first.server, PLAYER).Data.buildRevision - 2;
	Headless.crashServer(first.server);

	const second = startGameServer(world, dataStore, "second");
	const journal = journalOf(second.server);
	journal.configure({ retryBaseSeconds: onRetry ? 1 : 60, retryMaxSeconds: 60 });
	const faults = second.server.memoryStoreFaults();
	let requests = 0;
	faults.filter((request) => {
		if (request.name !== journalMapName(PLAYER) || request.operation !== "UpdateAsync" || request.key !== journalKey(oldest)) return false;
		requests += 1;
		// The retry that lands: the one after it waits a minute.
		if (onRetry && requests === 2) journal.configure({ retryBaseSeconds: 60 });
		return true;
	});
	// Faults are taken in order: a failure before the request (nothing written) first, then one after a write.
	if (onRetry) faults.failNext(1);
	faults.failAfterWrite(1);
	joinPlayer(world, second.server, PLAYER, 240);
	const profile = profileOn(second.server, PLAYER);
	expect(profile.Data.buildRevision).toBe(oldest + 2);
	let saved = false;
	profile.OnAfterSave.Connect(() => (saved = true));
	if (onRetry) waitUntil(() => requests >= 2, 10, "the re-mark to be tried again");
	faults.clear();

	// The load's save (held a few seconds by the DataStore's write cooldown) covers the replayed
	// entries; their trims land and what they held expires.
	waitUntil(() => saved, 30, "the load's save to land");
	Headless.seconds(5);
	expect(requests).toBe(onRetry ? 2 : 1);
	expect(journal.usage().bytesUsed).toBe(second.server.memoryStoreUsage().bytesUsed);
	// Only the second session's claim is left.
	expect(second.server.memoryStoreUsage().items).toBe(1);
}

describe("a replayed entry whose re-mark as the newer session's landed but was reported failed", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("on load, is trimmed by the save that covers it before the re-mark is tried again: the journal's count matches the MemoryStore", () => {
		expectCountedAfterUncertainRemark(world, false);
	});

	it("on a retry, is trimmed by the save that covers it before the next one: the journal's count matches the MemoryStore", () => {
		expectCountedAfterUncertainRemark(world, true);
	});
});
