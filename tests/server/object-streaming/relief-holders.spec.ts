import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { SystemManager } from "server/system-manager/system-manager";
import { StreamingReliefConfig, StreamingSettings } from "shared/config/streaming-config";
import { relievedSettings } from "shared/streaming/streaming-relief";
import { World } from "../../harness/world";
import { systemsOf } from "../placement/placement-world";
import { streamingOf } from "./streaming-world";

/** The server's own copy of the relief policy (a spec changes its cap the way a config edit would). */
function reliefPolicyOf(server: HeadlessServer): { maxSteps: number } {
	return (server.requirePath("ReplicatedStorage.TS.config.streaming-config") as { StreamingReliefConfig: { maxSteps: number } }).StreamingReliefConfig;
}

describe("streaming relief held by memory and by emergency mode: each gives back only its own", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let streaming: ObjectStreamingService;
	let baseline: StreamingSettings;
	const configuredCap = StreamingReliefConfig.maxSteps;

	const memoryAt = (mb: number) => {
		Headless.setMemory({ server, totalMb: mb });
		manager.systems.memoryManager.sample();
	};
	/** The settings `steps` relief steps down, as players get them. */
	const stepsDown = (steps: number): StreamingSettings => ({ ...baseline, ...relievedSettings(baseline, steps, StreamingReliefConfig) });
	/** What an admin's status shows for streaming (statuses are polled once per frame). */
	const streamingReason = () => {
		Headless.frames(1);
		return manager.getSystemStatus().systems.objectStreaming.reason;
	};

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		Headless.frames(2);
		manager = systemsOf(server).systems;
		manager.systems.memoryManager.usePreset("small");
		streaming = streamingOf(server);
		baseline = { ...streaming.configuredSettings() };
	});
	afterAll(() => {
		reliefPolicyOf(server).maxSteps = configuredCap;
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	for (const cap of [configuredCap, 1]) {
		it(`at most ${cap} step(s): memory relief ending leaves emergency mode's relief in force until emergency mode ends`, () => {
			reliefPolicyOf(server).maxSteps = cap;
			memoryAt(850);
			expect(manager.systems.memoryManager.currentLevel()).toBe("critical");
			manager.enterEmergencyMode("relief drill");
			expect(streaming.currentSettings()).toEqual(stepsDown(math.min(2, cap)));

			memoryAt(500);
			expect(manager.systems.memoryManager.currentLevel()).toBe("normal");
			expect(manager.getSystemStatus().overall).toBe("EMERGENCY");
			expect(streaming.currentSettings()).toEqual(stepsDown(1));
			expect(streamingReason()).toContain("radii reduced 1 step(s) for emergencyMode");
			expect(manager.systems.objectStreaming.report().reliefSteps).toBe(1);

			expect(manager.exitEmergencyMode().success).toBe(true);
			expect(streaming.currentSettings()).toEqual(baseline);
			expect(manager.systems.objectStreaming.report().reliefSteps).toBe(0);
		});

		it(`at most ${cap} step(s): emergency mode ending leaves memory relief in force while memory stays critical`, () => {
			reliefPolicyOf(server).maxSteps = cap;
			manager.enterEmergencyMode("relief drill");
			memoryAt(850);
			expect(streaming.currentSettings()).toEqual(stepsDown(math.min(2, cap)));

			expect(manager.exitEmergencyMode().success).toBe(true);
			expect(manager.getSystemStatus().overall === "EMERGENCY").toBe(false);
			expect(manager.systems.memoryManager.currentLevel()).toBe("critical");
			expect(streaming.currentSettings()).toEqual(stepsDown(1));
			expect(streamingReason()).toContain("radii reduced 1 step(s) for memoryLevel");

			memoryAt(500);
			expect(streaming.currentSettings()).toEqual(baseline);
			expect(manager.systems.objectStreaming.report().reliefSteps).toBe(0);
		});
	}
});
