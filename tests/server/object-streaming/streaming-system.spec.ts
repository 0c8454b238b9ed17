import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { SystemManager } from "server/system-manager/system-manager";
import { DefaultStreamingSettings, StreamingHealthConfig, StreamingReliefConfig } from "shared/config/streaming-config";
import { chunkKeyAt, chunkX, chunkZ, distanceToChunk } from "shared/streaming/chunk-grid";
import { relievedSettings } from "shared/streaming/streaming-relief";
import { World } from "../../harness/world";
import { PERMISSIVE, systemsOf } from "../placement/placement-world";
import { patchMethod, stateOf } from "../operations/operations-world";
import { clientStreamingOf, differences, placeData, populate, serverView, settled, streamingOf, trackerOf, walkTo } from "./streaming-world";

/** Exact views need room in the host-CPU budget (see streaming.spec.ts). */
const ROOMY = { serverMillisecondsPerFrame: 1000 };

/** Objects the tracker holds in the chunks the server says a player holds. */
function trackerCountFor(streaming: ObjectStreamingService, tracker: PlacementTracker, player: Player): number {
	const held = streaming.heldChunks(player);
	const size = streaming.currentSettings().chunkSize;
	let count = 0;
	for (const placement of tracker.all()) if (held.has(chunkKeyAt(placement.worldPosition.X, placement.worldPosition.Z, size))) count += 1;
	return count;
}

describe("streaming relief steps (engine-free)", () => {
	it("scales radii and per-player budgets down a step at a time, keeps hysteresis and floors, and step 0 is the baseline", () => {
		const base = { ...DefaultStreamingSettings };
		const policy = StreamingReliefConfig;
		const zero = relievedSettings(base, 0, policy);
		expect(zero).toEqual({
			streamInRadius: base.streamInRadius,
			streamOutRadius: base.streamOutRadius,
			chunksPerPlayerPerFrame: base.chunksPerPlayerPerFrame,
			bytesPerPlayerPerFrame: base.bytesPerPlayerPerFrame,
			serverMillisecondsPerFrame: base.serverMillisecondsPerFrame,
		});
		const one = relievedSettings(base, 1, policy);
		expect(one.streamInRadius).toBeCloseTo(base.streamInRadius * 0.6, 6);
		expect(one.streamOutRadius).toBeCloseTo(base.streamOutRadius * 0.6, 6);
		expect(one.chunksPerPlayerPerFrame).toBe(2);
		expect(one.bytesPerPlayerPerFrame).toBe(8192);
		const many = relievedSettings(base, 10, policy);
		expect(many.streamInRadius).toBe(policy.minStreamInRadius);
		expect(many.streamOutRadius).toBe(policy.minStreamInRadius + policy.minHysteresis);
		expect(many.chunksPerPlayerPerFrame).toBe(1);
		expect(many.bytesPerPlayerPerFrame).toBe(1024);
	});
});

