import { JournalEntry, loadCountOf, writerOf } from "server/build-journal/journal-entry";
import { isNewerBuild } from "server/data-backup/build-rank";

export { isNewerBuild };
import { BuildState } from "./journal-source";

/** Where a loaded build came from. */
export type BuildOrigin = "profile" | "handover" | "backup";

/** One build the load path may choose. */
export interface BuildCandidate extends BuildState {
	readonly origin: BuildOrigin;
	/** What it is, for the log: a backup id, the released session. */
	readonly detail?: string;
}

/**
 * The newest build among the candidates (see isNewerBuild in data-backup/build-rank); on a tie the profile (already
 * stored) beats a copy of the same state.
 */
export function newestBuild(profile: BuildCandidate, others: readonly BuildCandidate[]): BuildCandidate {
	let best = profile;
	for (const candidate of others) if (isNewerBuild(candidate, best)) best = candidate;
	return best;
}

/**
 * Whether a copy of session `session`'s build at `revision` was overtaken: a newer session wrote
 * a journal entry at or below that revision, so that session took the player over before the
 * copy was made and the copy's later changes never were its build. An entry a newer session only
 * marked as its own (replayed from the copy's session or an older one) is the change the copy
 * holds: it shows the copy overtaken only when the copy goes past the build that session loaded.
 */
export function overtakenByJournal(copy: Pick<BuildState, "revision" | "session">, entries: readonly Pick<JournalEntry, "revision" | "session" | "writtenBy" | "loadedAt">[]): boolean {
	const session = copy.session ?? 0;
	for (const entry of entries) {
		if (entry.revision > copy.revision) continue;
		if (loadCountOf(writerOf(entry)) > session) return true;
		if (loadCountOf(entry.session) > session && copy.revision > (entry.loadedAt ?? entry.revision)) return true;
	}
	return false;
}
