import { PLAYER_DATA_SCHEMA_VERSION, PlayerData } from "./player-data";

type Migration = (data: PlayerData) => void;

/** MIGRATIONS[n] upgrades data of schema version n to n + 1. */
const MIGRATIONS: Record<number, Migration> = {
	// Version 1 had no builds.
	1: (data) => {
		data.placements = data.placements ?? [];
	},
	// Version 2 had no build revision; backups start counting from here.
	2: (data) => {
		data.buildRevision = data.buildRevision ?? 0;
	},
	// Version 3 did not record clean releases: treat the saved build as possibly behind its backups.
	3: (data) => {
		data.releasedAtLoadCount = data.releasedAtLoadCount ?? -1;
	},
	// Version 4 did not record whose session the build is: ranks with every copy not recorded either.
	4: (data) => {
		data.buildSession = data.buildSession ?? 0;
	},
	// Version 5 did not record which sessions ended with their last save landed: none known to.
	5: (data) => {
		data.endedSavedFrom = data.endedSavedFrom ?? -1;
		data.endedSavedThrough = data.endedSavedThrough ?? -1;
	},
};

/** Upgrades loaded data in place to the current schema; returns the versions it passed through. */
export function migratePlayerData(data: PlayerData): number[] {
	const applied: number[] = [];
	let version = data.schemaVersion ?? 1;
	while (version < PLAYER_DATA_SCHEMA_VERSION) {
		const migration = MIGRATIONS[version];
		assert(migration !== undefined, `no migration from player data schema ${version}`);
		migration(data);
		applied.push(version);
		version += 1;
	}
	data.schemaVersion = version;
	return applied;
}
