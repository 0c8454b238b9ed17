import { describe, expect, it } from "@rbxts/jest-globals";
import { DurabilityLedger } from "server/build-journal/durability-ledger";
import { applyJournal, decodeEntry, encodedJsonSize, encodeEntry, followingChain, JournalEntry, journalKey, markedAs, writerOf } from "server/build-journal/journal-entry";
import { RequestMeter } from "server/build-journal/request-meter";
import { SessionClaim } from "server/build-journal/journal-claim";
import { ClaimResult, JournalStore, sessionMark } from "server/build-journal/journal-store";
import { StoredPlacement } from "server/player-data/player-data";

function chair(id: string, x = 0): StoredPlacement {
	return { id, itemId: "chair", x, y: 0, z: 4, rotation: 90, placedAt: 1_700_000_000 };
}

function placed(revision: number, id: string): JournalEntry {
	return { revision, at: 1_700_000_000 + revision, session: "s1", change: { kind: "place", placement: chair(id, revision) } };
}

function removed(revision: number, id: string): JournalEntry {
	return { revision, at: 1_700_000_000 + revision, session: "s1", change: { kind: "remove", placementId: id } };
}

/** The ids, sorted: a build is a set, its order does not matter. */
function ids(placements: readonly StoredPlacement[]): string {
	const sorted = placements.map((placement) => placement.id);
	sorted.sort();
	return sorted.join(",");
}

describe("journal entries", () => {
	it("survive encoding, and anything else decodes to nothing", () => {
		for (const entry of [placed(7, "a"), removed(8, "a")]) expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
		expect(decodeEntry("junk")).toBeUndefined();
		expect(decodeEntry(["p", 1, 2, "s1", "id", "chair", 0, 0])).toBeUndefined();
		expect(decodeEntry(["x", 1, 2, "s1", "id"])).toBeUndefined();
		expect(decodeEntry(["r", 1, 2, 3, "id"])).toBeUndefined();
		expect(decodeEntry(["r", 1, 2, "s1", "id", 5])).toBeUndefined();
		expect(journalKey(42)).toBe("000000000042");
		expect(journalKey(9) < journalKey(10)).toBe(true);
	});

	it("keep the session that wrote them through every mark a newer session puts on them, encoded and decoded", () => {
		const once = markedAs(placed(7, "a"), "2:b", 9);
		const twice = markedAs(once, "3:c", 12);
		expect(twice).toMatchObject({ session: "3:c", writtenBy: "s1", loadedAt: 12 });
		expect(writerOf(twice)).toBe("s1");
		expect(writerOf(placed(7, "a"))).toBe("s1");
		expect(markedAs(once, "2:b", 9)).toBe(once);
		for (const entry of [once, twice, markedAs(removed(8, "a"), "2:b", 8)]) expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
		// A writer without the revision loaded (or the other way round) is no entry.
		expect(decodeEntry(["r", 1, 2, "2:b", "id", "s1"])).toBeUndefined();
		expect(decodeEntry(["r", 1, 2, "2:b", "id", undefined, 4])).toBeUndefined();
		const store = new JournalStore();
		expect(store.bytesOf(twice)).toBe(store.bytesOfByJson(twice));
		// The longer mark, then the writer's mark and the revision loaded, each after a comma.
		expect(store.bytesOf(twice)).toBe(store.bytesOf(placed(7, "a")) + ("3:c".size() - "s1".size()) + ',"s1",12'.size());
	});

	it("take in the MemoryStore exactly the bytes their JSON takes, counted without encoding where it can be", () => {
		const store = new JournalStore();
		const odd: StoredPlacement = { id: 'quote"d\\id', itemId: "chair", x: -12.5, y: 1e20, z: -0, rotation: 270, placedAt: 1_700_000_000 };
		const guid: StoredPlacement = { ...chair("6F9619FF-8B86-D011-B42D-00C04FC964FF", -301), z: -1024 };
		const entries: JournalEntry[] = [
			placed(7, "a"),
			removed(123_456, "6F9619FF-8B86-D011-B42D-00C04FC964FF"),
			{ revision: 9, at: 1_700_000_009, session: "7c1d9a2b", change: { kind: "place", placement: guid } },
			{ revision: 10, at: 1_700_000_010, session: "s1", change: { kind: "place", placement: odd } },
		];
		for (const entry of entries) expect(store.bytesOf(entry)).toBe(store.bytesOfByJson(entry));
		expect(encodedJsonSize(encodeEntry(entries[3]))).toBeUndefined();
		expect(encodedJsonSize(encodeEntry(entries[2]))).toBeDefined();
	});

	it("continue a stored build only up to the first gap", () => {
		const entries = [placed(5, "e"), placed(3, "c"), placed(4, "d"), placed(7, "g")];
		expect(followingChain(entries, 2).map((entry) => entry.revision)).toEqual([3, 4, 5]);
		expect(followingChain(entries, 5)).toEqual([]);
		expect(followingChain(entries, 6).map((entry) => entry.revision)).toEqual([7]);
	});

	it("stop at an older ProfileStore session's entry after a newer session's (written once the newer had taken over)", () => {
		const of = (revision: number, session: string): JournalEntry => ({ ...placed(revision, `x${revision}`), session });
		const entries = [of(3, "4:aaaa"), of(4, "5:bbbb"), of(5, "5:bbbb"), of(6, "4:aaaa"), of(7, "5:bbbb")];
		expect(followingChain(entries, 2).map((entry) => entry.revision)).toEqual([3, 4, 5]);
		// Marks without a load count (written before it was recorded) count as the oldest.
		expect(followingChain([of(3, "s1"), of(4, "2:cccc"), of(5, "s1")], 2).map((entry) => entry.revision)).toEqual([3, 4]);
	});

	it("do not start with an entry of a session older than the build they continue", () => {
		const of = (revision: number, session: string): JournalEntry => ({ ...placed(revision, `x${revision}`), session });
		// A build of session 5 at revision 2: session 4's entry at 3 was written after session 5 loaded.
		expect(followingChain([of(3, "4:aaaa"), of(4, "5:bbbb")], 2, 5)).toEqual([]);
		expect(followingChain([of(3, "5:bbbb"), of(4, "6:cccc")], 2, 5).map((entry) => entry.revision)).toEqual([3, 4]);
		// A build of an unrecorded session (0) is continued as before.
		expect(followingChain([of(3, "4:aaaa")], 2, 0).map((entry) => entry.revision)).toEqual([3]);
	});

	it("do not continue a build an earlier read replayed up to a newer session's entry with an older session's", () => {
		const of = (revision: number, session: string): JournalEntry => ({ ...placed(revision, `x${revision}`), session });
		// Session 5 overwrote session 4's entries up to 13; 4's stale 14 is left. The load replayed
		// 11..13; the session's own read continues from 13, a build of session 3's save.
		const entries = [of(11, "5:bbbb"), of(12, "5:bbbb"), of(13, "5:bbbb"), of(14, "4:aaaa")];
		expect(followingChain(entries, 10, 3).map((entry) => entry.revision)).toEqual([11, 12, 13]);
		expect(followingChain(entries, 13, 3)).toEqual([]);
		// Session 5's own next change does continue it.
		expect(followingChain([...entries.filter((entry) => entry.revision !== 14), of(14, "5:bbbb")], 13, 3).map((entry) => entry.revision)).toEqual([14]);
	});

	it("apply in order, idempotently, without touching the input", () => {
		const stored = [chair("a"), chair("b")];
		const entries = [placed(3, "c"), removed(4, "a"), placed(5, "b"), removed(6, "zz"), placed(7, "d"), removed(8, "c")];
		const result = applyJournal(stored, entries);
		expect(ids(result)).toBe("b,d");
		expect(ids(stored)).toBe("a,b");
		expect(ids(applyJournal(result, entries))).toBe("b,d");
	});
});

