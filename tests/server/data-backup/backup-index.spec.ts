import { describe, expect, it } from "@rbxts/jest-globals";
import { bucketOf, indexKeysBetween, needsNewSet, reuseSecondsOf, setsCovering, shardOf, withCoverage } from "server/data-backup/backup-index";
import { ReleasedBuilds } from "server/build-loading/released-builds";
import { isNewerBuild, newestBuild, overtakenByJournal } from "server/build-loading/load-decision";

describe("the shared backup index", () => {
	it("lists every bucket and shard from a start time to now, newest first", () => {
		const keys = indexKeysBetween(3600 * 5 + 10, 3600 * 7 + 5, 3600, 2).map((entry) => entry.key);
		expect(keys).toEqual(["7/0", "7/1", "6/0", "6/1", "5/0", "5/1"]);
		expect(bucketOf(3599, 3600)).toBe(0);
		expect(shardOf("some-job-id", 4)).toBe(shardOf("some-job-id", 4));
	});

	it("merges coverage idempotently, so a write stored and then retried gives the same record", () => {
		const once = withCoverage(undefined, "A", [3, 1], 100);
		const twice = withCoverage(once, "A", [3, 1], 100);
		expect(twice).toEqual(once);
		const more = withCoverage(withCoverage(twice, "B", [2], 120), "A", [2], 130);
		expect(more.sets.A).toEqual({ players: [1, 2, 3], first: 100, last: 130 });
		expect(setsCovering([more], 2).sort()).toEqual(["A", "B"]);
		expect(setsCovering([more], 3)).toEqual(["A"]);
		expect(setsCovering([more], 9)).toEqual([]);
	});

	it("reuses a read of a bucket made after it closed for the lookback, and one made while it was open only while it stays open", () => {
		// Read in bucket 7 after bucket 6 closed: no record can land in 6 unseen.
		expect(reuseSecondsOf(6, 7, 9, 10, 1000)).toBe(1000);
		// Read while bucket 6 was open: reused while it is open, read again once it has closed.
		expect(reuseSecondsOf(6, 6, 6, 10, 1000)).toBe(10);
		expect(reuseSecondsOf(6, 6, 6, 0, 1000)).toBe(0);
		expect(reuseSecondsOf(6, 6, 7, 10, 1000)).toBe(0);
	});

	it("moves a server to a new set once its set has shown no sign of life for the set age limit", () => {
		expect(needsNewSet(undefined, 10_000, 100)).toBe(false);
		expect(needsNewSet(1000, 1099, 100)).toBe(false);
		expect(needsNewSet(1000, 1100, 100)).toBe(true);
	});
});

describe("the load decision", () => {
	it("takes the highest revision, and the profile on a tie", () => {
		const profile = { placements: [], revision: 5, origin: "profile" as const };
		expect(newestBuild(profile, [{ placements: [], revision: 5, origin: "backup" }]).origin).toBe("profile");
		expect(newestBuild(profile, [{ placements: [], revision: 4, origin: "handover" }, { placements: [], revision: 7, origin: "backup" }]).origin).toBe("backup");
	});

	it("ranks a newer ProfileStore session's build above an older session's copy at a higher revision", () => {
		// B (session 2) saved revision 3 and its journal was trimmed; A (session 1), taken over but not
		// knowing it, backed up its own revision 5 afterwards.
		const profile = { placements: [], revision: 3, session: 2, origin: "profile" as const };
		expect(newestBuild(profile, [{ placements: [], revision: 5, session: 1, origin: "backup" }]).origin).toBe("profile");
		expect(newestBuild(profile, [{ placements: [], revision: 4, session: 2, origin: "backup" }]).origin).toBe("backup");
		// Copies that recorded no session rank by revision among themselves, as before.
		expect(newestBuild({ placements: [], revision: 3, origin: "profile" }, [{ placements: [], revision: 4, origin: "backup" }]).origin).toBe("backup");
		expect(isNewerBuild({ revision: 1, session: 3 }, { revision: 9 })).toBe(true);
	});

	it("takes an older session's copy as overtaken once a newer session journaled a revision at or below it", () => {
		const copy = { placements: [], revision: 3, session: 1 };
		expect(overtakenByJournal(copy, [{ revision: 3, session: "2:b" }])).toBe(true);
		expect(overtakenByJournal(copy, [{ revision: 4, session: "2:b" }])).toBe(false);
		expect(overtakenByJournal(copy, [{ revision: 2, session: "1:a" }, { revision: 3, session: "1:a" }])).toBe(false);
	});

	it("does not take a copy as overtaken by its own session's (or an older one's) entries that a newer session marked as its own, up to the build that session loaded", () => {
		const copy = { placements: [], revision: 3, session: 1 };
		expect(overtakenByJournal(copy, [{ revision: 3, session: "2:b", writtenBy: "1:a", loadedAt: 3 }])).toBe(false);
		expect(overtakenByJournal(copy, [{ revision: 2, session: "3:c", writtenBy: "0:z", loadedAt: 5 }])).toBe(false);
		// The newer session loaded revision 2: the copy's revision 3 was made after it took the player over.
		expect(overtakenByJournal(copy, [{ revision: 2, session: "2:b", writtenBy: "1:a", loadedAt: 2 }])).toBe(true);
		// Written by a newer session, whatever marks it now.
		expect(overtakenByJournal(copy, [{ revision: 3, session: "3:c", writtenBy: "2:b", loadedAt: 3 }])).toBe(true);
	});

	it("holds a released build until its last save lands, a load takes it or it expires", () => {
		const held = new ReleasedBuilds(100);
		held.hold(1, [{ id: "a", itemId: "chair", x: 1, y: 0, z: 1, rotation: 0, placedAt: 0 }], 4, 1, 0);
		held.saved(1, 3);
		const found = held.find(1, 10);
		expect(found?.revision).toBe(4);
		// Found by a load that has not decided yet: still held for the next one.
		expect(held.find(1, 20)).toBe(found);
		held.taken(1, found!);
		expect(held.find(1, 20)).toBeUndefined();
		// A newer build held meanwhile is not the one a load took.
		held.hold(1, [], 5, 2, 0);
		held.taken(1, found!);
		expect(held.find(1, 20)?.revision).toBe(5);
		held.saved(1, 5);
		expect(held.find(1, 20)).toBeUndefined();
		held.hold(2, [], 4, 1, 0);
		expect(held.find(2, 101)).toBeUndefined();
	});
});
