import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, startGameServer, storedBuild } from "../data-backup/backup-world";
import { journalOf, placeChair } from "./journal-world";

/** Places `count` chairs for each player, every placement from its own thread in this one resumption cycle. */
function placeAtOnce(server: HeadlessServer, counts: ReadonlyArray<[userId: number, count: number]>): string[] {
	const answers: string[] = [];
	let index = 0;
	for (const [userId, count] of counts) {
		for (let made = 0; made < count; made++) {
			const chair = index++;
			task.spawn(() => {
				const result = placeChair(server, userId, chair);
				answers.push(result.success ? (result.saved ?? "none") : result.reason);
			});
		}
	}
	return answers;
}

describe("the journal's batch write", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("writes the changes of one cycle in one flush: each player's entries, then one claim per player", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7201);
		joinPlayer(world, server, 7202);
		const journal = journalOf(server);
		const writer = journal.batchWriter();
		const batchesBefore = writer.counts().batches;
		const unitsBefore = journal.status().requestUnitsLastMinute;
		const answers = placeAtOnce(server, [
			[7201, 4],
			[7202, 1],
		]);
		// Nobody is answered before the flush: every placement waits for the write covering it.
		expect(answers.size()).toBe(0);
		waitUntil(() => answers.size() === 5, 10, "the five answers");
		expect(answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);
		expect(writer.counts().batches - batchesBefore).toBe(1);
		// 4 + 1 entry writes and one claim per player: 7 requests where one per change and a claim after each make 10.
		expect(journal.status().requestUnitsLastMinute - unitsBefore).toBe(7);
		expect(journal.status().entriesWritten).toBe(5);
		expect(server.memoryStoreUsage().items).toBe(5 + 2);
	});

	it("flushes cycle after cycle: a player placing once per frame is answered durable each time, one batch per change", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7221);
		const writer = journalOf(server).batchWriter();
		const batchesBefore = writer.counts().batches;
		const answers: string[] = [];
		for (let chair = 0; chair < 6; chair++) {
			const result = placeChair(server, 7221, chair);
			answers.push(result.success ? (result.saved ?? "none") : result.reason);
			Headless.frames(1);
		}
		expect(answers).toEqual(["durable", "durable", "durable", "durable", "durable", "durable"]);
		expect(writer.counts().batches - batchesBefore).toBe(6);
	});

	it("answers pending when the write outlasts its timeout; once it lands, the next change is written and answered durable", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7231);
		const journal = journalOf(server);
		const batchesBefore = journal.batchWriter().counts().batches;
		// Longer than the 3 s the journal waits for a write.
		server.memoryStoreFaults().setLatency(10);
		const slow = placeChair(server, 7231, 0);
		expect(slow.success && slow.saved).toBe("pending");
		// Queued while the timed-out batch's write is still under way: a batch of its own.
		const meanwhile = placeChair(server, 7231, 1);
		expect(meanwhile.success && meanwhile.saved).toBe("pending");
		server.memoryStoreFaults().clear();
		waitUntil(() => journal.status().pendingPlayers === 0, 60, "the slow writes to land");
		const later = placeChair(server, 7231, 2);
		expect(later.success && later.saved).toBe("durable");
		expect(journal.batchWriter().counts().batches - batchesBefore).toBe(3);
		expect(journal.status().entriesWritten).toBe(3);
	});

	it("writes every player's changes at once: with 1 s per request, five players are all durable after two round trips", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		const players = [7211, 7212, 7213, 7214, 7215];
		for (const userId of players) joinPlayer(world, server, userId);
		server.memoryStoreFaults().setLatency(1);
		const started = Headless.now();
		const answers = placeAtOnce(
			server,
			players.map((userId) => [userId, 1]),
		);
		waitUntil(() => answers.size() === 5, 20, "the five answers");
		// Each player's entry then their claim: 2 s, whoever else placed in the same frame.
		expect(Headless.now() - started).toBeLessThan(2.5);
		expect(answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);
	});

	it("an entry write that fails in a batch leaves the later entries of that player pending, and the retry lands them all", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7203);
		const journal = journalOf(server);
		server.memoryStoreFaults().filter((request) => request.operation === "UpdateAsync" && request.key !== "claim");
		server.memoryStoreFaults().failNext(1);
		const answers = placeAtOnce(server, [[7203, 3]]);
		waitUntil(() => answers.size() === 3, 10, "the three answers");
		expect(answers).toEqual(["pending", "pending", "pending"]);
		expect(journal.status().writeFailures).toBe(1);
		server.memoryStoreFaults().clear();
		waitUntil(() => journal.status().pendingPlayers === 0, 60, "the retry");
		expect(journal.status().entriesWritten).toBe(3);
		expect(storedBuild(server, 7203).size()).toBe(3);
	});
});
