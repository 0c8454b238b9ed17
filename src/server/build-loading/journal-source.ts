import type { BuildRows } from "server/builds/build-rows";
import { StoredPlacement } from "server/player-data/player-data";

/** A build as the load path sees it: its placements and the revision they are at. */
export interface BuildState {
	readonly placements: readonly StoredPlacement[];
	readonly revision: number;
	/** ProfileStore's SessionLoadCount of the session whose build it is (0 when not recorded). */
	readonly session?: number;
	/** The build's binary rows when a restore brought them along (see RebuiltBuild.rows). */
	readonly rows?: BuildRows;
}

/**
 * The seam where the crash journal joins the load path: once the newest of profile, hand-over
 * and backups is chosen, the journal's entries above that revision are applied on top. The
 * journal service implements this; `BuildLoadService` takes it by injection.
 */
export interface JournalSource<Entry = unknown> {
	/** Entries journaled for the player above `afterRevision`, oldest first (may yield). */
	pendingChanges(userId: number, afterRevision: number): readonly Entry[];
	/** The build with `entries` applied on top (pure). */
	applyJournal(build: BuildState, entries: readonly Entry[]): BuildState;
}
