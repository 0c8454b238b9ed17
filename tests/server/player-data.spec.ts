import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { PlayerDataService } from "server/player-data/player-data-service";
import { DataStoreNames, playerProfileKey } from "shared/config/data-stores";
import { KickReason, kickMessage } from "shared/kick-reason";
import { singletonOf, waitUntil, World } from "../harness/world";

const SERVICE_PATH = "ServerScriptService.TS.player-data.player-data-service";

function playerData(server: HeadlessServer): PlayerDataService {
	return singletonOf<PlayerDataService>(server, SERVICE_PATH, "PlayerDataService");
}

function profileOf(server: HeadlessServer, userId: number) {
	const player = server.game.GetService("Players").GetPlayerByUserId(userId);
	return player && playerData(server).getProfile(player);
}

/** What is stored for a player, read through the server's own DataStoreService. */
function storedData(server: HeadlessServer, userId: number) {
	const store = server.game.GetService("DataStoreService").GetDataStore(DataStoreNames.playerData);
	const [value] = store.GetAsync<{ Data: { sessionCount: number } }>(playerProfileKey(userId));
	return value;
}

describe("player data sessions (ProfileStore on the emulated DataStore)", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("starts a session on join, saves on leave and restores the data on the next join", () => {
		const dataStore = Headless.newDataStore();
		const server = world.startServer({ dataStore });
		const first = world.join(server, { userId: 501, name: "Saver" });
		waitUntil(() => profileOf(server, 501) !== undefined, 30, "the profile to load");
		const profile = profileOf(server, 501)!;
		expect(profile.Data.sessionCount).toBe(1);
		expect(profile.UserIds).toEqual([501]);
		profile.Data.sessionCount = 41;

		first.disconnect();
		waitUntil(() => storedData(server, 501)?.Data.sessionCount === 41, 30, "the last save");

		world.join(server, { userId: 501, name: "Saver" });
		waitUntil(() => profileOf(server, 501) !== undefined, 30, "the profile to load again");
		expect(profileOf(server, 501)!.Data.sessionCount).toBe(42);
	});

	it("hands a session over between two servers without losing or duplicating data", () => {
		const dataStore = Headless.newDataStore();
		const serverA = world.startServer({ name: "server-a", dataStore });
		const serverB = world.startServer({ name: "server-b", dataStore });
		const onA = world.join(serverA, { userId: 777, name: "Traveller" });
		waitUntil(() => profileOf(serverA, 777) !== undefined, 30, "the profile on server A");
		profileOf(serverA, 777)!.Data.sessionCount = 10;

		// The same player opens the game on server B while server A still holds the session.
		world.join(serverB, { userId: 777, name: "Traveller" });
		waitUntil(() => profileOf(serverB, 777) !== undefined, 120, "server B to take the session");

		expect(onA.isAlive()).toBe(false);
		expect(onA.kickReason()).toBe(kickMessage(KickReason.ProfileSessionEnded));
		expect(profileOf(serverA, 777)).toBeUndefined();
		expect(profileOf(serverB, 777)!.Data.sessionCount).toBe(11);
		expect(profileOf(serverB, 777)!.Session?.JobId).toBe(serverB.jobId);
	});
});
