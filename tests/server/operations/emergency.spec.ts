import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { AlertService } from "server/operations/alert-service";
import type { EmergencyModeService } from "server/operations/emergency-mode";
import type { SystemManager } from "server/system-manager/system-manager";
import { EmergencyConfig } from "shared/config/operations-config";
import { MemoryConfig } from "shared/config/memory-config";
import type { AdminAlert } from "shared/admin/admin-types";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";
import { singletonOf, World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder, SYSTEM_MODULES, patchMethod, waitForState } from "./operations-world";

const ADMIN_ID = 9001;

describe("emergency mode", () => {
	const world = new World();
	let server: HeadlessServer;
	let manager: SystemManager;
	let emergency: EmergencyModeService;
	let alerts: AlertService;
	let builder: GridBuilder;
	const adminSaw: AdminAlert[] = [];
	const builderSaw: AdminAlert[] = [];

	function listenForAlerts(client: HeadlessClient, into: AdminAlert[]) {
		const remote = client.game
			.GetService("ReplicatedStorage")
			.GetDescendants()
			.find((item): item is RemoteEvent => item.IsA("RemoteEvent") && item.Name.match("adminAlert$")[0] !== undefined);
		assert(remote, "no adminAlert remote");
		remote.OnClientEvent.Connect((alert: AdminAlert) => into.push(alert));
	}

	/** Memory at the emergency level: an automatic memory emergency starts. */
	function memoryEmergency() {
		Headless.setMemory({ server, totalMb: 1100 });
		Headless.seconds(MemoryConfig.sampleSeconds + 1);
		expect(emergency.state()?.cause).toBe("memory");
	}

	/** Memory back to normal for stableSeconds: the automatic emergency (auto policy) ends. */
	function memoryRecovers() {
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(MemoryConfig.sampleSeconds + EmergencyConfig.stableSeconds + 2);
		expect(emergency.isActive()).toBe(false);
	}

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		emergency = singletonOf(server, "ServerScriptService.TS.operations.emergency-mode", "EmergencyModeService");
		alerts = singletonOf(server, "ServerScriptService.TS.operations.alert-service", "AlertService");
		const joined = joinBuilder(world, server, 4401, "Builder");
		builder = new GridBuilder(joined.controller);
		listenForAlerts(joined.client, builderSaw);
		listenForAlerts(joinBuilder(world, server, ADMIN_ID, "Admin").client, adminSaw);
		manager.systems.memoryManager.usePreset("small");
		expect(builder.placeOne().success).toBe(true);
	});
	afterAll(() => {
		Headless.setMemory({ server, reset: true });
		world.stop();
	});

	it("entered by an admin: building refused with a message players see, emergency backup, admins alerted", () => {
		const backupsBefore = manager.systems.dataBackup.report().backupsTaken;
		const state = manager.enterEmergencyMode("database incident");
		expect(state.cause).toBe("admin");
		expect(state.backup?.success).toBe(true);
		expect(state.backup?.id).toBeDefined();
		expect(state.cleanup).toBeDefined();
		expect(manager.systems.dataBackup.report().backupsTaken).toBe(backupsBefore + 1);
		Headless.seconds(1);
		const refused = builder.placeOne();
		expect(refused.success).toBe(false);
		if (!refused.success) {
			expect(refused.reason).toBe(RejectionReason.EmergencyMode);
			expect(refused.message).toBe(rejectionMessage(RejectionReason.EmergencyMode));
		}
		const status = manager.getSystemStatus();
		expect(status.overall).toBe("EMERGENCY");
		expect(status.reason).toBe("emergency mode: database incident");
		expect(manager.generateSystemReport().systemHealth.overall).toBe("EMERGENCY");
		expect(adminSaw.map((alert) => alert.message)).toContain("Emergency mode: database incident. Building is paused.");
		expect(builderSaw.size()).toBe(0);
		expect(alerts.recent().pop()).toMatchObject({ severity: "critical", system: "emergency" });
		expect(manager.systems.memoryManager.generateMemoryReport().actionsTaken.map((record) => record.action)).toEqual(
			expect.arrayContaining(["forceCleanup", "dropCaches", "reduceStreamingRadius"]),
		);
	});

	it("one entered by an admin stays on until an admin exits it; then building resumes", () => {
		Headless.seconds(EmergencyConfig.stableSeconds + 5);
		expect(emergency.isActive()).toBe(true);
		const exit = manager.exitEmergencyMode();
		expect(exit.success).toBe(true);
		expect(manager.exitEmergencyMode()).toMatchObject({ success: false, message: "emergency mode is not on" });
		expect(manager.getSystemStatus().overall).toBe("OPERATIONAL");
		Headless.seconds(1);
		expect(builder.placeOne().success).toBe(true);
		expect(adminSaw.pop()?.message).toMatch("Emergency mode ended");
	});

	it("starts on its own when two systems have FAILED, and (auto policy) ends once they are back for stableSeconds", () => {
		const restores = ["analytics", "moderation"].map((name) =>
			patchMethod(server, SYSTEM_MODULES[name][0], SYSTEM_MODULES[name][1], "status", () => error(`fault in ${name}`)),
		);
		waitForState(manager, "analytics", "FAILED", 10);
		Headless.seconds(2);
		expect(emergency.state()?.cause).toBe("failedSystems");
		expect(emergency.state()?.reason).toMatch("2 systems FAILED");
		for (const restore of restores) restore();
		Headless.seconds(EmergencyConfig.stableSeconds / 2);
		expect(emergency.isActive()).toBe(true);
		manager.restartSystem("analytics");
		manager.restartSystem("moderation");
		Headless.seconds(EmergencyConfig.stableSeconds - 5);
		expect(emergency.isActive()).toBe(true);
		Headless.seconds(7);
		expect(emergency.isActive()).toBe(false);
		expect(manager.getSystemStatus().overall).toBe("OPERATIONAL");
	});

	it("starts on its own at the emergency memory level; the manual policy keeps it on until an exit", () => {
		emergency.configure({ exit: "manual" });
		memoryEmergency();
		expect(emergency.state()?.reason).toBe("memory at the emergency level (1100 MB)");
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(EmergencyConfig.stableSeconds + MemoryConfig.sampleSeconds + 2);
		expect(manager.systems.memoryManager.currentLevel()).toBe("normal");
		expect(emergency.isActive()).toBe(true);
		expect(manager.exitEmergencyMode().success).toBe(true);
		emergency.configure({ exit: "auto" });
	});

	it("the auto policy ends a memory emergency once memory has been below the level for stableSeconds", () => {
		memoryEmergency();
		memoryRecovers();
	});

	it("an admin's exit holds while its automatic cause persists: that cause starts no new emergency until it has cleared once", () => {
		memoryEmergency();
		const exit = manager.exitEmergencyMode();
		expect(exit.success).toBe(true);
		expect(exit.message).toMatch("memory at the emergency level %(1100 MB%) still holds, and starts no new emergency until it has cleared");
		Headless.seconds(MemoryConfig.sampleSeconds * 2 + 5);
		expect(emergency.isActive()).toBe(false);
		// Once it has cleared, the same cause starts the next emergency.
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(MemoryConfig.sampleSeconds + 1);
		memoryEmergency();
		memoryRecovers();
	});

	it("an admin entering during an automatic emergency makes it theirs: it no longer ends on its own", () => {
		memoryEmergency();
		const state = manager.enterEmergencyMode("suspected dupe exploit");
		expect(state.cause).toBe("admin");
		expect(state.reason).toBe("suspected dupe exploit (during: memory at the emergency level (1100 MB))");
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(MemoryConfig.sampleSeconds + EmergencyConfig.stableSeconds + 2);
		expect(emergency.isActive()).toBe(true);
		expect(manager.exitEmergencyMode().success).toBe(true);
	});

	it("an admin's exit holds every automatic cause present then, each until it has cleared", () => {
		const restores = ["analytics", "moderation"].map((name) =>
			patchMethod(server, SYSTEM_MODULES[name][0], SYSTEM_MODULES[name][1], "status", () => error(`fault in ${name}`)),
		);
		waitForState(manager, "analytics", "FAILED", 10);
		Headless.setMemory({ server, totalMb: 1100 });
		Headless.seconds(MemoryConfig.sampleSeconds + 1);
		expect(emergency.state()?.cause).toBe("failedSystems");
		expect(manager.exitEmergencyMode().message).toMatch("memory at the emergency level %(1100 MB%) still hold");
		// The failed systems come back: memory, there at the exit, starts nothing either.
		for (const restore of restores) restore();
		manager.restartSystem("analytics");
		manager.restartSystem("moderation");
		Headless.seconds(MemoryConfig.sampleSeconds * 2 + 5);
		expect(manager.getSystemStatus().overall).never.toBe("FAILED");
		expect(emergency.isActive()).toBe(false);
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(MemoryConfig.sampleSeconds + 1);
	});

	it("a cause an admin's exit holds off does not keep another emergency from ending on its own", () => {
		memoryEmergency();
		expect(manager.exitEmergencyMode().success).toBe(true);
		const restores = ["analytics", "moderation"].map((name) =>
			patchMethod(server, SYSTEM_MODULES[name][0], SYSTEM_MODULES[name][1], "status", () => error(`fault in ${name}`)),
		);
		waitForState(manager, "analytics", "FAILED", 10);
		Headless.seconds(2);
		expect(emergency.state()?.cause).toBe("failedSystems");
		for (const restore of restores) restore();
		manager.restartSystem("analytics");
		manager.restartSystem("moderation");
		// Memory stays at the emergency level, held off: the failed systems' emergency still ends.
		Headless.seconds(EmergencyConfig.stableSeconds + 5);
		expect(emergency.isActive()).toBe(false);
		Headless.setMemory({ server, totalMb: 400 });
		Headless.seconds(MemoryConfig.sampleSeconds + 1);
	});
});
