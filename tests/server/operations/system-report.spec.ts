import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import type { SystemManager } from "server/system-manager/system-manager";
import { IsolationConfig } from "shared/config/operations-config";
import { World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder, patchMethod } from "./operations-world";

describe("SystemManager.generateSystemReport and getSystemStatus", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		const builder = new GridBuilder(joinBuilder(world, server, 4301, "Builder").controller);
		for (let index = 0; index < 8; index++) {
			Headless.seconds(0.5);
			expect(builder.placeOne().success).toBe(true);
		}
		Headless.setMemory({ server, totalMb: 512, byTag: { Script: 40, Instances: 120 } });
		manager.systems.memoryManager.sample();
	});
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("has the spec's shape: systemHealth, performanceMetrics in seconds, every system's report", () => {
		const report = manager.generateSystemReport();
		expect(report.systemHealth.overall).toBe("OPERATIONAL");
		expect(report.systemHealth.reason).toBe("every system is operational");
		expect(report.systemHealth.systems.memoryManager.state).toBe("OPERATIONAL");
		expect(report.systemReports.memoryManager?.currentMemory).toBe(512);
		expect(report.systemReports.memoryManager?.byTag).toEqual({ Script: 40, Instances: 120 });
		expect(report.systemReports.analytics?.totalObjects).toBe(8);
		expect(report.systemReports.placementTracker?.totalObjects).toBe(8);
		expect(report.systemReports.dataBackup?.config.incrementalInterval).toBe(60);
		const metrics = report.performanceMetrics;
		expect(metrics.responseSamples).toBe(8);
		expect(metrics.averageResponseTime).toBeGreaterThan(0);
		expect(metrics.averageResponseTime).toBeLessThan(0.1);
		expect(metrics.p95ResponseTime).toBeGreaterThanOrEqual(metrics.p50ResponseTime);
		expect(metrics.p99ResponseTime).toBeGreaterThanOrEqual(metrics.p95ResponseTime);
		expect(metrics.serverFps).toBeCloseTo(60, 0);
		expect(metrics.frameTimeP99).toBeCloseTo(1 / 60, 3);
		expect(metrics.uptime).toBeGreaterThan(4);
		expect(metrics.players).toBe(1);
		expect(metrics.objects).toBe(8);
		expect(report.jobId).toBe(server.jobId);
	});

	it("is JSON-safe and every system's report is within the size bound", () => {
		const report = manager.generateSystemReport();
		const text = HttpService.JSONEncode(report);
		const decoded = HttpService.JSONDecode(text) as typeof report;
		expect(decoded.systemReports.analytics?.totalObjects).toBe(8);
		for (const [name] of pairs(report.systemReports)) {
			expect(HttpService.JSONEncode(report.systemReports[name]).size()).toBeLessThanOrEqual(IsolationConfig.maxReportCharacters);
		}
	});

	it("leaves out a report that is too large or fails, saying why, and counts the failure", () => {
		const huge = patchMethod(server, "analytics.analytics-system", "AnalyticsSystem", "report", () => ({ blob: string.rep("x", 20_000) }));
		const tooLarge = manager.generateSystemReport();
		huge();
		expect(tooLarge.systemReports.analytics).toBeUndefined();
		expect(tooLarge.omittedReports.analytics).toMatch("over 16384");
		const failing = patchMethod(server, "moderation.moderation-system", "ModerationSystem", "report", () => error("report fault"));
		const failed = manager.generateSystemReport();
		failing();
		expect(failed.systemReports.moderation).toBeUndefined();
		expect(failed.omittedReports.moderation).toBe("its report failed (the error is counted)");
		expect(failed.systemHealth.systems.moderation.errors).toBe(1);
		expect(failed.systemHealth.systems.moderation.state).toBe("DEGRADED");
		expect(failed.systemHealth.overall).toBe("DEGRADED");
		expect(failed.systemHealth.reason).toMatch("moderation: 1 error");
	});

	it("getSystemStatus lists the overall state and every system's, with reasons", () => {
		const status = manager.getSystemStatus();
		expect(status.systems.memoryManager.reason).toMatch("512 MB");
		expect(status.systems.placementTracker).toEqual({ state: "OPERATIONAL", reason: "8 objects tracked" });
	});
});
