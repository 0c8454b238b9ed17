import { describe, expect, it } from "@rbxts/jest-globals";
import type { BackupRow, ManifestEntry, PlayerBackup } from "server/data-backup/backup-types";
import { rebuildPlayer } from "server/data-backup/rebuild";

const USER = 7;

function row(id: string): BackupRow {
	return [id, "chair", 2, 0, 2, 0, 100];
}

function entry(id: string, snapshot: boolean, revision = 0, base?: number): ManifestEntry {
	const bases = base === undefined ? undefined : [snapshot ? -1 : base];
	return { id, kind: snapshot ? "full" : "incremental", createdAt: 0, players: [USER], revisions: [revision], snapshots: snapshot ? [USER] : [], bases, size: 0, checksum: "", chunks: 1 };
}

/** A history of backups for one player, some of them unreadable. */
function history(backups: [string, PlayerBackup | string][], revisions?: [number, number?][]) {
	const entries = backups.map(([id, backup], index) => {
		const fallback = typeIs(backup, "string") ? index + 1 : backup.revision;
		const [revision, base] = revisions?.[index] ?? [fallback, !typeIs(backup, "string") ? backup.base : undefined];
		return entry(id, !typeIs(backup, "string") && backup.snapshot !== undefined, revision, base);
	});
	const byId = new Map(backups);
	const reads: string[] = [];
	const read = (target: ManifestEntry) => {
		reads.push(target.id);
		return byId.get(target.id)!;
	};
	return { entries, read, reads };
}

function ids(outcome: ReturnType<typeof rebuildPlayer>) {
	return outcome.build?.placements.map((placement) => placement.id);
}

describe("rebuilding a build from a full backup and incrementals", () => {
	it("carries the session of the newest backup it includes, 0 for backups that recorded none", () => {
		const { entries, read } = history([
			["1_1", { revision: 3, snapshot: [row("a")] }],
			["2_2", { revision: 4, added: [row("b")], removed: [] }],
		]);
		expect(rebuildPlayer(USER, entries, read).build!.session).toBe(0);
		entries[0].sessions = [2];
		entries[1].sessions = [5];
		expect(rebuildPlayer(USER, entries, read).build!.session).toBe(5);
		expect(rebuildPlayer(USER, [entries[0]], read).build!.session).toBe(2);
	});

	it("starts from an older whole build when the newest one's chain stops short of the newest backup", () => {
		// A full backup (r7) stored though reported failed; the next incremental went on the older base (r5).
		const { entries, read } = history(
			[
				["1_1", { revision: 5, snapshot: [row("a")] }],
				["2_2", { revision: 7, snapshot: [row("a"), row("b"), row("c")] }],
				["3_3", { revision: 9, base: 5, added: [row("b"), row("c"), row("d")], removed: [] }],
			],
			[[5], [7], [9, 5]],
		);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(outcome.build!.revision).toBe(9);
		expect(outcome.build!.usedBackupId).toBe("3_3");
		expect(ids(outcome)).toEqual(["a", "b", "c", "d"]);
	});

	it("replays removals and additions after the newest whole build, reading nothing older", () => {
		const { entries, read, reads } = history([
			["1_1", { revision: 1, snapshot: [row("old")] }],
			["2_2", { revision: 3, snapshot: [row("a"), row("b")] }],
			["3_3", { revision: 4, added: [row("c")], removed: ["a"] }],
			["4_4", { revision: 6, added: [row("d")], removed: [] }],
		]);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(ids(outcome)).toEqual(["b", "c", "d"]);
		expect(outcome.build!.revision).toBe(6);
		expect(outcome.build!.usedBackupId).toBe("4_4");
		expect(outcome.skipped).toEqual([]);
		expect(reads).toEqual(["2_2", "3_3", "4_4"]);
	});

	it("stops before an unreadable incremental and reports it", () => {
		const { entries, read } = history([
			["1_1", { revision: 1, snapshot: [row("a")] }],
			["2_2", { revision: 2, added: [row("b")] }],
			["3_3", "checksum mismatch"],
			["4_4", { revision: 4, added: [row("d")] }],
		]);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(ids(outcome)).toEqual(["a", "b"]);
		expect(outcome.build!.usedBackupId).toBe("2_2");
		expect(outcome.skipped).toEqual([{ id: "3_3", problem: "checksum mismatch" }]);
	});

	it("falls back to the previous whole build when the newest one is corrupt", () => {
		const { entries, read } = history([
			["1_1", { revision: 1, snapshot: [row("a")] }],
			["2_2", { revision: 2, added: [row("b")] }],
			["3_3", { revision: 3, snapshot: [row("x"), ["broken"] as unknown as BackupRow] }],
			["4_4", { revision: 4, added: [row("d")] }],
		]);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(ids(outcome)).toEqual(["a", "b"]);
		expect(outcome.skipped[0].id).toBe("3_3");
		expect(outcome.skipped[0].problem).toMatch("malformed");
	});

	it("gives no build when every whole build is unusable", () => {
		const { entries, read } = history([
			["1_1", "chunk 1 is missing"],
			["2_2", { revision: 2, added: [row("b")] }],
		]);
		entries[0] = entry("1_1", true, 1);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(outcome.build).toBeUndefined();
		expect(outcome.skipped).toEqual([{ id: "1_1", problem: "chunk 1 is missing" }]);
	});

	it("passes over a stored-then-failed backup whose changes a later backup carries on the same base", () => {
		// 2_2 was stored but reported failed and its chunks are gone; 3_3 repeats its changes on base 1.
		const { entries, read } = history(
			[
				["1_1", { revision: 1, snapshot: [row("a")] }],
				["2_2", "chunk 1 is missing"],
				["3_3", { revision: 3, base: 1, added: [row("b"), row("c")], removed: ["a"] }],
				["4_4", { revision: 4, base: 3, added: [row("d")], removed: [] }],
			],
			[[1], [2, 1], [3, 1], [4, 3]],
		);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(ids(outcome)).toEqual(["b", "c", "d"]);
		expect(outcome.build!.revision).toBe(4);
		expect(outcome.skipped).toEqual([]);
	});

	it("prefers the backup reaching furthest on a base, and falls back to another on the same base when it is corrupt", () => {
		const { entries, read, reads } = history(
			[
				["1_1", { revision: 1, snapshot: [row("a")] }],
				["2_2", { revision: 2, base: 1, added: [row("b")] }],
				["3_3", "checksum mismatch"],
				["4_4", { revision: 5, base: 2, added: [row("e")] }],
			],
			[[1], [2, 1], [3, 1], [5, 2]],
		);
		const outcome = rebuildPlayer(USER, entries, read);
		expect(ids(outcome)).toEqual(["a", "b", "e"]);
		expect(outcome.build!.usedBackupId).toBe("4_4");
		expect(outcome.skipped).toEqual([{ id: "3_3", problem: "checksum mismatch" }]);
		expect(reads).toEqual(["1_1", "3_3", "2_2", "4_4"]);
	});
});
