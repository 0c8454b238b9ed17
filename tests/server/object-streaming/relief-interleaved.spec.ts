import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { SystemManager } from "server/system-manager/system-manager";
import { chunkKeyAt, chunkX, chunkZ, distanceToChunk } from "shared/streaming/chunk-grid";
import { World } from "../../harness/world";
import { joinAs, PEOPLE, startAdminServer } from "../admin/admin-world";
import { controllerOf, systemsOf } from "../placement/placement-world";
import { clientStreamingOf, differences, serverView, settled, streamingOf, trackerOf, walkTo } from "./streaming-world";

describe("streaming relief undone out of order around a streaming restart, then a moderator's removal", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let streaming: ObjectStreamingService;
	let tracker: PlacementTracker;

	beforeAll(() => {
		server = startAdminServer(world).server;
		Headless.frames(2);
		manager = systemsOf(server).systems;
		manager.systems.memoryManager.usePreset("small");
		streaming = streamingOf(server);
		tracker = trackerOf(server);
		expect(streaming.configure({ serverMillisecondsPerFrame: 1000 }).success).toBe(true);
	});
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("every client ends with exactly the objects within its radius, and the owner's own view matches the tracker", () => {
		const builder = joinAs(world, server, "none").client;
		const moderator = joinAs(world, server, "moderator").client;
		const third = world.join(server, { userId: 5101, name: "Onlooker" });
		const owner = controllerOf(builder);
		const placed: string[] = [];
		for (let index = 0; index < 6; index++) {
			const result = owner.place("chair", new Vector3(8 + index * 12, 0, 8 + index * 12), 0);
			expect(result.success).toBe(true);
			if (result.success) placed.push(result.placementId);
		}
		const clients = [builder, moderator, third];
		Headless.frames(3);
		const plotCorner = tracker.get(placed[0])!.worldPosition;
		walkTo(moderator, plotCorner.X + 150, plotCorner.Z + 40);
		walkTo(third, plotCorner.X - 120, plotCorner.Z + 60);
		settled(streaming, clients);

		Headless.setMemory({ server, totalMb: 850 });
		manager.systems.memoryManager.sample();
		manager.enterEmergencyMode("drill");
		expect(manager.systems.objectStreaming.steps()).toBe(2);
		Headless.frames(3);
		let restarted: ReturnType<SystemManager["restartSystem"]> | undefined;
		task.spawn(() => (restarted = manager.restartSystem("objectStreaming")));
		walkTo(third, plotCorner.X + 40, plotCorner.Z + 200);
		Headless.frames(3);
		expect(restarted?.success).toBe(true);
		// Memory falls before the emergency ends: the steps come back in the other order.
		Headless.setMemory({ server, totalMb: 500 });
		manager.systems.memoryManager.sample();
		walkTo(third, plotCorner.X - 60, plotCorner.Z + 30);
		Headless.frames(2);
		manager.exitEmergencyMode();
		expect(manager.systems.objectStreaming.steps()).toBe(0);

		expect(manager.removeObject(moderator.player, placed[1]).success).toBe(true);
		const again = owner.place("lamp", new Vector3(60, 0, 12), 0);
		expect(again.success).toBe(true);
		settled(streaming, clients);

		const settings = streaming.currentSettings();
		for (const client of clients) {
			const view = clientStreamingOf(client);
			expect(differences(view, serverView(streaming, client.player))).toEqual([]);
			expect(view.report().inconsistencies).toBe(0);
			const focus = streaming.focusOf(client.player)!;
			// Every chunk with objects within the stream-in radius is held (there are some), none past stream-out.
			const withinReach = new Set<number>();
			for (const placement of tracker.all()) {
				const key = chunkKeyAt(placement.worldPosition.X, placement.worldPosition.Z, settings.chunkSize);
				if (distanceToChunk(focus.x, focus.z, chunkX(key), chunkZ(key), settings.chunkSize) <= settings.streamInRadius) withinReach.add(key);
			}
			const held = streaming.heldChunks(client.player);
			const notHeld = [...withinReach].filter((key) => !held.has(key));
			const pastReach: number[] = [];
			for (const [key] of held) {
				if (streaming.isPinned(client.player, key)) continue;
				if (distanceToChunk(focus.x, focus.z, chunkX(key), chunkZ(key), settings.chunkSize) > settings.streamOutRadius) pastReach.push(key);
			}
			expect({ withinReach: withinReach.size() > 0, notHeld, pastReach }).toEqual({ withinReach: true, notHeld: [], pastReach: [] });
		}
		const own = new Set<string>();
		for (const [id] of owner.ownObjects()) own.add(id);
		const tracked = new Set<string>();
		for (const [id] of tracker.ownedBy(PEOPLE.none.userId)) tracked.add(id);
		expect(own).toEqual(tracked);
		expect(own.has(placed[1])).toBe(false);
	});
});
