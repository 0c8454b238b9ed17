import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { AnalyticsService } from "server/analytics/analytics-service";
import type { AlertService } from "server/operations/alert-service";
import { alertsFor, type AutoMonitor } from "server/operations/auto-monitor";
import type { SystemReport } from "server/operations/system-report";
import type { SystemManager } from "server/system-manager/system-manager";
import { MonitoringConfig } from "shared/config/operations-config";
import type { AdminAlert } from "shared/admin/admin-types";
import { singletonOf, World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder, SYSTEM_MODULES, patchMethod } from "./operations-world";

describe("auto-monitoring every 300 s", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let monitor: AutoMonitor;
	let alerts: AlertService;
	let analytics: AnalyticsService;
	const adminSaw: AdminAlert[] = [];

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		analytics = systems.analytics;
		monitor = singletonOf(server, "ServerScriptService.TS.operations.auto-monitor", "AutoMonitor");
		alerts = singletonOf(server, "ServerScriptService.TS.operations.alert-service", "AlertService");
		Headless.frames(2);
		manager.systems.memoryManager.usePreset("large");
		Headless.setMemory({ server, totalMb: 512 });
		const builder = new GridBuilder(joinBuilder(world, server, 4501, "Builder").controller);
		const admin = joinBuilder(world, server, 9001, "Admin").client;
		const remote = admin.game
			.GetService("ReplicatedStorage")
			.GetDescendants()
			.find((item): item is RemoteEvent => item.IsA("RemoteEvent") && item.Name.match("adminAlert$")[0] !== undefined)!;
		remote.OnClientEvent.Connect((alert: AdminAlert) => adminSaw.push(alert));
		for (let index = 0; index < 3; index++) {
			Headless.seconds(0.5);
			expect(builder.placeOne().success).toBe(true);
		}
	});
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("logs the spec's lines on its own every intervalSeconds, with no alert while all is well", () => {
		const alertsBefore = alerts.recent().size();
		waitForRound();
		const output = server.output();
		expect(output).toContain("print: 📊 SYSTEM STATUS: OPERATIONAL");
		expect(output).toContain("print:    Memory: 512 MB");
		expect(output).toContain("print:    Objects: 3");
		expect(output).toContain("print:    Players: 2");
		expect(output.find((line) => line.match("^print:    FPS: 60%.0 %(frame p99 16%.7 ms%), response avg")[0] !== undefined)).toBeDefined();
		expect(monitor.lastRound()?.alerts).toEqual([]);
		expect(alerts.recent().size()).toBe(alertsBefore);
	});

	function waitForRound() {
		const before = monitor.lastRound()?.at ?? -1;
		Headless.seconds(MonitoringConfig.intervalSeconds);
		expect(monitor.lastRound()?.at).never.toBe(before);
	}

	it("warns on a status other than OPERATIONAL, to the log, the admins online and the ring buffer", () => {
		const [modulePath, exportName] = SYSTEM_MODULES.moderation;
		const restore = patchMethod(server, modulePath, exportName, "status", () => ({ state: "DEGRADED", reason: "rules table unreadable" }));
		Headless.frames(1);
		const round = monitor.check();
		restore();
		expect(round.alerts).toEqual(["Status is DEGRADED (moderation: rules table unreadable)"]);
		expect(server.output()).toContain("warn: 🚨 SYSTEM ALERT: Status is DEGRADED (moderation: rules table unreadable)");
		expect(alerts.recent(1)[0]).toMatchObject({ severity: "warning", system: "monitor", message: round.alerts[0] });
		expect(manager.recentAlerts(1)).toEqual(alerts.recent(1));
		Headless.frames(3);
		expect(adminSaw.map((alert) => alert.message)).toContain(round.alerts[0]);
	});

	it("warns on an average response time over 100 ms and on memory over 800 MB", () => {
		for (let index = 0; index < 2000; index++) analytics.recordResponseTime(0.25);
		Headless.setMemory({ server, totalMb: 850 });
		manager.systems.memoryManager.sample();
		const round = monitor.check();
		expect(round.alerts).toEqual(["Average response time 250.0 ms is over 100.0 ms", "High memory usage: 850 MB (over 800 MB, level warning)"]);
		for (let index = 0; index < 2000; index++) analytics.recordResponseTime(0.002);
		Headless.setMemory({ server, totalMb: 512 });
		manager.systems.memoryManager.sample();
		expect(monitor.check().alerts).toEqual([]);
	});

	it("keeps the newest alerts in a bounded ring buffer", () => {
		for (let index = 0; index < MonitoringConfig.alertBufferSize + 10; index++) alerts.raise("info", "spec", `note ${index}`);
		const recent = alerts.recent();
		expect(recent.size()).toBe(MonitoringConfig.alertBufferSize);
		expect(recent[recent.size() - 1].message).toBe(`note ${MonitoringConfig.alertBufferSize + 9}`);
		expect(recent[0].message).toBe("note 10");
	});

	it("warns on a frame rate under 30 (the rule, on a report)", () => {
		const report = manager.generateSystemReport();
		const slow = { ...report, performanceMetrics: { ...report.performanceMetrics, serverFps: 24 } } as SystemReport;
		expect(alertsFor(slow)).toEqual(["Server FPS 24.0 is under 30"]);
	});
});
