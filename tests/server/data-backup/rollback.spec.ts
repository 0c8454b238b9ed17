import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { HOURS_TIMEOUT, jumpToNextHour } from "../../harness/data-stores";
import { World } from "../../harness/world";
import { joinPlayer, placeChairs, playerOn, profileOn, startGameServer, storedBuild } from "./backup-world";

const ADMIN = 9001;

describe("rolling a profile back through ProfileStore's version history", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("lets an admin roll a player's build back to a point in time, and nobody else", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, ADMIN);
		joinPlayer(world, server, 6401);
		placeChairs(server, 6401, 3);
		const before = storedBuild(server, 6401);
		// Roblox keeps the first write of each UTC hour as a version: make that write hold the three chairs.
		jumpToNextHour();
		profileOn(server, 6401).Save();
		Headless.seconds(10);
		const pointInTime = os.time();
		Headless.seconds(10);
		placeChairs(server, 6401, 4, 3);
		profileOn(server, 6401).Save();
		Headless.seconds(10);

		const refused = systems.systems.rollbackProfile(playerOn(server, 6401), 6401, pointInTime);
		expect(refused.success).toBe(false);
		expect(refused.message).toMatch("only admins");
		expect(storedBuild(server, 6401).size()).toBe(7);

		const rolledBack = systems.systems.rollbackProfile(playerOn(server, ADMIN), 6401, pointInTime);
		expect(rolledBack.success).toBe(true);
		expect(storedBuild(server, 6401)).toEqual(before);
		expect(systems.tracker.countOwnedBy(6401)).toBe(3);

		const tooEarly = systems.systems.rollbackProfile(playerOn(server, ADMIN), 6401, 1000);
		expect(tooEarly.success).toBe(false);
		expect(tooEarly.message).toMatch("no version");
	}, HOURS_TIMEOUT);
});
