import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminCommandOutcome, FleetAnswer } from "shared/admin/admin-types";
import { FleetConfig } from "shared/config/admin-config";
import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, backupWrites, joinPlayer, placeChairs, switchOffScheduledBackups } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { chatOf, joinAs, lastAuditOf, outcomesOf, PEOPLE, say, startAdminServer } from "./admin-world";

/** Seconds each backup write takes on the slow server: its run outlasts the answer window. */
const SLOW_WRITE = 8;

/** The row of the one server a late outcome is from. */
function lateRowOf(outcome: AdminCommandOutcome): FleetAnswer | undefined {
	const response = outcome.response;
	return response.ok && response.name === "fleetCommand" ? response.result.servers[0] : undefined;
}

const FULL_BACKUP_PROGRESS = "The full backup is still being stored (it waits for any backup already running, then for the DataStore).";

describe("a command sent to every server whose run outlasts the answer window on one of them", () => {
	const world = new World();
	afterAll(() => world.stop());
	const dataStore = Headless.newDataStore();
	const caller = startAdminServer(world, { dataStore, name: "fleet-caller" });
	const slow = startAdminServer(world, { dataStore, name: "fleet-slow" });
	const deaf = startAdminServer(world, { dataStore, name: "fleet-deaf" });
	let owner: ReturnType<typeof joinAs>;
	let colleague: ReturnType<typeof joinAs>;

	/** The rows of a per-server table by job id. */
	function byJob(servers: readonly FleetAnswer[]) {
		return new Map(servers.map((answer) => [answer.jobId, answer]));
	}

	/** The slow server's backup writes wait `SLOW_WRITE` seconds each from now on. */
	function slowBackups() {
		const faults = slow.server.dataStoreFaults();
		faults.filter(backupWrites());
		faults.setLatency(SLOW_WRITE);
		return faults;
	}

	beforeAll(() => {
		caller.systems.admin.configureRateLimit(1000, 1000);
		// Only the commands' backups write here, so nothing else holds the slow server's backup up.
		for (const started of [caller, slow, deaf]) switchOffScheduledBackups(backupSystemsOf(started.server).backups);
		owner = joinAs(world, caller.server, "owner");
		colleague = joinAs(world, caller.server, "admin");
		joinPlayer(world, slow.server, 7701);
		placeChairs(slow.server, 7701, 2);
		const manager = systemsOf(caller.server).systems;
		waitUntil(() => manager.getFleetStatus().size() === 3, 15, "every server in the fleet view");
		// In the fleet view, so expected to answer, but it never hears the command.
		deaf.server.setDropsMessages(true);
	});

	it("lists the slow server under way with what it is doing, then shows the admin its outcome in chat", () => {
		const faults = slowBackups();
		const outcomes = outcomesOf(owner.controller);
		const chat = chatOf(owner.client);
		say(owner.client, "/backup full --all");
		waitUntil(() => chat.size() === 1, FleetConfig.answerWindowSeconds + 2, "the per-server table in chat");
		const lines = chat[0].split("\n");
		expect(lines[0]).toBe("Every server (3):");
		// Answers first (sorted by job id), the silent server last, then what follows.
		const rows = new Map(lines.filter((line) => line.sub(1, 2) === "  ").map((line) => [line.match("^  (%S+):")[0] as string, line]));
		expect(rows.get(caller.server.jobId)!.find(`  ${caller.server.jobId}: done — backup `, 1, true)[0]).toBe(1);
		expect(rows.get(slow.server.jobId)).toBe(`  ${slow.server.jobId}: underWay — ${FULL_BACKUP_PROGRESS}`);
		expect(lines[3]).toBe(`  ${deaf.server.jobId}: noAnswer — did not answer in time`);
		expect(lines[4]).toBe("Servers under way send their outcome to the admin who ran the command when they are done.");
		expect(outcomes.size()).toBe(0);

		waitUntil(() => outcomes.size() > 0, FleetConfig.followUpSeconds, "the slow server's outcome");
		faults.clear();
		const outcome = outcomes[0];
		expect(outcome).toMatchObject({
			command: "forcebackup",
			args: "full --all",
			server: slow.server.jobId,
			response: { ok: true, name: "fleetCommand", result: { servers: [{ jobId: slow.server.jobId, status: "done" }] } },
		});
		expect(outcome.seconds).toBeGreaterThan(FleetConfig.answerWindowSeconds);
		const summary = lateRowOf(outcome)!.summary;
		expect(summary).toMatch("^backup %d+_%d+ %(1 players%)$");
		// The slow server audited the same outcome where it ran.
		expect(lastAuditOf(slow.systems.audit, PEOPLE.owner.userId, "forcebackup")!.result).toBe(`ok: ${summary}`);
		waitUntil(() => chat.size() === 2, 2, "the outcome in chat");
		expect(chat[1]).toBe(`/forcebackup full --all finished on server ${slow.server.jobId} after ${outcome.seconds} s:\ndone — ${summary}`);
		// The server that never heard the command sends nothing: its row stays noAnswer.
		Headless.seconds(10);
		expect(outcomes.size()).toBe(1);
		expect(chat.size()).toBe(2);
	});

	it("says what emergency on has done so far on the slow server, and sends its backup to the admin who ran it alone", () => {
		const faults = slowBackups();
		const mine = outcomesOf(owner.controller);
		const theirs = outcomesOf(colleague.controller);
		const reply = owner.controller.emergencyEverywhere(true, "drill");
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		const rows = byJob(reply.result.servers);
		expect(rows.get(caller.server.jobId)!.summary).toMatch("^emergency mode on, emergency backup %d+_%d+$");
		expect(rows.get(slow.server.jobId)).toEqual({
			jobId: slow.server.jobId,
			status: "underWay",
			summary: "Emergency mode is on (drill): building is paused. The emergency backup is still being stored.",
		});
		expect(rows.get(deaf.server.jobId)!.status).toBe("noAnswer");

		waitUntil(() => mine.size() > 0, FleetConfig.followUpSeconds, "the slow server's emergency backup");
		faults.clear();
		expect(mine[0]).toMatchObject({
			command: "emergency",
			args: "on drill --all",
			server: slow.server.jobId,
			response: { result: { commandId: reply.result.commandId, servers: [{ jobId: slow.server.jobId, status: "done" }] } },
		});
		expect(lateRowOf(mine[0])!.summary).toMatch("^emergency mode on, emergency backup %d+_%d+$");
		Headless.seconds(2);
		expect(theirs).toEqual([]);
		for (const server of [caller.server, slow.server]) expect(systemsOf(server).systems.exitEmergencyMode().success).toBe(true);
	});

	it("sends nothing once the admin who ran it has left", () => {
		const faults = slowBackups();
		const errors = caller.server.threadErrorCount();
		const theirs = outcomesOf(colleague.controller);
		const runs = () => slow.systems.audit.recent(500).filter((entry) => entry.userId === PEOPLE.owner.userId && entry.command === "forcebackup").size();
		const before = runs();
		const reply = owner.controller.forceBackupEverywhere(true);
		expect(reply.ok && byJob(reply.result.servers).get(slow.server.jobId)!.status).toBe("underWay");
		owner.client.disconnect();
		waitUntil(() => runs() > before, FleetConfig.followUpSeconds, "the slow server's backup");
		faults.clear();
		Headless.seconds(2);
		expect(theirs).toEqual([]);
		expect(caller.server.threadErrorCount()).toBe(errors);
	});
});
