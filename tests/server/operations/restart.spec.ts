import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { PlayerDataService } from "server/player-data/player-data-service";
import type { SystemManager } from "server/system-manager/system-manager";
import { RejectionReason } from "shared/placement/rejection-reason";
import { singletonOf, World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder, patchMethod, stateOf } from "./operations-world";

const USER_ID = 4201;

describe("SystemManager.restartSystem: rebuilt from authoritative state while players build", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let tracker: PlacementTracker;
	let builder: GridBuilder;
	let client: HeadlessClient;
	let spot = 0;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		tracker = systems.tracker;
		const joined = joinBuilder(world, server, USER_ID, "Builder");
		client = joined.client;
		builder = new GridBuilder(joined.controller);
		for (let index = 0; index < 6; index++) {
			Headless.seconds(0.5);
			expect(builder.placeOne().success).toBe(true);
		}
	});
	afterAll(() => world.stop());

	const storedIds = () => {
		const playerData = singletonOf<PlayerDataService>(server, "ServerScriptService.TS.player-data.player-data-service", "PlayerDataService");
		for (const [player, profile] of playerData.loadedProfiles()) {
			if (player.UserId === USER_ID) return profile.Data.placements.map((placement) => placement.id);
		}
		return [];
	};
	// What the builder's client renders of its own build (the server keeps placements as data).
	const worldObjects = () =>
		client.game
			.GetService("CollectionService")
			.GetTagged("PlacedObject")
			.filter((model) => model.GetAttribute("OwnerId") === USER_ID).size();

	it.each(["placementTracker", "conflictResolver", "moderation", "analytics", "dataBackup", "memoryManager", "objectStreaming", "objectPooling"])(
		"restarts %s: RESTARTING meanwhile, OPERATIONAL after, nothing lost or doubled",
		(name) => {
			const placementsBefore = manager.systems.analytics.report().placements;
			let result: ReturnType<SystemManager["restartSystem"]> | undefined;
			task.spawn(() => (result = manager.restartSystem(name)));
			expect(stateOf(manager, name)).toBe("RESTARTING");
			spot += 6;
			const during = manager.placeObject(client.player, "lamp", new Vector3(88, 0, spot), 0);
			const servesPlacements = ["placementTracker", "conflictResolver", "moderation"].includes(name);
			if (servesPlacements) {
				expect(during.success).toBe(false);
				if (!during.success) {
					expect(during.reason).toBe(RejectionReason.SystemRestarting);
					expect(during.message).toBe("The server is restarting a system. Try again in a moment.");
				}
			} else {
				expect(during.success).toBe(true);
				if (during.success) builder.placed.push(during.placementId);
			}
			Headless.frames(2);
			expect(result?.success).toBe(true);
			expect(stateOf(manager, name)).toBe("OPERATIONAL");
			expect(builder.placeOne().success).toBe(true);
			Headless.seconds(0.5);

			const stored = storedIds();
			expect(stored.size()).toBe(builder.placed.size());
			expect(tracker.countOwnedBy(USER_ID)).toBe(stored.size());
			for (const id of stored) expect(tracker.get(id)?.ownerId).toBe(USER_ID);
			expect(worldObjects()).toBe(stored.size());
			expect(manager.systems.analytics.report().placements).toBe(placementsBefore + (servesPlacements ? 1 : 2));
		},
	);

	it("a placementTracker restart restores an entry the registry lost, from the player's profile", () => {
		const lost = builder.placed[0];
		const before = tracker.totalObjects();
		tracker.remove(lost);
		expect(tracker.get(lost)).toBeUndefined();
		let result: ReturnType<SystemManager["restartSystem"]> | undefined;
		task.spawn(() => (result = manager.restartSystem("placementTracker")));
		Headless.frames(2);
		expect(result?.success).toBe(true);
		expect(tracker.get(lost)?.ownerId).toBe(USER_ID);
		expect(tracker.totalObjects()).toBe(before);
		expect(manager.systems.placementTracker.report().lastRebuild).toEqual({ before: before - 1, after: before, restored: 1, dropped: 0 });
		// The restored entry occupies its space again.
		const again = manager.placeObject(client.player, "chair", tracker.get(lost)!.position, 0);
		expect(again.success).toBe(false);
		if (!again.success) expect(again.reason).toBe(RejectionReason.Overlap);
	});

	it("a restart that fails is reported, counted, and leaves the tracker as it was", () => {
		const before = tracker.totalObjects();
		const klass = (server.requirePath("ServerScriptService.TS.placement-tracker.placement-tracker") as Record<string, Record<string, Callback>>).PlacementTracker;
		const original = klass.add;
		let calls = 0;
		// The rebuild's first add fails; putting the registry back works.
		const restore = patchMethod(server, "placement-tracker.placement-tracker", "PlacementTracker", "add", (target: unknown, placement: unknown) => {
			calls += 1;
			if (calls === 1) error("index full");
			return original(target, placement);
		});
		let result: ReturnType<SystemManager["restartSystem"]> | undefined;
		task.spawn(() => (result = manager.restartSystem("placementTracker")));
		Headless.frames(2);
		restore();
		expect(result?.success).toBe(false);
		expect(result?.message).toMatch("placementTracker failed to restart: rebuild abandoned, registry kept as it was");
		expect(result?.after?.state).toBe("DEGRADED");
		expect(tracker.totalObjects()).toBe(before);
		for (const id of storedIds()) expect(tracker.get(id)).toBeDefined();
		expect(manager.restartSystem("placementTracker").success).toBe(true);
	});

	it("refuses an unknown name and a second restart of a system already restarting", () => {
		expect(manager.restartSystem("noSuchSystem")).toMatchObject({ success: false, message: "no critical system named noSuchSystem" });
		task.spawn(() => manager.restartSystem("moderation"));
		expect(manager.restartSystem("moderation")).toMatchObject({ success: false, message: "moderation is already restarting" });
		Headless.frames(2);
		expect(stateOf(manager, "moderation")).toBe("OPERATIONAL");
	});
});
