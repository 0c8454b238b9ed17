import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { SystemManager } from "server/system-manager/system-manager";
import { MemoryConfig } from "shared/config/memory-config";
import { World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder, SYSTEM_MODULES, patchMethod, stateOf, waitForState } from "./operations-world";

describe("SystemManager: critical systems found through Flamework, errors isolated per system", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let builder: GridBuilder;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		builder = new GridBuilder(joinBuilder(world, server, 4101, "Builder").controller);
	});
	afterAll(() => world.stop());

	it("knows every critical system by its spec name, each OPERATIONAL with a reason", () => {
		const status = manager.getSystemStatus();
		for (const name of ["placementTracker", "conflictResolver", "moderation", "analytics", "dataBackup", "memoryManager", "objectStreaming", "objectPooling"]) {
			expect(status.systems[name]?.state).toBe("OPERATIONAL");
			expect(status.systems[name].reason.size()).toBeGreaterThan(0);
		}
		expect(status.overall).toBe("OPERATIONAL");
		expect(manager.systems.analytics.report().totalObjects).toBe(0);
		expect(manager.systems.dataBackup.report().backupsTaken).toBeGreaterThanOrEqual(0);
	});

	it.each(["placementTracker", "conflictResolver", "moderation", "analytics", "dataBackup", "memoryManager", "objectStreaming", "objectPooling"])(
		"a %s whose health check throws is DEGRADED, then FAILED; the others stay OPERATIONAL and building goes on",
		(name) => {
			const [modulePath, exportName] = SYSTEM_MODULES[name];
			const restore = patchMethod(server, modulePath, exportName, "status", () => error(`injected fault in ${name}`));
			const placedBefore = builder.placed.size();
			const threadErrors = server.threadErrorCount();
			Headless.seconds(1.5);
			expect(stateOf(manager, name)).toBe("DEGRADED");
			expect(manager.getSystemStatus().systems[name].reason).toMatch("injected fault");
			for (let step = 0; step < 5; step++) {
				Headless.seconds(1);
				expect(builder.placeOne("lamp").success).toBe(true);
			}
			waitForState(manager, name, "FAILED", 10);
			expect(manager.getSystemStatus().systems[name].reason).toMatch("5 errors within 60 s");
			const report = manager.generateSystemReport();
			for (const [other, entry] of pairs(report.systemHealth.systems)) {
				if (other !== name) expect(`${other}: ${entry.state}`).toBe(`${other}: OPERATIONAL`);
			}
			expect(report.systemHealth.overall).toBe("FAILED");
			expect(report.systemHealth.systems[name].errors).toBeGreaterThanOrEqual(5);
			expect(builder.placed.size()).toBe(placedBefore + 5);
			expect(server.threadErrorCount()).toBe(threadErrors);

			restore();
			const restart = manager.restartSystem(name);
			expect(restart.success).toBe(true);
			expect(restart.before?.state).toBe("FAILED");
			expect(restart.after).toEqual({ state: "OPERATIONAL", reason: restart.after?.reason });
			expect(`${restart.after?.state} ${restart.after?.reason}`).toMatch("^OPERATIONAL");
			expect(stateOf(manager, name)).toBe("OPERATIONAL");
		},
	);

	it("an error in a Flamework tick of a system is caught and counted; the tick keeps being called", () => {
		const restore = patchMethod(server, "conflict-resolver.conflict-resolver", "ConflictResolver", "onTick", () => error("tick fault"));
		const threadErrors = server.threadErrorCount();
		Headless.frames(1);
		const degraded = stateOf(manager, "conflictResolver");
		Headless.frames(5);
		const failed = stateOf(manager, "conflictResolver");
		restore();
		expect(degraded).toBe("DEGRADED");
		expect(failed).toBe("FAILED");
		expect(manager.generateSystemReport().systemHealth.systems.conflictResolver.recentErrors[0]).toMatch("onTick");
		expect(stateOf(manager, "placementTracker")).toBe("OPERATIONAL");
		expect(server.threadErrorCount()).toBe(threadErrors);
		Headless.seconds(1);
		expect(builder.placeOne().success).toBe(true);
		expect(manager.restartSystem("conflictResolver").after?.state).toBe("OPERATIONAL");
	});

	it("an error in a system's own scheduled work (MemoryManager's sampling) counts against it; the schedule goes on", () => {
		const memory = manager.systems.memoryManager;
		const [modulePath, exportName] = SYSTEM_MODULES.memoryManager;
		const errorsBefore = manager.generateSystemReport().systemHealth.systems.memoryManager.errors;
		let failedSamples = 0;
		const restore = patchMethod(server, modulePath, exportName, "sample", () => {
			failedSamples += 1;
			error("Stats unavailable");
		});
		Headless.seconds(MemoryConfig.sampleSeconds * 2 + 0.5);
		restore();
		const health = manager.generateSystemReport().systemHealth.systems.memoryManager;
		// Two or three samples fall in that time, depending on where the schedule stands: each failure counts once.
		expect(failedSamples).toBeGreaterThanOrEqual(2);
		expect(health.errors).toBe(errorsBefore + failedSamples);
		expect(health.state).toBe("DEGRADED");
		expect(health.recentErrors[health.recentErrors.size() - 1]).toMatch("sample: .*Stats unavailable");
		const samples = memory.generateMemoryReport().samples;
		const before = memory.generateMemoryReport().currentMemory;
		Headless.setMemory({ server, totalMb: before + 10 });
		Headless.seconds(MemoryConfig.sampleSeconds + 0.5);
		expect(memory.generateMemoryReport().currentMemory).toBe(before + 10);
		expect(memory.generateMemoryReport().samples).toBeGreaterThanOrEqual(samples);
		Headless.setMemory({ server, reset: true });
		expect(manager.restartSystem("memoryManager").after?.state).toBe("OPERATIONAL");
	});

	it("errors older than the window no longer count: a DEGRADED system becomes OPERATIONAL again", () => {
		const [modulePath, exportName] = SYSTEM_MODULES.analytics;
		let calls = 0;
		const restore = patchMethod(server, modulePath, exportName, "status", () => {
			calls += 1;
			if (calls === 1) error("one-off fault");
			return { state: "OPERATIONAL", reason: "fine" };
		});
		Headless.seconds(1.5);
		expect(stateOf(manager, "analytics")).toBe("DEGRADED");
		Headless.seconds(61);
		expect(stateOf(manager, "analytics")).toBe("OPERATIONAL");
		restore();
	});
	it.each([
		["objectStreaming", "object-streaming.object-streaming-service", "ObjectStreamingService", "addViewer"],
		["moderation", "moderation.moderation-log", "ModerationLog", "forget"],
	])("an error in an event handler %s connected is caught: that system is DEGRADED, the player still joins, nothing else is touched", (name, modulePath, exportName, method) => {
		const threadErrors = server.threadErrorCount();
		const restore =
			name === "objectStreaming"
				? patchMethod(server, modulePath, exportName, method, () => error(`injected fault in ${name}'s handler`))
				: undefined;
		if (name === "objectStreaming") {
			const visitor = world.join(server, { userId: 4190, name: "Visitor" });
			Headless.seconds(0.5);
			expect(visitor.isAlive()).toBe(true);
			restore!();
			visitor.disconnect();
		} else {
			// Moderation forgets a leaving player's record in its PlayerRemoving handler: make that throw.
			const moderation = systemsOf(server).moderation as unknown as { records: Map<number, unknown> };
			const records = moderation.records;
			moderation.records = setmetatable({}, { __newindex: () => error(`injected fault in ${name}'s handler`) }) as unknown as Map<number, unknown>;
			const visitor = world.join(server, { userId: 4191, name: "Leaver" });
			Headless.seconds(0.5);
			visitor.disconnect();
			Headless.seconds(0.5);
			moderation.records = records;
		}
		Headless.frames(2);
		expect(stateOf(manager, name)).toBe("DEGRADED");
		expect(manager.getSystemStatus().systems[name].reason).toMatch("injected fault");
		for (const [other, entry] of pairs(manager.getSystemStatus().systems)) {
			if (other !== name) expect(`${other}: ${entry.state}`).toBe(`${other}: OPERATIONAL`);
		}
		expect(builder.placeOne("chair").success).toBe(true);
		expect(server.threadErrorCount()).toBe(threadErrors);
		expect(manager.restartSystem(name).after?.state).toBe("OPERATIONAL");
	});

	it("an isolated tick is handed the frame's delta time, as Flamework hands it", () => {
		const deltas: number[] = [];
		const restore = patchMethod(server, "conflict-resolver.conflict-resolver", "ConflictResolver", "onTick", (_: unknown, deltaTime: number) => {
			deltas.push(deltaTime);
		});
		Headless.frames(3);
		restore();
		expect(deltas.size()).toBe(3);
		for (const deltaTime of deltas) expect(deltaTime).toBeCloseTo(1 / 60, 4);
	});
});
