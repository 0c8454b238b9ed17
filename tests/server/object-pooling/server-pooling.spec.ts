import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { PlacedObjectService } from "server/builds/placed-object-service";
import type { ObjectPoolingService } from "server/object-pooling/object-pooling-service";
import type { SystemManager } from "server/system-manager/system-manager";
import type { PlacementController } from "client/placement/placement-controller";
import type { ServerModelsConfig as ServerModelsSetting } from "shared/config/streaming-config";
import { ServerPoolConfig } from "shared/config/streaming-config";
import { catalogItems } from "shared/catalog/catalog";
import { singletonOf, World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { stateOf } from "../operations/operations-world";

const ROOT = "ServerScriptService.TS";

function serverModelsOf(server: HeadlessServer): typeof ServerModelsSetting {
	return (server.requirePath("ReplicatedStorage.TS.config.streaming-config") as { ServerModelsConfig: typeof ServerModelsSetting }).ServerModelsConfig;
}

describe("objectPooling on the server (server models on)", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let pooling: ObjectPoolingService;
	let objects: PlacedObjectService;
	let controller: PlacementController;
	const placed: string[] = [];

	const chairStats = () => pooling.report().items.find((item) => item.itemId === "chair")!;
	const place = (index: number) => {
		const result = controller.place("chair", new Vector3(4 + index * 4, 0, 8), 0);
		expect(result.success).toBe(true);
		if (result.success) placed.push(result.placementId);
		Headless.seconds(0.3);
	};

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		serverModelsOf(server).enabled = true;
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		pooling = singletonOf(server, `${ROOT}.object-pooling.object-pooling-service`, "ObjectPoolingService");
		objects = singletonOf(server, `${ROOT}.builds.placed-object-service`, "PlacedObjectService");
		controller = joinBuilder(world, server, 4801, "PoolBuilder").controller;
		manager.systems.memoryManager.usePreset("small");
	});
	afterAll(() => {
		serverModelsOf(server).enabled = false;
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("is the objectPooling critical system, prewarmed from the catalog once server models are on", () => {
		expect(manager.systems.objectPooling).toBe(pooling);
		expect(stateOf(manager, "objectPooling")).toBe("OPERATIONAL");
		const report = manager.generateSystemReport().systemReports.objectPooling!;
		expect(report.serverModelsEnabled).toBe(true);
		expect(report.items.size()).toBe(catalogItems().size());
		for (const item of report.items) expect(item).toMatchObject({ idle: ServerPoolConfig.prewarmPerItem, inUse: 0, misses: 0 });
	});

	it("acquires on place (reusing idle models, cloning past them) and releases on remove, with the model's state reset", () => {
		for (let index = 0; index < ServerPoolConfig.prewarmPerItem + 1; index++) place(index);
		expect(chairStats()).toMatchObject({ inUse: 5, idle: 0, hits: 4, misses: 1 });
		const removedId = placed[0];
		const model = objects.modelOf(removedId)!;
		expect(model.GetAttribute("PlacementId")).toBe(removedId);
		expect(model.HasTag("PlacedObject")).toBe(true);

		expect(controller.remove(removedId).success).toBe(true);
		Headless.seconds(0.3);
		expect(objects.modelOf(removedId)).toBeUndefined();
		expect(chairStats()).toMatchObject({ inUse: 4, idle: 1 });
		// Parked out of the world and out of replication, with nothing of its old object left on it.
		expect(model.GetFullName()).toBe("ServerStorage.PooledServerModels.chair");
		expect(model.GetAttribute("PlacementId")).toBeUndefined();
		expect(model.GetAttribute("OwnerId")).toBeUndefined();
		expect(model.HasTag("PlacedObject")).toBe(false);
		expect(model.Name).toBe("chair");

		// The next chair is that very model, dressed for its new object.
		place(10);
		const reused = objects.modelOf(placed[placed.size() - 1])!;
		expect(chairStats()).toMatchObject({ inUse: 5, idle: 0, hits: 5, misses: 1 });
		expect(reused === model).toBe(true);
		expect(reused.GetAttribute("PlacementId")).toBe(placed[placed.size() - 1]);
	});

	it("MemoryManager.emergencyCleanup() force-cleans its idle models and logs it by objectPooling; models in use stay", () => {
		const idleBefore = pooling.report().totalIdle;
		expect(idleBefore > 0).toBe(true);
		const cleanup = manager.systems.memoryManager.emergencyCleanup();
		const record = cleanup.actions.find((action) => action.action === "forceCleanup" && action.by === "objectPooling")!;
		expect(record).toBeDefined();
		expect(record.detail).toBe(`${idleBefore} idle model(s) destroyed, idle ${idleBefore} → 0`);
		expect(pooling.report().totalIdle).toBe(0);
		expect(pooling.report().totalInUse).toBe(5);
		for (const id of placed.filter((_, index) => index > 0)) expect(objects.modelOf(id)?.Parent).toBeDefined();
		expect(pooling.report().destroyedForMemory).toBe(idleBefore);
	});

	it("critical memory stops prewarming and trims pools to their floor; falling memory turns prewarming back on", () => {
		expect(manager.restartSystem("objectPooling").success).toBe(true);
		expect(pooling.report().totalIdle).toBe(ServerPoolConfig.prewarmPerItem * catalogItems().size());
		expect(pooling.report().totalInUse).toBe(5);
		// Removes put chairs back above the floor.
		for (const id of [placed[1], placed[2]]) expect(controller.remove(id).success).toBe(true);
		Headless.seconds(0.3);
		expect(chairStats().idle).toBe(ServerPoolConfig.prewarmPerItem + 2);
		Headless.setMemory({ server, totalMb: 850 });
		manager.systems.memoryManager.sample();
		expect(chairStats().idle).toBe(ServerPoolConfig.idleFloorPerItem);
		expect(pooling.report().prewarming).toBe(false);
		const actions = manager.systems.memoryManager.generateMemoryReport().actionsTaken.filter((action) => action.by === "objectPooling");
		expect(actions.map((action) => action.action)).toEqual(expect.arrayContaining(["shrinkPools", "poolsToFloor", "stopPrewarming"]));
		expect(stateOf(manager, "objectPooling")).toBe("OPERATIONAL");
		expect(manager.getSystemStatus().systems.objectPooling.reason).toContain("prewarming stopped");

		Headless.setMemory({ server, totalMb: 400 });
		manager.systems.memoryManager.sample();
		expect(pooling.report().prewarming).toBe(true);
	});

	it("reports leaked models (destroyed, or their placement gone, but never released) with item, placement and age; released ones never", () => {
		expect(pooling.report().abandoned).toEqual([]);
		place(20);
		place(21);
		const [gone, destroyed] = [placed[placed.size() - 2], placed[placed.size() - 1]];
		const inUse = pooling.report().totalInUse;
		// A removal path that forgot the model, and a script that destroyed one instead of releasing it.
		systemsOf(server).tracker.remove(gone);
		objects.modelOf(destroyed)!.Destroy();
		Headless.seconds(ServerPoolConfig.leakAfterSeconds / 2);
		expect(pooling.report().abandoned).toEqual([]);
		expect(stateOf(manager, "objectPooling")).toBe("OPERATIONAL");
		Headless.seconds(ServerPoolConfig.leakAfterSeconds / 2 + 1.5);
		const leaks = pooling.report().abandoned;
		expect(leaks.map((leak) => `${leak.itemId} ${leak.placementId}`).sort()).toEqual([`chair ${gone}`, `chair ${destroyed}`].sort());
		for (const leak of leaks) {
			expect(leak.secondsUnused >= ServerPoolConfig.leakAfterSeconds).toBe(true);
			expect(leak.ageSeconds >= leak.secondsUnused).toBe(true);
		}
		expect(stateOf(manager, "objectPooling")).toBe("DEGRADED");
		expect(manager.getSystemStatus().systems.objectPooling.reason).toContain("2 model(s) leaked");
		// The forgotten model is given back: it is no longer a leak. Models in use never were.
		objects.despawn(gone);
		Headless.seconds(1.5);
		expect(pooling.report().abandoned.map((leak) => leak.placementId)).toEqual([destroyed]);
		expect(pooling.report().totalInUse).toBe(inUse - 1);
	});
});

