import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type * as FollowedFleetModule from "client/admin-panel/followed-fleet";
import { FleetAnswer } from "shared/admin/admin-types";
import { FleetConfig } from "shared/config/admin-config";
import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, joinPlayer, placeChairs, slowBackupWrites, switchOffScheduledBackups } from "../data-backup/backup-world";
import { FULL_BACKUP_PROGRESS, joinAs, startAdminFleet, waitForFleetView } from "../admin/admin-world";
import { PanelSession } from "./panel-session";

describe("the admin panel when servers of a command sent to every server outlast the answer window", () => {
	const world = new World();
	afterAll(() => world.stop());
	const dataStore = Headless.newDataStore();
	const [caller, slow, slower] = startAdminFleet(world, dataStore, ["panel-caller", "panel-slow", "panel-slower"]);
	let me: PanelSession;

	beforeAll(() => {
		// The panel's live sections spend the rate limit too.
		caller.systems.admin.configureRateLimit(1000, 1000);
		for (const started of [caller, slow, slower]) switchOffScheduledBackups(backupSystemsOf(started.server).backups);
		me = new PanelSession(joinAs(world, caller.server, "owner").client);
		joinPlayer(world, slow.server, 7801);
		placeChairs(slow.server, 7801, 2);
		joinPlayer(world, slower.server, 7802);
		placeChairs(slower.server, 7802, 2);
		waitForFleetView(caller.server, 3);
	});

	it("keeps the table, merges each server's late row into it, and says done only once no row is under way", () => {
		const faults = [slowBackupWrites(slow.server, 8), slowBackupWrites(slower.server, 20)];
		me.toggle();
		me.pickerStep("Scope", "Next");
		expect(me.pickerValue("Scope")).toBe("every server");
		me.press("forcebackupFull");
		me.answer("Yes");
		const rows = me.resultOf("Full backup").split("\n");
		expect(rows[0]).toBe("Full backup — under way");
		for (const started of [slow, slower]) expect(rows).toContain(`  ${started.server.jobId}: underWay — ${FULL_BACKUP_PROGRESS}`);

		const first = `Full backup — under way\n/forcebackup full --all finished on server ${slow.server.jobId} after `;
		waitUntil(() => me.text("Result").sub(1, first.size()) === first, FleetConfig.followUpSeconds, "the slow server's outcome in the panel");
		let lines = me.text("Result").split("\n");
		expect(lines[2]).toMatch("^done — backup %d+_%d+ %(1 player%)$");
		expect(lines[3]).toBe("Every server (3):");
		// Every row stays: the caller's, the slow server's new one, and the slower one still under way.
		expect(lines.filter((line) => line.find(`  ${caller.server.jobId}: done — backup `, 1, true)[0] === 1).size()).toBe(1);
		expect(lines).toContain(`  ${slow.server.jobId}: ${lines[2]}`);
		expect(lines).toContain(`  ${slower.server.jobId}: underWay — ${FULL_BACKUP_PROGRESS}`);

		const last = `Full backup — done\n/forcebackup full --all finished on server ${slower.server.jobId} after `;
		waitUntil(() => me.text("Result").sub(1, last.size()) === last, FleetConfig.followUpSeconds, "the slower server's outcome in the panel");
		for (const fault of faults) fault.clear();
		lines = me.text("Result").split("\n");
		expect(lines.size()).toBe(7);
		expect(lines.filter((line) => line.match("^  %S+: done — backup %d+_%d+ %(1 player%)$")[0] !== undefined).size()).toBe(3);
	});

	it("follows a limited number of tables, dropping the oldest first", () => {
		const name = me.client.localPlayer()!.Name;
		const { FollowedFleet } = me.client.requirePath(`Players.${name}.PlayerScripts.TS.admin-panel.followed-fleet`) as typeof FollowedFleetModule;
		const followed = new FollowedFleet(2);
		const row = (jobId: string, status: FleetAnswer["status"]): FleetAnswer => ({ jobId, status, summary: status });
		expect(followed.follow("Done", { commandId: "done", servers: [row("a", "done")] })).toBe(false);
		for (const commandId of ["one", "two", "three"]) {
			expect(followed.follow(commandId, { commandId, servers: [row("a", "underWay"), row("b", "noAnswer")] })).toBe(true);
		}
		expect(followed.followed()).toEqual(["two", "three"]);
		expect(followed.merge("one", [row("a", "done")])).toBeUndefined();
		expect(followed.merge("two", [row("a", "failed")])).toEqual({
			label: "two",
			result: { commandId: "two", servers: [row("a", "failed"), row("b", "noAnswer")] },
			underWay: false,
		});
		expect(followed.followed()).toEqual(["three"]);
	});
});
