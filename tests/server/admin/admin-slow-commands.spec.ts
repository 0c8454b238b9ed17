import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { DataBackupService } from "server/data-backup/data-backup-service";
import type { AlertService } from "server/operations/alert-service";
import type { SystemManager } from "server/system-manager/system-manager";
import { AdminRefusal } from "shared/admin/admin-types";
import { AdminConfig } from "shared/config/admin-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { backupSystemsOf, slowBackupWrites, switchOffScheduledBackups } from "../data-backup/backup-world";
import { joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder } from "../operations/operations-world";
import { AdminSystems, auditOf, chatOf, inBackground, joinAs, outcomesOf, PEOPLE, startAdminServer, ticketOf } from "./admin-world";

const ROOT = "ServerScriptService.TS";
/** Flamework's default wait for a client's call (the project keeps it). */
const CLIENT_TIMEOUT = 30;
/** Seconds each backup write takes: every backup here outlasts the client's wait. */
const SLOW_WRITE = 20;


describe("admin commands whose work outlasts the client's wait, with the DataStore slow", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: AdminSystems;
	let manager: SystemManager;
	let backups: DataBackupService;
	let alerts: AlertService;
	let owner: ReturnType<typeof joinAs>;
	let admin: ReturnType<typeof joinAs>;
	let builder: GridBuilder;

	beforeAll(() => {
		({ server, systems } = startAdminServer(world));
		systems.admin.configureRateLimit(1000, 1000);
		manager = systemsOf(server).systems;
		backups = backupSystemsOf(server).backups;
		alerts = singletonOf(server, `${ROOT}.operations.alert-service`, "AlertService");
		// Only the commands' backups write to the backup store here.
		switchOffScheduledBackups(backups);
		owner = joinAs(world, server, "owner");
		admin = joinAs(world, server, "admin");
		builder = new GridBuilder(joinBuilder(world, server, 4601, "Builder").controller);
		expect(builder.placeOne().success).toBe(true);
	});
	afterAll(() => world.stop());

	it("emergency on is answered in time that emergency mode is on and its backup is being stored; the backup's outcome follows", () => {
		const faults = slowBackupWrites(server, SLOW_WRITE);
		const outcomes = outcomesOf(owner.controller);
		const chat = chatOf(owner.client);
		const alertMark = alerts.recent().pop()?.sequence ?? 0;
		const started = Headless.now();
		const answer = inBackground(() => owner.controller.emergency(true, "database incident"));
		waitUntil(() => answer() !== undefined, AdminConfig.underWayAfterSeconds + 2, "the owner's answer");
		expect(Headless.now() - started).toBeLessThan(CLIENT_TIMEOUT / 2);
		expect(answer()).toMatchObject({
			ok: false,
			underWay: {
				command: "emergency",
				args: "on database incident",
				joined: false,
				startedBy: PEOPLE.owner.name,
				progress: "Emergency mode is on (database incident): building is paused. The emergency backup is still being stored.",
			},
		});
		// It took effect: building is paused while the backup is stored.
		expect(builder.placeOne()).toMatchObject({ success: false, reason: RejectionReason.EmergencyMode });
		// The call is audited once, with its outcome, when it is done.
		expect(auditOf(systems.audit, PEOPLE.owner.userId, "emergency").size()).toBe(0);

		// The owner asks again meanwhile: answered with the same command's progress; nothing runs twice.
		const again = owner.controller.emergency(true, "database incident, second try");
		expect(again).toMatchObject({ ok: false, underWay: { joined: true, startedBy: PEOPLE.owner.name } });

		waitUntil(() => outcomes.size() > 0, 120, "the emergency backup's outcome");
		faults.clear();
		const outcome = outcomes[0];
		expect(outcome).toMatchObject({
			command: "emergency",
			args: "on database incident",
			response: { ok: true, name: "emergency", result: { active: true, reason: "database incident", backup: { success: true } } },
		});
		expect(outcome.seconds).toBeGreaterThanOrEqual(CLIENT_TIMEOUT);
		const first = answer()!;
		expect(outcome.ticket).toBe(ticketOf(first));
		const backupId = (outcome.response as { result: { backup: { id: string } } }).result.backup.id;
		expect(backupId).toMatch("^%d+_%d+$");
		expect(chat.some((line) => line === `/emergency on database incident finished after ${outcome.seconds} s:\nEmergency mode ON: database incident\nemergency backup ${backupId} stored`)).toBe(true);
		Headless.seconds(5);
		expect(outcomes.size()).toBe(1);
		const entered = alerts.recent().filter((alert) => alert.sequence > alertMark && alert.message.sub(1, 15) === "Emergency mode:");
		expect(entered.size()).toBe(1);
		const audited = auditOf(systems.audit, PEOPLE.owner.userId, "emergency");
		expect(audited.map((entry) => entry.allowed)).toEqual([true, true]);
		expect(audited[0].result).toBe(`joined: the same command by ${PEOPLE.owner.name} was under way, not run again`);
		expect(audited[1].args).toBe("on database incident");
		expect(audited[1].result).toMatch(`^ok %(answered under way, done after %d+ s%): emergency mode on, emergency backup ${backupId} stored$`);
		expect(manager.exitEmergencyMode().success).toBe(true);
	});

	it("emergency on with the DataStore failing too: the owner is told the backup failed once it gives up", () => {
		const faults = slowBackupWrites(server, 10);
		faults.failNext(1000);
		const outcomes = outcomesOf(owner.controller);
		const answer = inBackground(() => owner.controller.emergency(true, "disk incident"));
		waitUntil(() => answer() !== undefined, AdminConfig.underWayAfterSeconds + 2, "the owner's answer");
		expect(answer()).toMatchObject({ ok: false, underWay: { progress: "Emergency mode is on (disk incident): building is paused. The emergency backup is still being stored." } });
		waitUntil(() => outcomes.size() > 0, 300, "the emergency backup's outcome");
		faults.clear();
		expect(outcomes[0].response).toMatchObject({ ok: true, name: "emergency", result: { active: true, backup: { success: false } } });
		const audited = auditOf(systems.audit, PEOPLE.owner.userId, "emergency");
		expect(audited[audited.size() - 1].result).toMatch("^ok %(answered under way, done after %d+ s%): emergency mode on, emergency backup FAILED: ");
		expect(manager.exitEmergencyMode().success).toBe(true);
	});

	it("forcebackup full is answered in time, then with its backup; a repeat joins it and an incremental meanwhile is turned away", () => {
		const faults = slowBackupWrites(server, SLOW_WRITE);
		const outcomes = outcomesOf(admin.controller);
		const taken = backups.status().backupsTaken;
		const answer = inBackground(() => admin.controller.forceBackup(true));
		waitUntil(() => answer() !== undefined, AdminConfig.underWayAfterSeconds + 2, "the admin's answer");
		expect(answer()).toMatchObject({
			ok: false,
			underWay: { command: "forcebackup", args: "full", joined: false, progress: "The full backup is still being stored (it waits for any backup already running, then for the DataStore)." },
		});
		expect(admin.controller.forceBackup(true)).toMatchObject({ ok: false, underWay: { joined: true } });
		const incremental = admin.controller.forceBackup(false);
		expect(incremental).toMatchObject({ ok: false, refusal: AdminRefusal.Busy });
		expect(incremental.ok === false ? incremental.message : "").toMatch("^forcebackup full %(started by Admin %d+ s ago%) is still under way; try again once it has finished$");

		waitUntil(() => outcomes.size() > 0, 120, "the backup's outcome");
		faults.clear();
		expect(outcomes[0]).toMatchObject({ command: "forcebackup", args: "full", response: { ok: true, name: "forcebackup", result: { kind: "full" } } });
		const backupId = (outcomes[0].response as { result: { backupId?: string } }).result.backupId;
		expect(backupId).toMatch("^%d+_%d+$");
		Headless.seconds(5);
		expect(outcomes.size()).toBe(1);
		expect(backups.status().backupsTaken).toBe(taken + 1);
		const audited = auditOf(systems.audit, PEOPLE.admin.userId, "forcebackup").map((entry) => entry.result);
		expect(audited.size()).toBe(3);
		expect(audited[0]).toMatch("^joined: ");
		expect(audited[1]).toMatch("^Busy: forcebackup full %(started by Admin");
		expect(audited[2]).toMatch(`^ok %(answered under way, done after %d+ s%): backup ${backupId} `);
		// With the DataStore quick again, a backup is answered directly, as before.
		expect(admin.controller.forceBackup(false).ok).toBe(true);
	});
});
