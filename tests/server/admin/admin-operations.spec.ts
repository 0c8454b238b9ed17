import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { AdminController } from "client/admin/admin-controller";
import type { AutoMonitor } from "server/operations/auto-monitor";
import type { SystemManager } from "server/system-manager/system-manager";
import { AdminRefusal, AlertLine, ReportSection } from "shared/admin/admin-types";
import { formatResponse } from "shared/admin/format-response";
import { RejectionReason } from "shared/placement/rejection-reason";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder } from "../operations/operations-world";
import { AdminSystems, joinAs, lastAuditOf, PEOPLE, startAdminServer } from "./admin-world";

function valueOf(section: ReportSection | undefined, label: string): string | undefined {
	return section?.lines.find((line) => line.label === label)?.value;
}

/** The operations commands end to end: a real admin client, the real systems behind them. */
describe("operations admin commands", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: AdminSystems;
	let manager: SystemManager;
	let owner: AdminController;
	let admin: AdminController;
	let moderator: AdminController;
	let builder: GridBuilder;
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	beforeAll(() => {
		({ server, systems } = startAdminServer(world));
		systems.admin.configureRateLimit(1000, 1000);
		manager = systemsOf(server).systems;
		owner = joinAs(world, server, "owner").controller;
		admin = joinAs(world, server, "admin").controller;
		moderator = joinAs(world, server, "moderator").controller;
		builder = new GridBuilder(joinBuilder(world, server, 4801, "Builder").controller);
		for (let index = 0; index < 3; index++) {
			Headless.seconds(0.5);
			expect(builder.placeOne().success).toBe(true);
		}
	});

	it("systemreport answers in the spec's shape, from generateSystemReport", () => {
		const reply = admin.systemReport();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		const report = reply.result;
		expect(report.jobId).toBe(server.jobId);
		expect(report.systemHealth.overall).toBe("OPERATIONAL");
		for (const name of ["placementTracker", "conflictResolver", "moderation", "analytics", "dataBackup", "memoryManager"]) {
			expect(report.systemHealth.systems[name]?.state).toBe("OPERATIONAL");
		}
		expect(report.performanceMetrics.averageResponseTime).toBeGreaterThan(0);
		expect(report.performanceMetrics.averageResponseTime).toBeLessThan(0.1);
		expect(report.performanceMetrics.objects).toBe(3);
		expect(report.performanceMetrics.players).toBe(4);
		const memory = manager.systems.memoryManager.generateMemoryReport().currentMemory;
		expect(valueOf(report.systemReports.memoryManager, "currentMemory")).toBe(tostring(memory));
		expect(valueOf(report.systemReports.analytics, "totalObjects")).toBe("3");
		expect(moderator.systemReport()).toMatchObject({ ok: false, refusal: AdminRefusal.NotAllowed });
		// What /systemreport shows in chat.
		const text = formatResponse({ ok: true, name: "systemreport", result: report });
		expect(text).toMatch("^Report of .* UTC: OPERATIONAL %(every system is operational%)");
		expect(text).toMatch(`\n  currentMemory: ${memory}\n`);
		expect(text).toMatch("\nplacementTracker: OPERATIONAL");
	});

	it("forcecleanup runs the MemoryManager's emergency cleanup and reports memory before and after", () => {
		Headless.setMemory({ server, totalMb: 512 });
		const reply = admin.forceCleanup();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result.memoryBeforeMb).toBe(512);
		expect(reply.result.memoryAfterMb).toBe(512);
		expect(reply.result.actions.size()).toBeGreaterThan(0);
		expect(server.output()).toContain("print: 🧹 Emergency cleanup: 512 → 512 MB (" + reply.result.actions.size() + " action(s))");
		Headless.setMemory({ server, reset: true });
	});

	it("restartsystem rebuilds a system from authoritative state without losing objects; unknown names are refused", () => {
		const reply = owner.restartSystem("placementTracker");
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result.restarted).toBe(true);
		expect(reply.result.detail).toMatch("^placementTracker restarted in");
		expect(systemsOf(server).tracker.totalObjects()).toBe(3);
		expect(builder.placeOne().success).toBe(true);
		const report = admin.systemReport();
		expect(report.ok).toBe(true);
		if (report.ok) expect(report.result.systemHealth.systems.placementTracker.restarts).toBe(1);
		const unknown = owner.restartSystem("warpDrive");
		expect(unknown).toEqual({ ok: false, refusal: AdminRefusal.Failed, message: "no critical system named warpDrive" });
		expect(admin.restartSystem("placementTracker")).toMatchObject({ ok: false, refusal: AdminRefusal.NotAllowed });
	});

	it("emergency on refuses placements with EmergencyMode and alerts admins; off restores building", () => {
		const seen: AlertLine[] = [];
		const connection = admin.alertReceived.Connect((alert) => seen.push(alert));
		const on = owner.emergency(true, "database incident");
		expect(on).toMatchObject({ ok: true, result: { active: true, reason: "database incident", backup: { success: true } } });
		const refused = builder.placeOne();
		expect(refused.success).toBe(false);
		if (!refused.success) expect(refused.reason).toBe(RejectionReason.EmergencyMode);
		const status = owner.systemStatus();
		expect(status.ok).toBe(true);
		if (status.ok) {
			expect(status.result.overall).toBe("failing");
			expect(status.result.systems.find((line) => line.name === "emergencyMode")?.detail).toBe("emergency mode: database incident");
		}
		waitUntil(() => seen.size() > 0, 5, "the emergency alert");
		expect(seen[0]).toMatchObject({ severity: "critical", system: "emergency", message: "Emergency mode: database incident. Building is paused." });
		const off = owner.emergency(false);
		expect(off).toEqual({ ok: true, result: { active: false } });
		expect(builder.placeOne().success).toBe(true);
		connection.Disconnect();
		expect(admin.emergency(true)).toMatchObject({ ok: false, refusal: AdminRefusal.NotAllowed });
		expect(manager.getSystemStatus().overall).toBe("OPERATIONAL");
	});

	it("emergency off while memory stays at the emergency level says so: no new emergency until it has cleared", () => {
		// This server's player limit gives it the large preset: the emergency level is 1,500 MB.
		Headless.setMemory({ server, totalMb: 1600 });
		waitUntil(() => manager.emergencyState()?.cause === "memory", 20, "the memory emergency");
		const off = owner.emergency(false);
		expect(off).toEqual({ ok: true, result: { active: false, heldOff: "memory at the emergency level (1600 MB)" } });
		if (off.ok) {
			expect(formatResponse({ ok: true, name: "emergency", result: off.result })).toBe(
				"Emergency mode off; still holding (no new emergency until it clears): memory at the emergency level (1600 MB)",
			);
		}
		Headless.seconds(12);
		expect(manager.emergencyState()).toBeUndefined();
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(6);
	});

	it("alerts returns the operations ring buffer", () => {
		const reply = moderator.alerts();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result).toEqual(manager.recentAlerts());
		expect(reply.result.map((alert) => alert.message)).toContain("Emergency mode: database incident. Building is paused.");
		expect(reply.result[reply.result.size() - 1].message).toMatch("^Emergency mode ended");
	});

	it("an alert raised by monitoring reaches the alertReceived of admins and moderators", () => {
		const adminSaw: AlertLine[] = [];
		const moderatorSaw: AlertLine[] = [];
		admin.alertReceived.Connect((alert) => adminSaw.push(alert));
		moderator.alertReceived.Connect((alert) => moderatorSaw.push(alert));
		const monitor = singletonOf<AutoMonitor>(server, "ServerScriptService.TS.operations.auto-monitor", "AutoMonitor");
		// The 10+ player preset, so 850 MB (over the 800 MB alert line) is only the warning level.
		const memory = manager.systems.memoryManager;
		memory.usePreset("large");
		Headless.setMemory({ server, totalMb: 850 });
		memory.sample();
		const round = monitor.check();
		Headless.setMemory({ server, reset: true });
		memory.sample();
		memory.usePreset("small");
		const memoryAlert = round.alerts.find((message) => message.match("^High memory usage: 850 MB")[0] !== undefined);
		expect(memoryAlert).toBeDefined();
		waitUntil(() => adminSaw.size() >= round.alerts.size(), 5, "the monitoring alerts");
		expect(adminSaw.map((alert) => alert.message)).toContain(memoryAlert!);
		expect(adminSaw.find((alert) => alert.message === memoryAlert)).toMatchObject({ severity: "warning", system: "monitor" });
		expect(moderatorSaw.map((alert) => alert.message)).toContain(memoryAlert!);
	});

	it("preflight returns the integration test's checks, every one passed", () => {
		const reply = admin.preflight();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result.size()).toBeGreaterThan(5);
		expect(reply.result[0].name).toBe("systems");
		for (const check of reply.result) expect(`${check.name}: ${check.passed} ${check.detail}`).toMatch(`^${check.name}: true`);
		expect(lastAuditOf(systems.audit, PEOPLE.admin.userId, "preflight")!.allowed).toBe(true);
	});

	it("fleet lists this server from the fleet view", () => {
		waitUntil(() => manager.getFleetStatus().size() === 1, 10, "the fleet view");
		const reply = admin.fleet();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(reply.result.map((line) => line.jobId)).toEqual([server.jobId]);
		expect(reply.result[0]).toMatchObject({ overall: "OPERATIONAL", players: 4, objects: 5 });
		expect(moderator.fleet()).toMatchObject({ ok: false, refusal: AdminRefusal.NotAllowed });
	});
});