describe("durability ledger", () => {
	it("counts a revision durable only when the stored copy and the journal cover it without gaps", () => {
		const ledger = new DurabilityLedger(10);
		ledger.acknowledge(placed(11, "a"), 0);
		ledger.acknowledge(placed(12, "b"), 1);
		ledger.acknowledge(placed(13, "c"), 2);
		expect(ledger.durabilityOf(10)).toBe("durable");
		ledger.journal(12, 100);
		ledger.journal(13, 100);
		// 11's write failed: 12 and 13 could not be replayed past it.
		expect(ledger.durabilityOf(12)).toBe("pending");
		expect(ledger.pendingSeconds(32)).toBe(32);
		expect(ledger.waiting().map((entry) => entry.revision)).toEqual([11]);
		ledger.journal(11, 100);
		expect(ledger.durableRevision()).toBe(13);
		expect(ledger.pendingSeconds(40)).toBe(0);
	});

	it("still finds the oldest pending change after hundreds became durable (its acknowledgement list is compacted in place)", () => {
		const ledger = new DurabilityLedger(0);
		for (let revision = 1; revision <= 300; revision++) ledger.acknowledge(placed(revision, `p${revision}`), revision);
		for (let revision = 1; revision <= 200; revision++) {
			ledger.journal(revision, 10);
			// Asked as every placement asks it: the durable ones are passed over and, past 64, dropped.
			expect(ledger.pendingSeconds(1000)).toBe(1000 - (revision + 1));
		}
		// A change acknowledged with an earlier time than the pending ones is the oldest pending one.
		ledger.acknowledge(placed(301, "late"), 150.5);
		expect(ledger.pendingSeconds(1000)).toBe(1000 - 150.5);
		for (let revision = 201; revision <= 300; revision++) ledger.journal(revision, 10);
		expect(ledger.pendingSeconds(1000)).toBe(1000 - 150.5);
		ledger.journal(301, 10);
		expect(ledger.pendingSeconds(1000)).toBe(0);
		expect(ledger.durableRevision()).toBe(301);
	});

	it("hands back the entries a landed save covers, and forgets changes it made unnecessary", () => {
		const ledger = new DurabilityLedger(0);
		for (let revision = 1; revision <= 4; revision++) ledger.acknowledge(placed(revision, `p${revision}`), 0);
		ledger.journal(1, 90);
		ledger.journal(2, 95);
		const trimmable = ledger.storedUpTo(3);
		trimmable.sort((a, b) => a[0] < b[0]);
		expect(trimmable).toEqual([
			[1, 90],
			[2, 95],
		]);
		expect(ledger.waiting().map((entry) => entry.revision)).toEqual([4]);
		ledger.trimmed(1);
		expect(ledger.journaledBytes()).toBe(95);
		expect(ledger.durabilityOf(3)).toBe("durable");
		expect(ledger.durabilityOf(4)).toBe("pending");
	});

	it("keeps its journal byte total equal to the entries' bytes as they are counted again, trimmed (known or not) and forgotten", () => {
		const ledger = new DurabilityLedger(0);
		const random = new Random(17);
		const sumOfEntries = () => {
			let total = 0;
			for (const [, bytes] of ledger.journaled) total += bytes;
			return total;
		};
		for (let step = 0; step < 400; step++) {
			const revision = random.NextInteger(1, 30);
			const roll = random.NextInteger(1, 20);
			if (roll <= 12) ledger.journal(revision, random.NextInteger(20, 300));
			else if (roll <= 19) ledger.trimmed(revision);
			else ledger.forgetJournal();
			expect(ledger.journaledBytes()).toBe(sumOfEntries());
		}
	});

	it("keeps the durable revision and the oldest pending change right as entries come, go and are forgotten", () => {
		const ledger = new DurabilityLedger(0);
		for (let revision = 1; revision <= 5; revision++) ledger.acknowledge(placed(revision, `p${revision}`), revision * 10);
		ledger.journal(2, 50);
		ledger.journal(1, 50);
		ledger.journal(4, 50);
		expect(ledger.durableRevision()).toBe(2);
		// 3 is the oldest change still pending (acknowledged at 30).
		expect(ledger.pendingSeconds(100)).toBe(70);
		ledger.journal(3, 50);
		expect(ledger.durableRevision()).toBe(4);
		expect(ledger.pendingSeconds(100)).toBe(50);
		// Trimming an entry above the stored copy opens a gap: the run ends below it.
		ledger.trimmed(2);
		expect(ledger.durableRevision()).toBe(1);
		expect(ledger.durabilityOf(3)).toBe("pending");
		ledger.storedUpTo(2);
		expect(ledger.durableRevision()).toBe(4);
		ledger.forgetJournal();
		expect(ledger.durableRevision()).toBe(2);
		expect(ledger.journaledBytes()).toBe(0);
		ledger.journal(3, 50);
		ledger.journal(4, 50);
		ledger.journal(5, 50);
		expect(ledger.durableRevision()).toBe(5);
		expect(ledger.pendingSeconds(100)).toBe(0);
	});
});

