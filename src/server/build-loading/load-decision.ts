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
 * The newest build among the candidates: the highest revision wins, and on a tie the profile
 * (already stored) beats a copy of the same state.
 */
export function newestBuild(profile: BuildCandidate, others: readonly BuildCandidate[]): BuildCandidate {
	let best = profile;
	for (const candidate of others) if (candidate.revision > best.revision) best = candidate;
	return best;
}
