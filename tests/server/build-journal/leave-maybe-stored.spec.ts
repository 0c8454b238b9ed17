import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey, journalMapName } from "server/build-journal/journal-entry";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, profileOn } from "../data-backup/backup-world";
import { Acknowledged, serverWithChanges } from "./journal-world";

const LEAVER = 7811;
const STAYER = 7812;

describe("an entry whose write was reported failed though it landed, of a player who left", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is trimmed once the MemoryStore takes its trim: it never sits there uncounted, past the memory budget", () => {
		const { server, client, acked: leaver, journal } = serverWithChanges(world, LEAVER, 0);
		const revision = profileOn(server, LEAVER).Data.buildRevision + 1;
		const faults = server.memoryStoreFaults();
		faults.filter((request) => request.name === journalMapName(LEAVER) && request.key === journalKey(revision));
		// Stored, then reported failed: the entry may be there.
		faults.failAfterWrite(1);
		leaver.place(server, LEAVER, 0);
		expect(leaver.answers).toEqual(["pending"]);
		// Every later request for it fails: its retries, and the trims the saves that cover it ask for.
		faults.setFailureRate(1);
		client.disconnect();
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "a save covering the change to land");
		// The leave save lands too (the DataStore's write cooldown holds it a few seconds behind).
		Headless.seconds(10);
		faults.clear();
		// Within the longest trim backoff, and the expiry of what was trimmed and released.
		Headless.seconds(20);

		// Another player fills a small allowance.
		joinPlayer(world, server, STAYER);
		const stayer = new Acknowledged();
		const claimBytes = journal.usage().bytesUsed;
		stayer.place(server, STAYER, 0);
		const entryBytes = journal.usage().bytesUsed - claimBytes;
		// Room for one more entry (half another to spare), and no early save before it is full.
		journal.configure({ memoryBaseShareBytes: 0, memoryPerPlayerBytes: math.floor(claimBytes + 2.5 * entryBytes), earlySaveAtShare: 1 });
		stayer.place(server, STAYER, 1);
		expect(stayer.answers).toEqual(["durable", "durable"]);
		expect(server.memoryStoreUsage().bytesUsed).toBeLessThanOrEqual(journal.usage().memoryBudgetBytes);
		expect(journal.usage().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);
		expect(server.memoryStoreUsage().items).toBe(2 + 1); // the stayer's entries and claim
	});
});

describe("an entry of a player who left, reported failed only after the leave save covered it", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is trimmed, and the journal is forgotten with its claim: nothing stays held for a player who is gone", () => {
		const { server, client, acked: leaver, journal } = serverWithChanges(world, LEAVER, 0);
		leaver.place(server, LEAVER, 0);
		const revision = profileOn(server, LEAVER).Data.buildRevision + 2;
		const faults = server.memoryStoreFaults();
		// The next entry's write (and the trim of the one before) take 10 s; the write is stored, then reported failed.
		faults.filter((request) => request.name === journalMapName(LEAVER) && (request.key === journalKey(revision) || request.key === journalKey(revision - 1)));
		faults.setLatency(10);
		faults.failAfterWrite(1);
		task.spawn(() => leaver.place(server, LEAVER, 1));
		Headless.frames(2);
		// The leave save covers both changes while the write is still under way.
		client.disconnect();
		Headless.seconds(15);
		faults.clear();
		Headless.seconds(30);
		expect(leaver.answers).toEqual(["durable", "pending"]);
		expect(journal.usage().bytesUsed).toBe(0);
		expect(server.memoryStoreUsage().items).toBe(0);
	});
});
