import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminCommandOutcome, FleetAnswer } from "shared/admin/admin-types";
import { AdminConfig, FleetConfig } from "shared/config/admin-config";
import { FleetConfig as FleetViewConfig } from "shared/config/operations-config";
import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, joinPlayer, placeChairs, slowBackupWrites, switchOffScheduledBackups } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { auditOf, byJob, chatOf, FULL_BACKUP_PROGRESS, inBackground, joinAs, lastAuditOf, outcomesOf, PEOPLE, say, startAdminFleet, waitForFleetView } from "./admin-world";

/** Seconds each backup write takes on the slow server: its run outlasts the answer window. */
const SLOW_WRITE = 8;

/** The row of the one server a late outcome is from. */
function lateRowOf(outcome: AdminCommandOutcome): FleetAnswer | undefined {
	const response = outcome.response;
	return response.ok && response.name === "fleetCommand" ? response.result.servers[0] : undefined;
}

describe("a command sent to every server whose run outlasts the answer window on one of them", () => {
	const world = new World();
	afterAll(() => world.stop());
	const dataStore = Headless.newDataStore();
	const [caller, slow, deaf] = startAdminFleet(world, dataStore, ["fleet-caller", "fleet-slow", "fleet-deaf"]);
	let owner: ReturnType<typeof joinAs>;
	let colleague: ReturnType<typeof joinAs>;

	/** The slow server's backup writes wait `SLOW_WRITE` seconds each from now on. */
	function slowBackups() {
		return slowBackupWrites(slow.server, SLOW_WRITE);
	}

	beforeAll(() => {
		caller.systems.admin.configureRateLimit(1000, 1000);
		// Only the commands' backups write here, so nothing else holds the slow server's backup up.
		for (const started of [caller, slow, deaf]) switchOffScheduledBackups(backupSystemsOf(started.server).backups);
		owner = joinAs(world, caller.server, "owner");
		colleague = joinAs(world, caller.server, "admin");
		joinPlayer(world, slow.server, 7701);
		placeChairs(slow.server, 7701, 2);
		waitForFleetView(caller.server, 3);
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
		expect(lines[4]).toBe(
			`Each server under way sends you its outcome when it is done, or is listed as not answering after ${FleetConfig.followUpSeconds} s; nothing follows if this server shuts down first.`,
		);
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
		expect(summary).toMatch("^backup %d+_%d+ %(1 player%)$");
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
		expect(rows.get(caller.server.jobId)!.summary).toMatch("^emergency mode on, emergency backup %d+_%d+ stored$");
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
		expect(lateRowOf(mine[0])!.summary).toMatch("^emergency mode on, emergency backup %d+_%d+ stored$");
		Headless.seconds(2);
		expect(theirs).toEqual([]);
		for (const server of [caller.server, slow.server]) expect(systemsOf(server).systems.exitEmergencyMode().success).toBe(true);
	});

	it("sends each server's late row to every admin who joined the command while it ran, too", () => {
		const faults = slowBackups();
		const mine = outcomesOf(owner.controller);
		const theirs = outcomesOf(colleague.controller);
		const first = inBackground(() => owner.controller.forceBackupEverywhere(true));
		Headless.seconds(1);
		// The same command while the owner's runs: the colleague joins it and gets the owner's table.
		const joined = colleague.controller.forceBackupEverywhere(true);
		waitUntil(() => first() !== undefined, 5, "the owner's table");
		expect(lastAuditOf(caller.systems.audit, PEOPLE.admin.userId, "forcebackup")!.result.find("joined:", 1, true)[0]).toBe(1);
		expect(joined).toEqual(first());
		expect(joined.ok && byJob(joined.result.servers).get(slow.server.jobId)!.status).toBe("underWay");

		waitUntil(() => mine.size() > 0 && theirs.size() > 0, FleetConfig.followUpSeconds, "the slow server's row, to both admins");
		faults.clear();
		expect(theirs).toEqual(mine);
		expect(theirs[0]).toMatchObject({ server: slow.server.jobId, response: { result: { servers: [{ jobId: slow.server.jobId, status: "done" }] } } });
	});

	it("drops malformed answers on the fleet topic: nothing throws, and the table holds only what servers answered", () => {
		const errors = caller.server.threadErrorCount();
		const messaging = caller.server.game.GetService("MessagingService");
		const commandIds: string[] = [];
		messaging.SubscribeAsync(FleetConfig.topic, (message) => {
			const data = (message as { Data: { kind: string; id: string } }).Data;
			if (data.kind === "command") commandIds.push(data.id);
		});
		const answer = inBackground(() => owner.controller.announceEverywhere("Malformed drill"));
		waitUntil(() => commandIds.size() === 1, 3, "the command on the topic");
		const id = commandIds[0];
		// As another version (or a broken one) might send them, for the deaf server's row.
		for (const message of [
			{ kind: "answer", id, ok: true, summary: "no job id" },
			{ kind: "underWay", id, jobId: deaf.server.jobId, summary: { text: "working" } },
			{ kind: "answer", id, jobId: deaf.server.jobId, ok: "yes", summary: 42 },
		]) {
			messaging.PublishAsync(FleetConfig.topic, message);
		}
		waitUntil(() => answer() !== undefined, FleetConfig.answerWindowSeconds + 2, "the per-server table");
		const reply = answer()!;
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		expect(byJob(reply.result.servers).get(deaf.server.jobId)).toEqual({ jobId: deaf.server.jobId, status: "noAnswer", summary: "did not answer in time" });
		for (const row of reply.result.servers) expect(typeIs(row.summary, "string")).toBe(true);
		expect(caller.server.threadErrorCount()).toBe(errors);
	});

	it("a late answer for an admin who has left costs the caller's server no error, and an admin who did not join the command gets nothing", () => {
		const faults = slowBackups();
		const errors = caller.server.threadErrorCount();
		const theirs = outcomesOf(colleague.controller);
		const runs = () => auditOf(slow.systems.audit, PEOPLE.owner.userId, "forcebackup").size();
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

	it("answers the admin that the command went to every server when listing the servers outlasts the under-way wait, then sends the table", () => {
		// Reading the fleet view alone takes as long as the caller's server waits before answering under way.
		const faults = caller.server.memoryStoreFaults();
		faults.filter((request) => request.operation === "GetRangeAsync" && request.name === FleetViewConfig.mapName);
		faults.setLatency(AdminConfig.underWayAfterSeconds);
		const mine = outcomesOf(colleague.controller);
		const reply = colleague.controller.announceEverywhere("Slow listing drill");
		faults.clear();
		expect(reply).toMatchObject({
			ok: false,
			underWay: { command: "announce", progress: "It was sent to every server; their answers are still being collected.", joined: false },
		});
		expect(mine.size()).toBe(0);

		waitUntil(() => mine.size() > 0, FleetConfig.answerWindowSeconds + 2, "the table once the answer window closed");
		const outcome = mine[0];
		expect(outcome).toMatchObject({ command: "announce", response: { ok: true, name: "fleetCommand" } });
		expect(outcome.seconds).toBeGreaterThan(AdminConfig.underWayAfterSeconds + FleetConfig.answerWindowSeconds - 1);
		const response = outcome.response;
		assert(response.ok && response.name === "fleetCommand", "the outcome is the per-server table");
		const rows = byJob(response.result.servers);
		expect(rows.get(caller.server.jobId)!.status).toBe("done");
		expect(rows.get(slow.server.jobId)!.status).toBe("done");
		expect(rows.get(deaf.server.jobId)!.status).toBe("noAnswer");
		expect(lastAuditOf(caller.systems.audit, PEOPLE.admin.userId, "announce")!.result).toMatch("answered under way");
	});

	it("ends a row under way as noAnswer when that server gives no final answer within the follow-up time (it crashed)", () => {
		slowBackups();
		const theirs = outcomesOf(colleague.controller);
		const chat = chatOf(colleague.client);
		const reply = colleague.controller.forceBackupEverywhere(true);
		expect(reply.ok && byJob(reply.result.servers).get(slow.server.jobId)!.status).toBe("underWay");
		if (!reply.ok) return;
		Headless.crashServer(slow.server);
		Headless.skipTime(FleetConfig.followUpSeconds + 1);
		waitUntil(() => theirs.size() > 0, 5, "the slow server's row");
		const summary = `no final answer within ${FleetConfig.followUpSeconds} s`;
		expect(theirs[0]).toMatchObject({
			command: "forcebackup",
			args: "full --all",
			server: slow.server.jobId,
			response: { ok: true, name: "fleetCommand", result: { commandId: reply.result.commandId, servers: [{ jobId: slow.server.jobId, status: "noAnswer", summary }] } },
		});
		waitUntil(() => chat.size() > 0, 2, "the row in chat");
		expect(chat[0]).toBe(`/forcebackup full --all on server ${slow.server.jobId}, still no outcome after ${theirs[0].seconds} s:\nnoAnswer — ${summary}`);
		Headless.seconds(2);
		expect(theirs.size()).toBe(1);
	});
});
