import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { AdminController } from "client/admin/admin-controller";
import type { AlertService } from "server/operations/alert-service";
import type { EmergencyModeService, EmergencyState } from "server/operations/emergency-mode";
import type { SystemManager } from "server/system-manager/system-manager";
import type { AdminCommandOutcome } from "shared/admin/admin-types";
import { AdminConfig } from "shared/config/admin-config";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { backupSystemsOf, backupWrites, slowBackupWrites, switchOffScheduledBackups } from "../data-backup/backup-world";
import { joinBuilder, systemsOf } from "../placement/placement-world";
import { joinAs, startAdminServer } from "../admin/admin-world";
import { GridBuilder } from "./operations-world";

const ROOT = "ServerScriptService.TS";

describe("an emergency backup still being stored when its emergency ends", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let emergency: EmergencyModeService;
	let alerts: AlertService;
	let owner: AdminController;

	beforeAll(() => {
		server = startAdminServer(world).server;
		manager = systemsOf(server).systems;
		emergency = singletonOf(server, `${ROOT}.operations.emergency-mode`, "EmergencyModeService");
		alerts = singletonOf(server, `${ROOT}.operations.alert-service`, "AlertService");
		// Only the emergency backups write to the backup store here.
		switchOffScheduledBackups(backupSystemsOf(server).backups);
		owner = joinAs(world, server, "owner").controller;
		const builder = new GridBuilder(joinBuilder(world, server, 4501, "Builder").controller);
		expect(builder.placeOne().success).toBe(true);
	});
	afterAll(() => world.stop());

	it("reports into its own emergency: the next emergency's status, state and alerts are its own", () => {
		// The first emergency's backup writes are slow and fail; the next emergency's go through.
		let firstReturned = false;
		let first: EmergencyState | undefined;
		const faults = server.dataStoreFaults();
		const writes = backupWrites();
		faults.filter((request) => writes(request) && !firstReturned);
		faults.setLatency(10);
		faults.failNext(1000);
		task.spawn(() => {
			first = manager.enterEmergencyMode("disk incident");
			firstReturned = true;
		});
		Headless.seconds(2);
		expect(firstReturned).toBe(false);
		const exit = manager.exitEmergencyMode();
		expect(exit.success).toBe(true);
		expect(manager.getSystemStatus().overall).toBe("OPERATIONAL");

		Headless.seconds(1);
		const mark = alerts.recent().pop()?.sequence ?? 0;
		let second: EmergencyState | undefined;
		task.spawn(() => (second = manager.enterEmergencyMode("memory drill")));
		waitUntil(() => firstReturned, 180, "the first emergency's backup to finish");
		waitUntil(() => second !== undefined, 60, "the second emergency's backup to finish");
		faults.clear();

		// The first backup's failure is the first emergency's, and said to be.
		expect(first!.reason).toBe("disk incident");
		expect(first!.backup?.success).toBe(false);
		const during = alerts.recent().filter((alert) => alert.sequence > mark);
		expect(during.filter((alert) => alert.message.sub(1, 23) === "Emergency backup failed").map((alert) => alert.message)).toEqual([]);
		const late = during.filter((alert) => alert.message.find("disk incident", 1, true)[0] !== undefined);
		expect(late.size()).toBe(1);
		expect(late[0].severity).toBe("warning");
		expect(late[0].message).toMatch('^The emergency backup of "disk incident", which has ended, failed: ');

		// The emergency in force is the second, with its own backup.
		expect(emergency.state()?.reason).toBe("memory drill");
		expect(second!.backup?.success).toBe(true);
		expect(emergency.state()?.backup?.success).toBe(true);
		expect(manager.getSystemStatus()).toMatchObject({ overall: "EMERGENCY", reason: "emergency mode: memory drill" });
		expect(manager.generateSystemReport().systemHealth.reason).toBe("emergency mode: memory drill");
		expect(during.filter((alert) => alert.severity === "critical").map((alert) => alert.message)).toEqual([
			"Emergency mode: memory drill. Building is paused.",
		]);
		expect(manager.exitEmergencyMode().success).toBe(true);
		// The admin who ended the first was told its backup was still under way.
		expect(exit.message).toMatch("its emergency backup is still being stored");
	});

	it("an owner's `emergency on` whose emergency ended before its backup finished is told so when it is done", () => {
		if (emergency.isActive()) manager.exitEmergencyMode();
		// Slow enough to end the emergency meanwhile, and to outlast the owner's answer.
		const faults = slowBackupWrites(server, 8);
		const outcomes: AdminCommandOutcome[] = [];
		const connection = owner.commandFinished.Connect((outcome) => outcomes.push(outcome));
		let answer: ReturnType<AdminController["emergency"]> | undefined;
		task.spawn(() => (answer = owner.emergency(true, "network incident")));
		waitUntil(() => emergency.isActive(), 5, "the owner's emergency");
		Headless.seconds(1);
		expect(answer).toBeUndefined();
		expect(manager.exitEmergencyMode().success).toBe(true);
		waitUntil(() => answer !== undefined, AdminConfig.underWayAfterSeconds + 1, "the owner's answer");
		expect(answer).toMatchObject({
			ok: false,
			underWay: { command: "emergency", progress: "Emergency mode was turned on and has ended since; its emergency backup is still being stored." },
		});
		waitUntil(() => outcomes.size() > 0, 120, "the outcome of the owner's emergency on");
		faults.clear();
		connection.Disconnect();
		expect(outcomes[0].response).toMatchObject({ ok: true, name: "emergency", result: { active: false, reason: "network incident", backup: { success: true } } });
		expect(manager.getSystemStatus().overall === "EMERGENCY").toBe(false);
	});
});