describe("request meter", () => {
	it("counts the units of the last 60 seconds", () => {
		const meter = new RequestMeter();
		meter.add(0, 1);
		meter.add(30, 5);
		expect(meter.lastWindow(59)).toBe(6);
		expect(meter.lastWindow(60)).toBe(5);
		expect(meter.lastWindow(91)).toBe(0);
	});

	it("holds only the last window's requests however long it runs unread", () => {
		const meter = new RequestMeter();
		// A day at 5 requests a second, never asked for its figure.
		for (let second = 0; second < 86400; second++) for (let request = 0; request < 5; request++) meter.add(second, 1);
		expect((meter as unknown as { spent: unknown[] }).spent.size()).toBeLessThanOrEqual(2 * 61 * 5);
		// Seconds 86341 to 86399 are within the minute ending at 86400.
		expect(meter.lastWindow(86400)).toBe(59 * 5);
	});
});

describe("a session's claim on the journal", () => {
	/** A claim over a store answering `results` in turn, confirmed after each entry; counts the profile reads it makes. */
	function claimOver(results: ClaimResult[], storedLoadCount: number) {
		let reads = 0;
		const store = { claim: () => results.shift()! } as unknown as JournalStore;
		const claim = new SessionClaim(7, sessionMark(3), store, () => {
			reads += 1;
			return storedLoadCount;
		});
		const map = undefined as unknown as MemoryStoreSortedMap;
		return { confirm: () => claim.confirm(map, 60), reads: () => reads };
	}

	it("checks the stored profile again after a claim write that failed: it may have been stored over a missing claim", () => {
		const { confirm, reads } = claimOver(["created", "mine", { problem: "stored, then reported failed" }, "mine"], 3);
		expect(confirm()).toBe("held");
		expect(confirm()).toBe("held");
		expect(reads()).toBe(1);
		expect(confirm()).toEqual({ problem: "stored, then reported failed" });
		expect(confirm()).toBe("held");
		expect(reads()).toBe(2);
	});

	it("finds a newer session in the stored profile after such a failure", () => {
		const { confirm } = claimOver(["created", { problem: "stored, then reported failed" }, "mine"], 4);
		expect(confirm()).toBe("newer");
		expect(confirm()).toEqual({ problem: "stored, then reported failed" });
		expect(confirm()).toBe("newer");
	});
});