describe("objectStreaming as a critical system", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let streaming: ObjectStreamingService;
	let tracker: PlacementTracker;
	const clients: HeadlessClient[] = [];

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		Headless.frames(2);
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		manager.systems.memoryManager.usePreset("small");
		streaming = streamingOf(server);
		tracker = trackerOf(server);
		populate(tracker, 800, 0, 0, 800, 21);
		expect(streaming.configure(ROOMY).success).toBe(true);
		for (let index = 0; index < 2; index++) clients.push(world.join(server, { userId: 7600 + index, name: `Viewer${index}` }));
		Headless.frames(3);
		walkTo(clients[0], 300, 300);
		walkTo(clients[1], 500, 420);
		settled(streaming, clients);
	});
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("is registered under its spec name with a JSON-safe, bounded report", () => {
		expect(stateOf(manager, "objectStreaming")).toBe("OPERATIONAL");
		const report = manager.generateSystemReport().systemReports.objectStreaming;
		expect(report).toBeDefined();
		expect(report!.objects).toBe(tracker.totalObjects());
		expect(report!.players).toBe(2);
		expect(report!.viewers.size()).toBe(2);
		expect(report!.reliefSteps).toBe(0);
		const json = game.GetService("HttpService").JSONEncode(report);
		expect(json.size() < 16384).toBe(true);
	});

	it("a change it failed to follow marks it DEGRADED; restart rebuilds from the tracker and every client ends with exactly the server's objects", () => {
		// One placement the chunk directory fails to take (it follows the tracker at the next frame):
		// the tracker has it, streaming does not.
		const undo = patchMethod(server, "object-streaming.chunk-directory", "ChunkDirectory", "add", () => error("injected directory fault"));
		const missed = placeData(tracker, 990001, 300, 300, "chair");
		Headless.frames(1);
		undo();
		expect(streaming.tracksEverything()).toBe(false);
		expect(stateOf(manager, "objectStreaming")).toBe("DEGRADED");
		expect(manager.getSystemStatus().systems.objectStreaming.reason).toContain("failed to follow");
		const heldBefore = clientStreamingOf(clients[0]).heldObjects().size();

		let result: ReturnType<SystemManager["restartSystem"]> | undefined;
		task.spawn(() => (result = manager.restartSystem("objectStreaming")));
		expect(stateOf(manager, "objectStreaming")).toBe("RESTARTING");
		// Objects keep coming and going while it restarts, in chunks both players hold.
		const during = placeData(tracker, 990002, 302, 302, "lamp");
		tracker.remove(during.id);
		const kept = placeData(tracker, 990002, 304, 298, "table");
		Headless.frames(3);
		expect(result?.success).toBe(true);
		expect(stateOf(manager, "objectStreaming")).toBe("OPERATIONAL");
		expect(streaming.tracksEverything()).toBe(true);
		const rebuild = manager.systems.objectStreaming.report().lastRebuild!;
		expect(rebuild.errorsCleared).toBe(1);
		expect(rebuild.objectsAfter).toBe(rebuild.objectsBefore + 1);
		expect(rebuild.handlesKept).toBe(rebuild.objectsBefore);
		expect(rebuild.snapshotsResent > 0).toBe(true);

		for (const client of clients) {
			const view = clientStreamingOf(client);
			expect(differences(view, serverView(streaming, client.player))).toEqual([]);
			expect(view.heldObjects().size()).toBe(trackerCountFor(streaming, tracker, client.player));
			expect(view.report().inconsistencies).toBe(0);
			expect(view.report().outOfStep).toBe(0);
		}
		// The builder near (300, 300) now renders the missed object and the one placed meanwhile, once each.
		expect(clientStreamingOf(clients[0]).heldObjects().size()).toBe(heldBefore + 2);
		const chunk = streaming.chunkOfPlacement(missed.id)!;
		expect(streaming.heldChunks(clients[0].player).has(chunk)).toBe(true);
		expect(streaming.chunkOfPlacement(kept.id)).toBeDefined();

		// Deltas after the rebuild still follow in sequence.
		const after = placeData(tracker, 990003, 306, 306, "tree");
		Headless.frames(2);
		expect(differences(clientStreamingOf(clients[0]), serverView(streaming, clients[0].player))).toEqual([]);
		tracker.remove(after.id);
		Headless.frames(2);
		expect(clientStreamingOf(clients[0]).report().outOfStep).toBe(0);
	});

	it("critical memory shrinks every client's interest (fewer objects held, none beyond the reduced radius); falling memory restores it", () => {
		const before = clients.map((client) => clientStreamingOf(client).heldObjects().size());
		const baseline = { ...streaming.currentSettings() };
		Headless.setMemory({ server, totalMb: 850 });
		manager.systems.memoryManager.sample();
		expect(manager.systems.memoryManager.currentLevel()).toBe("critical");
		const reduced = streaming.currentSettings();
		expect(reduced.streamInRadius).toBeCloseTo(baseline.streamInRadius * StreamingReliefConfig.radiusFactorPerStep, 6);
		expect(reduced.chunksPerPlayerPerFrame < baseline.chunksPerPlayerPerFrame).toBe(true);
		const record = manager.systems.memoryManager
			.generateMemoryReport()
			.actionsTaken.filter((action) => action.action === "reduceStreamingRadius")
			.pop()!;
		expect(record).toMatchObject({ by: "objectStreaming", direction: "apply", level: "critical" });
		Headless.frames(3);
		const size = reduced.chunkSize;
		for (let index = 0; index < clients.size(); index++) {
			const client = clients[index];
			const held = clientStreamingOf(client).heldObjects().size();
			expect(held < before[index]).toBe(true);
			expect(differences(clientStreamingOf(client), serverView(streaming, client.player))).toEqual([]);
			const focus = streaming.focusOf(client.player)!;
			for (const [key] of streaming.heldChunks(client.player)) {
				if (streaming.isPinned(client.player, key)) continue;
				expect(distanceToChunk(focus.x, focus.z, chunkX(key), chunkZ(key), size) <= reduced.streamOutRadius).toBe(true);
			}
		}

		Headless.setMemory({ server, totalMb: 500 });
		manager.systems.memoryManager.sample();
		expect(manager.systems.memoryManager.currentLevel()).toBe("normal");
		expect(streaming.currentSettings()).toEqual(baseline);
		settled(streaming, clients);
		for (let index = 0; index < clients.size(); index++) {
			expect(clientStreamingOf(clients[index]).heldObjects().size()).toBe(before[index]);
		}
		expect(manager.systems.objectStreaming.report().reliefSteps).toBe(0);
	});

	it("emergency mode turns radii down on top of critical memory, and each step is undone in turn", () => {
		const baseline = { ...streaming.currentSettings() };
		const before = clientStreamingOf(clients[0]).heldObjects().size();
		Headless.setMemory({ server, totalMb: 850 });
		manager.systems.memoryManager.sample();
		expect(manager.systems.objectStreaming.steps()).toBe(1);
		manager.enterEmergencyMode("memory drill");
		expect(manager.systems.objectStreaming.steps()).toBe(2);
		expect(streaming.currentSettings().streamInRadius).toBeCloseTo(relievedSettings(baseline, 2, StreamingReliefConfig).streamInRadius, 6);
		Headless.frames(3);
		const inEmergency = clientStreamingOf(clients[0]).heldObjects().size();
		expect(inEmergency < before).toBe(true);
		expect(manager.getSystemStatus().systems.objectStreaming.reason).toContain("2 step");

		manager.exitEmergencyMode();
		expect(manager.systems.objectStreaming.steps()).toBe(1);
		Headless.setMemory({ server, totalMb: 500 });
		manager.systems.memoryManager.sample();
		expect(manager.systems.objectStreaming.steps()).toBe(0);
		expect(streaming.currentSettings()).toEqual(baseline);
		settled(streaming, clients);
		expect(clientStreamingOf(clients[0]).heldObjects().size()).toBe(before);
	});

	it("a configure() while relief is in force is kept: relief applies on top of it, and undoing relief gives back what was configured", () => {
		const baseline = { ...streaming.configuredSettings() };
		Headless.setMemory({ server, totalMb: 850 });
		manager.systems.memoryManager.sample();
		expect(manager.systems.objectStreaming.steps()).toBe(1);
		const configured = { ...baseline, streamInRadius: 120, streamOutRadius: 200, bytesPerPlayerPerFrame: 12000 };
		expect(streaming.configure({ streamInRadius: 120, streamOutRadius: 200, bytesPerPlayerPerFrame: 12000 }).success).toBe(true);
		expect(streaming.configuredSettings()).toEqual(configured);
		const relieved = relievedSettings(configured, 1, StreamingReliefConfig);
		expect(streaming.currentSettings()).toEqual({ ...relieved, chunkSize: baseline.chunkSize });
		expect(manager.systems.objectStreaming.report().baselineSettings).toEqual(configured);
		// A change that relief would make invalid is refused as a whole.
		expect(streaming.configure({ streamInRadius: 0 }).success).toBe(false);
		expect(streaming.configuredSettings()).toEqual(configured);

		Headless.setMemory({ server, totalMb: 500 });
		manager.systems.memoryManager.sample();
		expect(manager.systems.objectStreaming.steps()).toBe(0);
		expect(streaming.currentSettings()).toEqual(configured);
		expect(manager.systems.objectStreaming.report().baselineSettings).toBeUndefined();
		expect(streaming.configure(baseline).success).toBe(true);
		expect(streaming.currentSettings()).toEqual(baseline);
		settled(streaming, clients);
	});

	it("is DEGRADED while frames keep running out of the server-wide budget, and OPERATIONAL again once they stop", () => {
		// A clock that moves 10 s at every reading (the budget here is 1 s): after the first player, every frame is over budget.
		let ticks = 0;
		streaming.measureWith(() => {
			ticks += 10;
			return ticks;
		});
		const overBefore = streaming.status().framesOverBudget;
		// Enough of them to be most of the 600-frame window whatever came before.
		Headless.frames(540);
		expect(streaming.status().framesOverBudget - overBefore).toBe(540);
		Headless.frames(1);
		expect(stateOf(manager, "objectStreaming")).toBe("DEGRADED");
		expect(manager.getSystemStatus().systems.objectStreaming.reason).toContain("over its frame budget");
		// A clock that stands still: no frame is over budget, and the share falls below the limit.
		streaming.measureWith(() => 0);
		Headless.frames(200);
		expect(streaming.overBudgetShare().share < StreamingHealthConfig.overBudgetShare).toBe(true);
		expect(stateOf(manager, "objectStreaming")).toBe("OPERATIONAL");
		streaming.measureWith(os.clock);
		for (const client of clients) expect(differences(clientStreamingOf(client), serverView(streaming, client.player))).toEqual([]);
	});
});
