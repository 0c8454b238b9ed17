import { BuildRows } from "server/builds/build-rows";
import { StoredPlacement } from "server/player-data/player-data";
import { fromRow } from "./backup-codec";
import { BackupRow, ManifestEntry, PlayerBackup, SkippedBackup } from "./backup-types";
import { isNewerBuild, RankedBuild } from "./build-rank";

/** A player's build as rebuilt from backups. */
export interface RebuiltBuild {
	readonly placements: StoredPlacement[];
	readonly revision: number;
	/** The newest backup the build includes. */
	readonly usedBackupId: string;
	/** The session whose build that backup copied (0 when not recorded). */
	readonly session: number;
	/**
	 * The build's binary rows, taken from the backup as they are, when the build is one binary
	 * whole-build backup with nothing on top (otherwise the loader makes them from `placements`).
	 */
	readonly rows?: BuildRows;
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

/** A whole build as one backup holds it: decoded placements (binary payloads) or rows. */
function wholeBuildOf(backup: PlayerBackup): StoredPlacement[] | string | undefined {
	if (backup.placements !== undefined) return backup.placements;
	return backup.snapshot === undefined ? undefined : parseRows(backup.snapshot);
}

/** Applies one backup to `build`; returns the problem, leaving `build` untouched, when it is unusable. */
function apply(build: Map<string, StoredPlacement>, backup: PlayerBackup | string): string | undefined {
	if (typeIs(backup, "string")) return backup;
	const snapshot = wholeBuildOf(backup);
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

/** The base revision the entry's changes for the player apply on: -1 for a whole build, undefined when unrecorded. */
function baseOf(entry: ManifestEntry, userId: number): number | undefined {
	if (entry.snapshots.includes(userId)) return -1;
	const position = entry.players.indexOf(userId);
	return entry.bases?.[position];
}

function sessionOf(entry: ManifestEntry, userId: number): number {
	return entry.sessions?.[entry.players.indexOf(userId)] ?? 0;
}

function revisionOf(entry: ManifestEntry, userId: number): number {
	return entry.revisions[entry.players.indexOf(userId)];
}

/** The player's backups among `entries` with the build each lists, newest build first (session, then revision). */
export function backupsOf(entries: readonly ManifestEntry[], userId: number): { readonly id: string; readonly build: RankedBuild }[] {
	const found: { id: string; build: RankedBuild }[] = [];
	for (const entry of entries) {
		if (entry.players.includes(userId)) found.push({ id: entry.id, build: { revision: revisionOf(entry, userId), session: sessionOf(entry, userId) } });
	}
	found.sort((a, b) => isNewerBuild(a.build, b.build));
	return found;
}

/** The newest build (session, then revision) any of `entries` lists for the player; undefined when none lists them. */
export function newestBuildIn(entries: readonly ManifestEntry[], userId: number): RankedBuild | undefined {
	let newest: RankedBuild | undefined;
	for (const entry of entries) {
		if (!entry.players.includes(userId)) continue;
		const build = { revision: revisionOf(entry, userId), session: sessionOf(entry, userId) };
		if (newest === undefined || isNewerBuild(build, newest)) newest = build;
	}
	return newest;
}

/**
 * Rebuilds a player's build from `entries` (oldest first, all covering the player, none past
 * the target): the newest readable backup holding the whole build, then changes on top of it,
 * each chosen by the revision it applies on. A write reported as failed may have stored its
 * backup anyway; the next backup then carries the same changes again on the same base, so an
 * unreadable backup is passed over when a later one covers it, and the chain only ends where
 * nothing readable follows. A corrupt whole-build backup falls back to the one before it, and
 * so does a chain that stops short of the player's newest backup (a whole build whose write was
 * reported failed, then changes made on the base before it): the newest build any start reaches
 * is kept. Each backup is read at most once.
 */
export function rebuildPlayer(userId: number, entries: readonly ManifestEntry[], read: PlayerBackupReader): RebuildOutcome {
	const skipped: SkippedBackup[] = [];
	const problems = new Map<ManifestEntry, string>();
	const cache = new Map<ManifestEntry, PlayerBackup | string>();
	const readOnce = (entry: ManifestEntry) => {
		let backup = cache.get(entry);
		if (backup === undefined) {
			backup = read(entry);
			cache.set(entry, backup);
		}
		return backup;
	};
	const skip = (entry: ManifestEntry, problem: string) => {
		if (problems.has(entry)) return;
		problems.set(entry, problem);
		skipped.push({ id: entry.id, problem });
	};
	// The player's newest backup in the manifest: a rebuild reaching it needs no older start.
	const newest = newestBuildIn(entries, userId);
	let best: RebuiltBuild | undefined;
	for (let start = entries.size() - 1; start >= 0; start--) {
		const base = entries[start];
		if (!base.snapshots.includes(userId)) continue;
		const baseBackup = readOnce(base);
		const wholeBuild = typeIs(baseBackup, "string") ? baseBackup : (wholeBuildOf(baseBackup) ?? "it holds no whole build");
		if (typeIs(baseBackup, "string") || typeIs(wholeBuild, "string")) {
			skip(base, typeIs(wholeBuild, "string") ? wholeBuild : "unreadable");
			continue;
		}
		// The build by id, made only once changes go on top of the whole build.
		let build: Map<string, StoredPlacement> | undefined;
		const editable = () => {
			if (build === undefined) {
				build = new Map<string, StoredPlacement>();
				for (const placement of wholeBuild) build.set(placement.id, placement);
			}
			return build;
		};
		let revision = baseBackup.revision;
		let usedBackupId = base.id;
		let session = sessionOf(base, userId);
		let position = start;
		for (;;) {
			// Changes applying on the current revision, the one reaching furthest first.
			const candidates: number[] = [];
			for (let index = position + 1; index < entries.size(); index++) {
				const entryBase = baseOf(entries[index], userId);
				const follows = entryBase === undefined ? index === position + 1 : entryBase === revision;
				if (follows && revisionOf(entries[index], userId) > revision) candidates.push(index);
			}
			candidates.sort((a, b) => revisionOf(entries[a], userId) > revisionOf(entries[b], userId) || (revisionOf(entries[a], userId) === revisionOf(entries[b], userId) && a > b));
			let advanced = false;
			for (const index of candidates) {
				const entry = entries[index];
				const backup = readOnce(entry);
				// apply() leaves the build untouched when the backup is unusable.
				const problem = typeIs(backup, "string") ? backup : apply(editable(), backup);
				if (typeIs(backup, "string") || problem !== undefined) {
					skip(entry, problem ?? "unreadable");
					continue;
				}
				revision = backup.revision;
				usedBackupId = entry.id;
				session = sessionOf(entry, userId);
				position = index;
				advanced = true;
				break;
			}
			if (!advanced) break;
		}
		// A whole build with nothing on top comes back in its stored order; anything else sorted by id.
		if (build === undefined) {
			const decoded = baseBackup.decoded;
			const rows = decoded !== undefined && decoded.placements === wholeBuild ? BuildRows.fromDecoded(decoded) : undefined;
			const whole: RebuiltBuild = { placements: wholeBuild, revision, usedBackupId, session, rows };
			if (best === undefined || isNewerBuild(whole, best)) best = whole;
			if (newest === undefined || !isNewerBuild(newest, best)) break;
			continue;
		}
		const placements: StoredPlacement[] = [];
		for (const [, placement] of build as Map<string, StoredPlacement>) placements.push(placement);
		placements.sort((a, b) => a.id < b.id);
		const rebuilt: RebuiltBuild = { placements, revision, usedBackupId, session };
		if (best === undefined || isNewerBuild(rebuilt, best)) best = rebuilt;
		// The chain from the newest whole build normally reaches the player's newest backup; when it
		// stops short (a whole build its changes were not made on), an older start may reach further.
		if (newest === undefined || !isNewerBuild(newest, best)) break;
	}
	return best !== undefined ? { build: best, skipped } : { skipped };
}
