/** Version of the stored player data layout; bump it with a migration in migrations.ts. */
export const PLAYER_DATA_SCHEMA_VERSION = 6;

/** One placed object as stored: plot-relative, JSON-safe numbers only. */
export interface StoredPlacement {
	id: string;
	itemId: string;
	x: number;
	y: number;
	z: number;
	rotation: number;
	placedAt: number;
}

/** What a player's profile holds. Missing fields are filled from the defaults on load. */
export interface PlayerData {
	schemaVersion: number;
	/** Sessions started across all servers. */
	sessionCount: number;
	/** Unix time of the latest session start, from the server clock. */
	lastSessionStartedAt: number;
	/** The player's build. */
	placements: StoredPlacement[];
	/** Counts changes to the build; tells a backup newer than the saved build from an older one. */
	buildRevision: number;
	/**
	 * ProfileStore's SessionLoadCount of the session whose last save (on leave or shutdown) wrote
	 * this data; -1 before any. When the next session's count is one above it, no session held the
	 * profile in between, so no backup can be newer than the saved build.
	 */
	releasedAtLoadCount: number;
	/**
	 * ProfileStore's SessionLoadCount of the session whose build `placements` is (set when a
	 * session decides its build on load); 0 before any. A copy of an older session's build at a
	 * higher revision diverged after a newer session loaded, so the load path ranks by it first.
	 */
	buildSession: number;
	/**
	 * ProfileStore's SessionLoadCounts of the latest run of sessions, `endedSavedFrom` through
	 * `endedSavedThrough`, each of which ended with its last save landed, its build decided or not
	 * (-1 before any). Such a session left in the store whose build it held (`buildSession`): a
	 * change it journaled cannot hide behind an older session's copy that a load ranks above the
	 * stored build (see BuildLoadService.mayBeOvertaken).
	 */
	endedSavedFrom: number;
	endedSavedThrough: number;
}

export const DEFAULT_PLAYER_DATA: PlayerData = {
	schemaVersion: PLAYER_DATA_SCHEMA_VERSION,
	sessionCount: 0,
	lastSessionStartedAt: 0,
	placements: [],
	buildRevision: 0,
	releasedAtLoadCount: -1,
	buildSession: 0,
	endedSavedFrom: -1,
	endedSavedThrough: -1,
};
