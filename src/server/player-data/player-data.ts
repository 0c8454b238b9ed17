/** Version of the stored player data layout; bump it with a migration. */
export const PLAYER_DATA_SCHEMA_VERSION = 1;

/** What a player's profile holds. Missing fields are filled from the defaults on load. */
export interface PlayerData {
	schemaVersion: number;
	/** Sessions started across all servers. */
	sessionCount: number;
	/** Unix time of the latest session start, from the server clock. */
	lastSessionStartedAt: number;
}

export const DEFAULT_PLAYER_DATA: PlayerData = {
	schemaVersion: PLAYER_DATA_SCHEMA_VERSION,
	sessionCount: 0,
	lastSessionStartedAt: 0,
};
