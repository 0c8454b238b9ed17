import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey, journalMapName } from "server/build-journal/journal-entry";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, profileOn } from "../data-backup/backup-world";
import { QuotaWatch } from "../data-backup/quota-watch";
import { Acknowledged, journalOf, placeChair, serverWithChanges } from "./journal-world";

/**
 * `userId` (joined on `server`) places a chair whose entry write fails; its retry, a second later,
 * takes `retrySeconds` to land. Profile saves fail meanwhile, so only the journal can make the
 * change durable. Returns once the retry's write has started.
 */
function retryUnderWay(server: HeadlessServer, userId: number, acked: Acknowledged, retrySeconds: number) {
	const revision = profileOn(server, userId).Data.buildRevision + 1;
	const faults = server.memoryStoreFaults();
	let writes = 0;
	faults.filter((request) => {
		const ofIt = request.name === journalMapName(userId) && request.key === journalKey(revision);
		if (ofIt) writes += 1;
		return ofIt;
	});
	faults.failNext(1);
	failProfileWrites(server);
	acked.place(server, userId, 100);
	expect(acked.answers[acked.answers.size() - 1]).toBe("pending");
	faults.setLatency(retrySeconds);
	waitUntil(() => writes === 2, 5, "the retry to start writing");
}

describe("a change made while the retry of the player's failed journal write is writing", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("waits for that retry, which carries the earlier change, and is answered durable once it lands", () => {
		const { server, acked } = serverWithChanges(world, 7821, 0);
		retryUnderWay(server, 7821, acked, 1);
		const madeAt = Headless.now();
		acked.place(server, 7821, 0);
		expect(acked.answers).toEqual(["pending", "durable"]);
		// Not when its own write was over (a frame or two): when the retry's landed.
		expect(Headless.now() - madeAt).toBeGreaterThan(0.9);
	});

	it("waits for an earlier batch's slower write of the player too, when the retry lands first: answered durable once that write lands", () => {
		const { server, acked } = serverWithChanges(world, 7825, 0);
		journalOf(server).configure({ writeTimeoutSeconds: 5 });
		const base = profileOn(server, 7825).Data.buildRevision;
		const faults = server.memoryStoreFaults();
		let firstWrites = 0;
		faults.filter((request) => {
			if (request.name !== journalMapName(7825)) return false;
			if (request.key === journalKey(base + 1)) firstWrites += 1;
			return request.key === journalKey(base + 1) || request.key === journalKey(base + 2);
		});
		failProfileWrites(server);
		// The first change's write fails; its retry (a second later) and the next change's write take 3 s each.
		faults.failNext(1);
		acked.place(server, 7825, 0);
		faults.setLatency(3);
		waitUntil(() => firstWrites === 2, 5, "the retry to start writing");
		Headless.seconds(1);
		// Written beside the running retry, landing a second after it.
		task.spawn(() => acked.placed(placeChair(server, 7825, 1)));
		Headless.frames(1);
		// Lands at once, beside both: durable only once the slower one has landed too.
		task.spawn(() => acked.placed(placeChair(server, 7825, 2)));
		waitUntil(() => acked.answers.size() === 3, 10, "both changes' answers");
		expect(acked.answers).toEqual(["pending", "durable", "durable"]);
	});

	it("counts the retry's entry against the memory budget: the MemoryStore never holds more than the budget", () => {
		const { server, acked, journal } = serverWithChanges(world, 7822, 0);
		const claimBytes = journal.usage().bytesUsed;
		acked.place(server, 7822, 0);
		const entryBytes = journal.usage().bytesUsed - claimBytes;
		// Room for the retry's entry, not for another beside it.
		journal.configure({ memoryBaseShareBytes: 0, memoryPerPlayerBytes: math.floor(claimBytes + 2.5 * entryBytes) });
		retryUnderWay(server, 7822, acked, 1);
		acked.place(server, 7822, 1);
		const watch = new QuotaWatch();
		watch.watch(server);
		Headless.frames(180);
		expect(watch.peakBytes).toBeLessThanOrEqual(journal.usage().memoryBudgetBytes);
		expect(journal.usage().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);
	});
});

describe("a retry that writes an entry again while a slower write of it is still under way", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("counts the entry's bytes once: once the save trims the journal, nothing is left counted", () => {
		const { server, acked, journal } = serverWithChanges(world, 7823, 0);
		const base = profileOn(server, 7823).Data.buildRevision;
		const faults = server.memoryStoreFaults();
		faults.filter((request) => request.name === journalMapName(7823) && (request.key === journalKey(base + 1) || request.key === journalKey(base + 2)));
		// The first change's write takes 3 s; the next frame's fails at once, and its retry a second
		// later carries both changes: the first one's write is still under way.
		faults.setLatency(3);
		task.spawn(() => acked.placed(placeChair(server, 7823, 0)));
		Headless.frames(2);
		faults.setLatency(0);
		faults.failNext(1);
		task.spawn(() => acked.placed(placeChair(server, 7823, 1)));
		waitUntil(() => acked.answers.size() === 2 && journal.status().pendingPlayers === 0, 10, "both writes to land");
		profileOn(server, 7823).Save();
		waitUntil(() => journal.status().entriesTrimmed === 2, 30, "the save to trim the journal");
		// The trimmed entries expire within a second, and their bytes are released then.
		Headless.seconds(1);
		expect(server.memoryStoreUsage().items).toBe(1); // the claim
		expect(journal.usage().bytesUsed).toBe(server.memoryStoreUsage().bytesUsed);
	});
});

describe("a change made during a MemoryStore outage", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is answered pending at once when the next retry is due only after its deadline: no wait for a write that cannot land in time", () => {
		const { server, acked } = serverWithChanges(world, 7826, 0);
		const faults = server.memoryStoreFaults();
		faults.filter((request) => request.name === journalMapName(7826));
		faults.setFailureRate(1);
		failProfileWrites(server);
		acked.place(server, 7826, 0);
		// Retries after 1, 2 and 4 s have failed; the next one is 8 s away, past a change's 3 s.
		Headless.seconds(8);
		const madeAt = Headless.now();
		acked.place(server, 7826, 1);
		expect(acked.answers).toEqual(["pending", "pending"]);
		expect(Headless.now() - madeAt).toBeLessThan(0.2);
	});
});