describe("objectPooling on the server (server models off, the default)", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("makes and pools nothing, and says why", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		Headless.frames(3);
		const manager = systemsOf(server).systems;
		expect(serverModelsOf(server).enabled).toBe(false);
		// A real placement: tracked as data, with no Instance for it anywhere on the server.
		systemsOf(server).moderation.configure(PERMISSIVE);
		const controller = joinBuilder(world, server, 4802, "DataOnly").controller;
		const result = controller.place("chair", new Vector3(8, 0, 8), 0);
		expect(result.success).toBe(true);
		if (!result.success) return;
		Headless.seconds(0.3);
		expect(systemsOf(server).tracker.get(result.placementId)).toBeDefined();
		const objects = singletonOf<PlacedObjectService>(server, `${ROOT}.builds.placed-object-service`, "PlacedObjectService");
		expect(objects.modelOf(result.placementId)).toBeUndefined();
		expect(server.game.GetService("CollectionService").GetTagged("PlacedObject")).toEqual([]);
		const carrying = server.game.GetDescendants().filter((instance) => instance.GetAttribute("PlacementId") === result.placementId);
		expect(carrying).toEqual([]);
		expect(manager.systems.objectPooling.report()).toMatchObject({ serverModelsEnabled: false, totalSize: 0 });
		expect(manager.getSystemStatus().systems.objectPooling).toEqual({
			state: "OPERATIONAL",
			reason: "server models are off: clients stream placed objects, the server pools nothing",
		});
	});
});
