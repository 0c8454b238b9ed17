import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, profileOn, sessionStartedOn, startGameServer } from "../data-backup/backup-world";
import { Acknowledged, journalOf, serverWithChanges } from "./journal-world";

const PLAYER = 7841;

/**
 * The player's sessions 1 to 8 come and go on one server; the ninth, on another, journals three
 * chairs (answered durable) and that server crashes. A session's mark starts with its load count,
 * so the tenth session's is a digit longer than the ninth's. Returns the bytes the ninth's journal
 * held (its claim and entries).
 */
function ninthSessionCrashed(world: World, dataStore: HeadlessDataStore): number {
	const { server } = startGameServer(world, dataStore, "sessions-1-to-8");
	for (let session = 1; session <= 8; session++) {
		const client = joinPlayer(world, server, PLAYER);
		client.disconnect();
		waitUntil(() => !sessionStartedOn(server, PLAYER), 30, `session ${session} to end`);
	}
	Headless.seconds(10);
	const ninth = serverWithChanges(world, PLAYER, 3, dataStore, "ninth");
	expect(profileOn(ninth.server, PLAYER).SessionLoadCount).toBe(9);
	expect(ninth.acked.answers).toEqual(["durable", "durable", "durable"]);
	const bytes = ninth.journal.usage().bytesUsed;
	Headless.crashServer(ninth.server);
	return bytes;
}

describe("entries a session replays and re-marks under a mark a digit longer", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("grow by a byte each and by the mark of the session that wrote them, counted at once: nothing is written past the budget meanwhile, and the load's save trims them", () => {
		const dataStore = Headless.newDataStore();
		const ninthBytes = ninthSessionCrashed(world, dataStore);
		const tenth = startGameServer(world, dataStore, "tenth");
		const journal = journalOf(tenth.server);
		// The ninth session's journal fills the tenth server's allowance exactly.
		journal.configure({ memoryBaseShareBytes: 0, memoryPerPlayerBytes: ninthBytes });
		joinPlayer(world, tenth.server, PLAYER, 240);
		expect(profileOn(tenth.server, PLAYER).SessionLoadCount).toBe(10);
		// The claim a byte longer; the three re-marked entries a byte longer each and carrying the ninth
		// session's mark (`,"9:` and an 8-character tag and `"`) as the session that wrote them and the
		// revision the tenth loaded (`,3`); all counted as the MemoryStore holds them.
		const marking = ',"9:12345678",3'.size();
		const grown = 1 + 3 * (1 + marking);
		expect(journal.usage().bytesUsed).toBe(ninthBytes + grown);
		expect(journal.usage().bytesUsed).toBe(tenth.server.memoryStoreUsage().bytesUsed);
		// Until the load's save (held a few seconds by the DataStore's write cooldown) trims them, a
		// change is checked against them: not written, answered pending.
		const acked = new Acknowledged();
		acked.place(tenth.server, PLAYER, 3);
		expect(acked.answers).toEqual(["pending"]);
		expect(tenth.server.memoryStoreUsage().bytesUsed).toBe(ninthBytes + grown);
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the load's save to trim the replayed entries");
		Headless.seconds(1);
		expect(journal.usage().bytesUsed).toBe(tenth.server.memoryStoreUsage().bytesUsed);
		expect(tenth.server.memoryStoreUsage().bytesUsed).toBeLessThanOrEqual(journal.usage().memoryBudgetBytes);
	});
});
