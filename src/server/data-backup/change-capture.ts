import { BuildRows } from "server/builds/build-rows";
import { StoredPlacement } from "server/player-data/player-data";
import { FrameBudget } from "server/performance/frame-budget";
import { toRow } from "./backup-codec";
import { BackupKind, BackupRow } from "./backup-types";
import { CapturedPlayerBackup } from "./binary-codec";

/** A build as one backup captured it: which placements it had, at which revision. */
interface CapturedBuild {
	/** The ids as a set, or as a list when copied from live rows (made a set when the next changes are worked out). */
	readonly ids?: ReadonlySet<string>;
	readonly idList?: readonly string[];
	readonly revision: number;
	/** The session whose build it was (see BuildSource.session). */
	readonly session?: number;
}

/** A build to back up: a loaded profile's, or the final one of a session that ended. */
export interface BuildSource {
	readonly userId: number;
	readonly placements: readonly StoredPlacement[];
	readonly revision: number;
	/** The loaded build's live rows; a whole-build backup copies them instead of encoding placements. */
	readonly rows?: BuildRows;
	/** The ProfileStore session (SessionLoadCount) whose build it is, as the profile records it (buildSession). */
	readonly session?: number;
}

/** What goes into one backup, and what to remember once it is safely stored. */
export interface PendingBackup {
	readonly players: Map<number, CapturedPlayerBackup>;
	readonly placements: number;
	/** Players whose entry is a pinned final build carried into a full backup (see ChangeCapture.pending), not a build backed up for the first time. */
	readonly carried: ReadonlySet<number>;
	readonly commit: () => void;
}

/**
 * Works out what a backup must hold. It remembers what this server's last stored backup held for
 * each player, so an incremental carries only the placements added and removed since (or the
 * whole build for a player it has not backed up yet), and a failed backup loses nothing: its
 * changes are simply still pending for the next one.
 */
export class ChangeCapture {
	private readonly stored = new Map<number, CapturedBuild>();
	/** Final builds of sessions that ended here and are not backed up yet. */
	private readonly departed = new Map<number, BuildSource>();
	/** The final build of each session that ended here, carried into full backups while its player is pinned. */
	private readonly finals = new Map<number, BuildSource>();

	/** Every player's next backup holds their whole build (the backups this server's captures follow on are in a set it no longer writes). */
	forgetBackedUp() {
		this.stored.clear();
	}

	/** Keeps the final build of a session that ended until a backup holds it. */
	sessionEnded(source: BuildSource) {
		const final = { userId: source.userId, revision: source.revision, placements: [...source.placements], session: source.session };
		this.departed.set(source.userId, final);
		this.finals.set(source.userId, final);
	}

	/** Whether a session that ended here still waits for a backup. */
	hasDeparted(): boolean {
		return this.departed.size() > 0;
	}

	/**
	 * `loaded` are the builds of active sessions; a departed build of the same player is superseded.
	 * A full backup also carries the final build of every `pinned` player (who left here while it
	 * could not be saved to their profile) once a backup holds it, whole, so the newest full backup
	 * always holds it and retention need not keep older ones for it; a final build whose player is
	 * no longer pinned is forgotten.
	 */
	pending(kind: BackupKind, loaded: readonly BuildSource[], budget: FrameBudget, pinned: ReadonlySet<number>): PendingBackup {
		const players = new Map<number, CapturedPlayerBackup>();
		const captured = new Map<number, CapturedBuild>();
		let placements = 0;
		const consider = (source: BuildSource, carry = false) => {
			// Another session's build (a rejoin here took it over) is captured whole, even at the same
			// revision: a load ranks backups by session, so only one tagged with this session counts for it.
			const stored = kind === "full" ? undefined : this.stored.get(source.userId);
			const previous = stored !== undefined && stored.session === source.session ? stored : undefined;
			if (previous !== undefined && previous.revision === source.revision) return;
			if (previous === undefined) {
				const snapshot = snapshotOf(source);
				snapshot.session = source.session;
				players.set(source.userId, snapshot);
				// A carried final build is no base for a later backup: whoever loads it next starts over with a snapshot.
				if (!carry) {
					captured.set(
						source.userId,
						snapshot.rows !== undefined
							? { idList: source.rows!.idList(), revision: source.revision, session: source.session }
							: { ids: idSetOf(source), revision: source.revision, session: source.session },
					);
				}
			} else {
				const ids = idSetOf(source);
				const changes = changesOf(source, previous, ids);
				changes.session = source.session;
				players.set(source.userId, changes);
				captured.set(source.userId, { ids, revision: source.revision, session: source.session });
			}
			placements += source.placements.size();
			budget.spend();
		};
		const loadedIds = new Set<number>();
		for (const source of loaded) {
			loadedIds.add(source.userId);
			consider(source);
		}
		const departedIncluded: BuildSource[] = [];
		const departedSuperseded: BuildSource[] = [];
		for (const [userId, source] of this.departed) {
			if (loadedIds.has(userId)) {
				departedSuperseded.push(source);
				continue;
			}
			consider(source);
			departedIncluded.push(source);
		}
		const carried = new Set<number>();
		for (const [userId, source] of this.finals) {
			if (!pinned.has(userId)) this.finals.delete(userId);
			// A rejoin here backs up the live build; a departure not backed up yet is captured above.
			else if (kind === "full" && !loadedIds.has(userId) && !this.departed.has(userId)) {
				consider(source, true);
				carried.add(userId);
			}
		}
		return {
			players,
			placements,
			carried,
			commit: () => {
				for (const [userId, build] of captured) this.stored.set(userId, build);
				for (const source of departedIncluded) {
					// Whoever loads the build next, here or elsewhere, may change it: start over with a snapshot.
					if (this.departed.get(source.userId) !== source) continue;
					this.departed.delete(source.userId);
					this.stored.delete(source.userId);
				}
				// A session that ended while this backup was written stays pending for the next one.
				for (const source of departedSuperseded) {
					if (this.departed.get(source.userId) === source) this.departed.delete(source.userId);
				}
			},
		};
	}
}

function idSetOf(source: BuildSource): Set<string> {
	const ids = new Set<string>();
	for (const placement of source.placements) ids.add(placement.id);
	return ids;
}

function snapshotOf(source: BuildSource): CapturedPlayerBackup {
	if (source.rows !== undefined && source.rows.isExact() && source.rows.size() === source.placements.size()) {
		return { revision: source.revision, rows: source.rows.snapshot() };
	}
	const snapshot: BackupRow[] = [];
	for (const placement of source.placements) snapshot.push(toRow(placement));
	return { revision: source.revision, snapshot };
}

function changesOf(source: BuildSource, previous: CapturedBuild, current: ReadonlySet<string>): CapturedPlayerBackup {
	const before = previous.ids ?? new Set(previous.idList ?? []);
	const added: BackupRow[] = [];
	for (const placement of source.placements) {
		if (!before.has(placement.id)) added.push(toRow(placement));
	}
	const removed: string[] = [];
	for (const id of before) {
		if (!current.has(id)) removed.push(id);
	}
	return { revision: source.revision, base: previous.revision, added, removed };
}
