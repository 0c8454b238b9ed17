import { describe, expect, it } from "@rbxts/jest-globals";
import { migratePlayerData } from "server/player-data/migrations";
import { PLAYER_DATA_SCHEMA_VERSION, PlayerData } from "server/player-data/player-data";

describe("player data migrations", () => {
	it("upgrades a version 1 profile (no build) to the current schema", () => {
		const data = { schemaVersion: 1, sessionCount: 4, lastSessionStartedAt: 10 } as unknown as PlayerData;
		expect(migratePlayerData(data)).toEqual([1, 2, 3, 4, 5]);
		expect(data.schemaVersion).toBe(PLAYER_DATA_SCHEMA_VERSION);
		expect(data.placements).toEqual([]);
		expect(data.buildRevision).toBe(0);
		expect(data.sessionCount).toBe(4);
	});

	it("gives a version 2 build a revision counter, keeping its placements", () => {
		const placements = [{ id: "a", itemId: "chair", x: 1, y: 0, z: 1, rotation: 0, placedAt: 5 }];
		const data = { schemaVersion: 2, sessionCount: 1, lastSessionStartedAt: 0, placements } as unknown as PlayerData;
		expect(migratePlayerData(data)).toEqual([2, 3, 4, 5]);
		expect(data.buildRevision).toBe(0);
		expect(data.placements).toBe(placements);
	});

	it("marks a version 3 profile as not known to be released cleanly, so its first load checks the backups", () => {
		const data = { schemaVersion: 3, sessionCount: 2, lastSessionStartedAt: 0, placements: [], buildRevision: 4 } as unknown as PlayerData;
		expect(migratePlayerData(data)).toEqual([3, 4, 5]);
		expect(data.releasedAtLoadCount).toBe(-1);
		expect(data.buildRevision).toBe(4);
	});

	it("records a version 4 profile's build as of no known session, so it ranks with backups taken before sessions were recorded", () => {
		const data = { schemaVersion: 4, sessionCount: 2, lastSessionStartedAt: 0, placements: [], buildRevision: 4, releasedAtLoadCount: 1 } as unknown as PlayerData;
		expect(migratePlayerData(data)).toEqual([4, 5]);
		expect(data.buildSession).toBe(0);
		expect(data.releasedAtLoadCount).toBe(1);
	});

	it("records of a version 5 profile that no session is known to have ended with its last save landed", () => {
		const data = { schemaVersion: 5, sessionCount: 2, lastSessionStartedAt: 0, placements: [], buildRevision: 4, releasedAtLoadCount: 1, buildSession: 1 } as unknown as PlayerData;
		expect(migratePlayerData(data)).toEqual([5]);
		expect([data.endedSavedFrom, data.endedSavedThrough]).toEqual([-1, -1]);
		expect(data.buildSession).toBe(1);
	});

	it("leaves current data untouched", () => {
		const placements = [{ id: "a", itemId: "chair", x: 1, y: 0, z: 1, rotation: 0, placedAt: 5 }];
		const data: PlayerData = { schemaVersion: PLAYER_DATA_SCHEMA_VERSION, sessionCount: 1, lastSessionStartedAt: 0, placements, buildRevision: 7, releasedAtLoadCount: 3, buildSession: 3, endedSavedFrom: 2, endedSavedThrough: 3 };
		expect(migratePlayerData(data)).toEqual([]);
		expect(data.placements).toBe(placements);
		expect(data.buildRevision).toBe(7);
	});
});
