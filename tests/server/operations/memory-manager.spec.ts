import { afterAll, afterEach, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { Modding as ModdingNamespace, Reflect as ReflectNamespace } from "@flamework/core";
import type { MemoryManager } from "server/memory-manager/memory-manager";
import type { MemoryAction } from "server/memory-manager/memory-relief";
import { nextLevel, rawLevel, trendPerMinute } from "server/memory-manager/memory-levels";
import { MemoryConfig, MemoryPresets } from "shared/config/memory-config";
import { World } from "../../harness/world";
import { systemsOf } from "../placement/placement-world";

const FLAMEWORK = "ReplicatedStorage.rbxts_include.node_modules.@flamework.core.out";

describe("memory levels (engine-free)", () => {
	const small = MemoryPresets.small;

	it("has the spec's presets", () => {
		expect(MemoryPresets.small).toEqual({ warning: 600, critical: 800, emergency: 1000 });
		expect(MemoryPresets.large).toEqual({ warning: 800, critical: 1200, emergency: 1500 });
	});

	it("rises at a threshold and falls only hysteresis below it", () => {
		expect(rawLevel(599, small)).toBe("normal");
		expect(rawLevel(600, small)).toBe("warning");
		expect(rawLevel(1000, small)).toBe("emergency");
		expect(nextLevel("normal", 850, small, 50)).toBe("critical");
		expect(nextLevel("critical", 790, small, 50)).toBe("critical");
		expect(nextLevel("critical", 749, small, 50)).toBe("warning");
		expect(nextLevel("critical", 500, small, 50)).toBe("normal");
		expect(nextLevel("warning", 560, small, 50)).toBe("warning");
	});

	it("measures the trend in MB per minute", () => {
		expect(trendPerMinute([{ at: 0, mb: 500 }, { at: 30, mb: 510 }, { at: 60, mb: 520 }])).toBeCloseTo(20, 6);
		expect(trendPerMinute([{ at: 0, mb: 500 }])).toBe(0);
	});
});

describe("MemoryManager on a live server", () => {
	const world = new World();
	let server: HeadlessServer;
	let memory: MemoryManager;
	const pool = { pooled: 40, floor: 5, radius: 256, prewarming: true, calls: [] as string[] };

	/** A stand-in for the pooling/streaming services: found through Flamework like them, and giving memory back. */
	function addRelief() {
		const flamework = server.requirePath(FLAMEWORK) as { Modding: typeof ModdingNamespace; Reflect: typeof ReflectNamespace };
		const relief = {
			reliefName: "testPool",
			relieve(action: MemoryAction) {
				pool.calls.push(`relieve ${action}`);
				if (action === "shrinkPools") {
					pool.pooled = 20;
					Headless.setMemory({ server, totalMb: 640 });
					return "pool 40 -> 20";
				}
				if (action === "poolsToFloor") {
					pool.pooled = pool.floor;
					return `pool -> ${pool.floor}`;
				}
				if (action === "reduceStreamingRadius") {
					pool.radius = 128;
					return "radius 256 -> 128";
				}
				if (action === "stopPrewarming") {
					pool.prewarming = false;
					return "prewarming off";
				}
				return undefined;
			},
			restore(action: MemoryAction) {
				pool.calls.push(`restore ${action}`);
				if (action === "reduceStreamingRadius") pool.radius = 256;
				if (action === "stopPrewarming") pool.prewarming = true;
				return action === "dropCaches" ? undefined : `${action} undone`;
			},
		};
		flamework.Reflect.defineMetadata(relief, "flamework:implements", ["src/server/memory-manager/memory-relief@MemoryRelief"]);
		flamework.Modding.addListener(relief);
	}

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		Headless.frames(2);
		memory = systemsOf(server).systems.systems.memoryManager;
		addRelief();
		memory.usePreset("small");
	});
	afterEach(() => {
		Headless.setMemory({ server, totalMb: 300 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
	});
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("uses the large preset on servers of 10+ players (MaxPlayers) by default", () => {
		const fresh = world.startServer({ dataStore: Headless.newDataStore() });
		Headless.frames(2);
		const report = systemsOf(fresh).systems.systems.memoryManager.generateMemoryReport();
		expect(report.preset).toBe("large");
		expect(report.thresholds).toEqual(MemoryPresets.large);
		expect(report.currentMemory).toBeGreaterThan(300);
		Headless.crashServer(fresh);
	});

	it("samples Stats on its schedule: current, peak, by tag and trend", () => {
		Headless.setMemory({ server, totalMb: 400, byTag: { LuaHeap: 90 } });
		// A full trend window at 400 MB, so earlier figures do not count.
		Headless.seconds(MemoryConfig.sampleSeconds * MemoryConfig.trendSamples + 0.5);
		Headless.setMemory({ server, totalMb: 450, byTag: { LuaHeap: 90 } });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		const report = memory.generateMemoryReport();
		expect(report.currentMemory).toBe(450);
		expect(report.peakMemory).toBeGreaterThanOrEqual(450);
		expect(report.byTag).toEqual({ LuaHeap: 90 });
		expect(report.trend).toBeGreaterThan(0);
		expect(report.samples).toBe(MemoryConfig.trendSamples);
		expect(report.level).toBe("normal");
	});

	it("walks the ladder up with before/after figures and back down step by step, with hysteresis", () => {
		pool.calls.clear();
		Headless.setMemory({ server, totalMb: 660 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		expect(memory.currentLevel()).toBe("warning");
		expect(pool.pooled).toBe(20);
		const shrink = memory.generateMemoryReport().actionsTaken.filter((record) => record.action === "shrinkPools").pop()!;
		expect(shrink).toMatchObject({ level: "warning", direction: "apply", by: "testPool", detail: "pool 40 -> 20", beforeMb: 660, afterMb: 640 });
		expect(server.output()).toContain("print: 🧠 shrinkPools (warning) by testPool: pool 40 -> 20; 660 → 640 MB");

		Headless.setMemory({ server, totalMb: 850 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		expect(memory.currentLevel()).toBe("critical");
		expect(pool).toMatchObject({ pooled: 5, radius: 128, prewarming: false });
		expect(memory.status().state).toBe("DEGRADED");

		Headless.setMemory({ server, totalMb: 770 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		expect(memory.currentLevel()).toBe("critical");
		Headless.setMemory({ server, totalMb: 700 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		expect(memory.currentLevel()).toBe("warning");
		expect(pool).toMatchObject({ radius: 256, prewarming: true });
		Headless.setMemory({ server, totalMb: 500 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		expect(memory.currentLevel()).toBe("normal");
		expect(pool.calls).toEqual([
			"relieve shrinkPools",
			"relieve poolsToFloor",
			"relieve reduceStreamingRadius",
			"relieve stopPrewarming",
			"restore stopPrewarming",
			"restore reduceStreamingRadius",
			"restore poolsToFloor",
			"restore shrinkPools",
		]);
	});

	it("does not flap when figures hover around a threshold", () => {
		const changes: string[] = [];
		const connection = memory.levelChanged.Connect((level) => changes.push(level));
		for (const mb of [605, 590, 610, 580, 601, 560, 599]) {
			Headless.setMemory({ server, totalMb: mb });
			Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		}
		connection.Disconnect();
		expect(changes).toEqual(["warning"]);
	});

	it("emergencyCleanup force-cleans through every relief and logs what it did", () => {
		pool.calls.clear();
		const cleanup = memory.emergencyCleanup();
		expect(pool.calls).toEqual(["relieve forceCleanup", "relieve dropCaches"]);
		expect(cleanup.actions.map((record) => `${record.action}:${record.by}`)).toEqual(["forceCleanup:objectPooling", "dropCaches:none"]);
		expect(server.output().filter((line) => line.match("Emergency cleanup")[0] !== undefined).size()).toBe(1);
	});
});
