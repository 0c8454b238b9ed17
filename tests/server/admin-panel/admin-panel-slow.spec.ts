import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminConfig } from "shared/config/admin-config";
import { waitUntil, World } from "../../harness/world";
import { slowBackupWrites } from "../data-backup/backup-world";
import { AdminSystems, lastAuditOf } from "../admin/admin-world";
import { systemsOf } from "../placement/placement-world";
import { PanelSession, startStudioOwnerPanel } from "./panel-session";

const DEVELOPER = 31339;

describe("the admin panel when a command outlasts the client's wait", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: AdminSystems;
	let me: PanelSession;
	afterAll(() => world.stop());

	beforeAll(() => {
		({ server, systems, me } = startStudioOwnerPanel(world, DEVELOPER, "Developer", true));
	});

	it("shows emergency on as under way (building paused, backup being stored), then its backup once stored", () => {
		// A Studio server's stores carry a suffix (see DataStoreNames).
		const faults = slowBackupWrites(server, 20, "-Studio");
		me.toggle();
		me.press("emergencyOn");
		me.answer("Yes");
		waitUntil(() => me.text("Result").find("Emergency on — under way", 1, true)[0] === 1, AdminConfig.underWayAfterSeconds + 3, "the under-way answer");
		expect(me.text("Result")).toBe(
			`Emergency on — under way\nStill under way after ${AdminConfig.underWayAfterSeconds} s: Emergency mode is on (entered by an admin): building is paused. The emergency backup is still being stored. Its outcome is sent to you when it is done.`,
		);
		expect(systemsOf(server).systems.getSystemStatus().overall).toBe("EMERGENCY");
		// The buttons work meanwhile: the status refreshes and shows the emergency.
		me.press("systemstatus");
		expect(me.resultOf("Status")).toMatch("emergencyMode: EMERGENCY");

		waitUntil(() => me.text("Result").find("Emergency on — done", 1, true)[0] === 1, 120, "the emergency's outcome");
		faults.clear();
		expect(me.text("Result")).toMatch("^Emergency on — done\n/emergency on finished after %d+ s:\nEmergency mode ON: entered by an admin\nemergency backup %d+_%d+ stored$");
		const backupId = me.text("Result").match("emergency backup (%d+_%d+) stored")[0] as string;
		// The backup it stored is offered to recover from.
		me.pickerStep("Backup", "Next");
		expect(me.pickerValue("Backup")).toBe(backupId);
		const entry = lastAuditOf(systems.audit, DEVELOPER, "emergency");
		expect(entry?.result).toMatch(`^ok %(answered under way, done after %d+ s%): emergency mode on, emergency backup ${backupId} stored$`);

		me.press("emergencyOff");
		me.answer("Yes");
		expect(me.resultOf("Emergency off")).toBe("Emergency off — done\nEmergency mode off");
	});
});
