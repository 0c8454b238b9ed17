/** A copy of a player's build as ranked against another: its revision and whose session it is. */
export interface RankedBuild {
	readonly revision: number;
	/** ProfileStore's SessionLoadCount of the session whose build it is (0 when not recorded). */
	readonly session?: number;
}

/**
 * Whether `a` is a newer build than `b`: the newer ProfileStore session first, then the higher
 * revision. A newer session loaded every change an older one had answered durable, so a copy of
 * the older session's build at a higher revision holds only changes made after it was taken
 * over (answered pending) and is not the player's build. Unrecorded sessions count as 0.
 */
export function isNewerBuild(a: RankedBuild, b: RankedBuild): boolean {
	const sessionA = a.session ?? 0;
	const sessionB = b.session ?? 0;
	return sessionA !== sessionB ? sessionA > sessionB : a.revision > b.revision;
}
