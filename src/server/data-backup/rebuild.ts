import { StoredPlacement } from "server/player-data/player-data";
import { fromRow } from "./backup-codec";
import { BackupRow, ManifestEntry, PlayerBackup, SkippedBackup } from "./backup-types";

/** A player's build as rebuilt from backups. */
export interface RebuiltBuild {
	readonly placements: StoredPlacement[];
	readonly revision: number;
	/** The newest backup the build includes. */
	readonly usedBackupId: string;
}

export interface RebuildOutcome {
	readonly build?: RebuiltBuild;
	readonly skipped: SkippedBackup[];
}

/** Reads what one backup holds for the player, or why it cannot be used. */
export type PlayerBackupReader = (entry: ManifestEntry) => PlayerBackup | string;

function parseRows(rows: BackupRow[] | undefined): StoredPlacement[] | string {
	const placements: StoredPlacement[] = [];
	if (rows === undefined) return placements;
	if (!typeIs(rows, "table")) return "it has a malformed placement list";
	for (const row of rows) {
		const placement = fromRow(row);
		if (placement === undefined) return "it has a malformed placement";
		placements.push(placement);
	}
	return placements;
}

/** Applies one backup to `build`; returns the problem, leaving `build` untouched, when it is unusable. */
function apply(build: Map<string, StoredPlacement>, backup: PlayerBackup | string): string | undefined {
	if (typeIs(backup, "string")) return backup;
	const snapshot = backup.snapshot === undefined ? undefined : parseRows(backup.snapshot);
	const added = parseRows(backup.added);
	if (typeIs(snapshot, "string")) return snapshot;
	if (typeIs(added, "string")) return added;
	if (snapshot !== undefined) {
		build.clear();
		for (const placement of snapshot) build.set(placement.id, placement);
		return undefined;
	}
	for (const id of backup.removed ?? []) build.delete(id);
	for (const placement of added) build.set(placement.id, placement);
	return undefined;
}

/**
 * Rebuilds a player's build from `entries` (oldest first, all covering the player, none past
 * the target): the newest backup holding the whole build, then every later change. A backup that
 * cannot be read ends the chain there, so the result falls back to the newest good state before it;
 * a corrupt whole-build backup falls back to the one before it. Each backup is read at most once.
 */
export function rebuildPlayer(userId: number, entries: readonly ManifestEntry[], read: PlayerBackupReader): RebuildOutcome {
	const skipped: SkippedBackup[] = [];
	let usableEnd = entries.size();
	for (let start = usableEnd - 1; start >= 0; start--) {
		const base = entries[start];
		if (!base.snapshots.includes(userId)) continue;
		const build = new Map<string, StoredPlacement>();
		const baseBackup = read(base);
		const baseProblem = apply(build, baseBackup);
		if (typeIs(baseBackup, "string") || baseProblem !== undefined) {
			skipped.push({ id: base.id, problem: baseProblem ?? "unreadable" });
			usableEnd = start;
			continue;
		}
		let revision = baseBackup.revision;
		let usedBackupId = base.id;
		for (let index = start + 1; index < usableEnd; index++) {
			const entry = entries[index];
			const backup = read(entry);
			const problem = apply(build, backup);
			if (typeIs(backup, "string") || problem !== undefined) {
				skipped.push({ id: entry.id, problem: problem ?? "unreadable" });
				break;
			}
			revision = backup.revision;
			usedBackupId = entry.id;
		}
		const placements: StoredPlacement[] = [];
		for (const [, placement] of build) placements.push(placement);
		placements.sort((a, b) => a.id < b.id);
		return { build: { placements, revision, usedBackupId }, skipped };
	}
	return { skipped };
}
