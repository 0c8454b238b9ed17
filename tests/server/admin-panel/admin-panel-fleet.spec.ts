import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { FleetConfig } from "shared/config/admin-config";
import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, backupWrites, joinPlayer, placeChairs, switchOffScheduledBackups } from "../data-backup/backup-world";
import { joinAs, startAdminServer } from "../admin/admin-world";
import { systemsOf } from "../placement/placement-world";
import { PanelSession } from "./panel-session";

describe("the admin panel when one server of a command sent to every server outlasts the answer window", () => {
	const world = new World();
	afterAll(() => world.stop());
	const dataStore = Headless.newDataStore();
	const caller = startAdminServer(world, { dataStore, name: "panel-caller" });
	const slow = startAdminServer(world, { dataStore, name: "panel-slow" });
	let me: PanelSession;

	beforeAll(() => {
		// The panel's live sections spend the rate limit too.
		caller.systems.admin.configureRateLimit(1000, 1000);
		for (const started of [caller, slow]) switchOffScheduledBackups(backupSystemsOf(started.server).backups);
		me = new PanelSession(joinAs(world, caller.server, "owner").client);
		joinPlayer(world, slow.server, 7801);
		placeChairs(slow.server, 7801, 2);
		const manager = systemsOf(caller.server).systems;
		waitUntil(() => manager.getFleetStatus().size() === 2, 15, "both servers in the fleet view");
	});

	it("shows the table with the slow server under way, then that server's backup under the button's label", () => {
		const faults = slow.server.dataStoreFaults();
		faults.filter(backupWrites());
		faults.setLatency(8);
		me.toggle();
		me.pickerStep("Scope", "Next");
		expect(me.pickerValue("Scope")).toBe("every server");
		me.press("forcebackupFull");
		me.answer("Yes");
		const rows = me.resultOf("Full backup").split("\n");
		expect(rows[0]).toBe("Full backup — under way");
		expect(rows).toContain(
			`  ${slow.server.jobId}: underWay — The full backup is still being stored (it waits for any backup already running, then for the DataStore).`,
		);

		const finished = `Full backup — done\n/forcebackup full --all finished on server ${slow.server.jobId} after `;
		const shown = () => me.text("Result").sub(1, finished.size()) === finished;
		waitUntil(shown, FleetConfig.followUpSeconds, "the slow server's outcome in the panel");
		faults.clear();
		expect(me.text("Result").sub(finished.size() + 1)).toMatch("^%d+ s:\ndone — backup %d+_%d+ %(1 players%)$");
	});
});
