import { applyJournal, JournalEntry } from "./journal-entry";
import { BackedUpBuild, JournalBuild } from "./journal-types";

/** How a journal read continues a build: the build it continues from, of which session, and the entries that do. */
export interface Continuation {
	/** The backed-up build the read shows the build is behind, when it does: the chain continues it instead. */
	readonly behind?: BackedUpBuild;
	readonly from: JournalBuild;
	readonly fromSession: number;
	readonly chain: JournalEntry[];
}

/**
 * Whether `read` holds entries above the end of `chain`, which continues a build at `revision`:
 * a backup covered the ones between and they were trimmed.
 */
export function entriesPast(read: readonly JournalEntry[], chain: readonly JournalEntry[], revision: number): boolean {
	const top = chain.size() > 0 ? chain[chain.size() - 1].revision : revision;
	return read.some((entry) => entry.revision > top);
}

/** `build` with `entries` (a chain continuing it, not empty) applied on top. */
export function replayOnto(build: JournalBuild, entries: readonly JournalEntry[]): JournalBuild {
	return { placements: applyJournal(build.placements, entries), revision: entries[entries.size() - 1].revision };
}

/** The revision the journal was replayed from: the entries just below `loaded`, without a gap, were replayed. */
export function replayedFrom(entries: readonly JournalEntry[], loaded: number): number {
	const present = new Set<number>();
	for (const entry of entries) present.add(entry.revision);
	let revision = loaded;
	while (present.has(revision)) revision -= 1;
	return revision;
}
