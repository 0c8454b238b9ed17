import { describe, expect, it } from "@rbxts/jest-globals";
import { JournalBatchWriter } from "server/build-journal/journal-batch-writer";
import { waitUntil } from "../../harness/world";

/** A player's journal as the batch writer sees it: a key whose write is slow or not. */
interface Journal {
	readonly name: string;
	readonly slow: boolean;
}

/** `count` journals, the `slowIndex`-th one slow; every comparison of two of them with `==` is counted. */
function comparedJournals(count: number, slowIndex: number) {
	const compared = { count: 0 };
	const metatable: LuaMetatable<Journal> = {
		__eq: (journal, other) => {
			compared.count += 1;
			return rawequal(journal, other);
		},
	};
	const journals: Journal[] = [];
	for (let index = 0; index < count; index++) journals.push(setmetatable({ name: `player ${index}`, slow: index === slowIndex }, metatable));
	return { journals, compared };
}

describe("the journal's batch writer waking its callers", () => {
	it("wakes each journal's callers when that journal's write is over, never looking at another journal's callers", () => {
		const { journals, compared } = comparedJournals(12, 4);
		// Every write yields, as its MemoryStore requests do; one player's takes a second.
		const writer = new JournalBatchWriter<Journal, number>((journal) => {
			task.wait(journal.slow ? 1 : 0);
			return false;
		}, () => 3, () => false);
		const started = Headless.now();
		const wokenAfter = new Map<string, number[]>();
		let woken = 0;
		// Three changes per player in one cycle, the players' interleaved.
		for (let change = 0; change < 3; change++) {
			for (const journal of journals) {
				task.spawn(() => {
					writer.enqueue(journal, change, true);
					const times = wokenAfter.get(journal.name) ?? [];
					times.push(Headless.now() - started);
					wokenAfter.set(journal.name, times);
					woken += 1;
				});
			}
		}
		waitUntil(() => woken === 36, 5, "every caller to wake");
		expect(writer.counts().batches).toBe(1);
		for (const journal of journals) {
			for (const after of wokenAfter.get(journal.name)!) {
				if (journal.slow) {
					expect(after).toBeGreaterThanOrEqual(1);
					expect(after).toBeLessThan(1.1);
				} else expect(after).toBeLessThan(0.1);
			}
		}
		// Waking one journal's callers walked only theirs: no caller's journal was compared with the written one.
		expect(compared.count).toBe(0);
	});
});
