import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminRefusal, AdminReply, FleetCommandResult } from "shared/admin/admin-types";
import { AdminConfig, FleetConfig } from "shared/config/admin-config";
import { kickMessage, KickReason } from "shared/kick-reason";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, placeChairs } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { byJob, inBackground, joinAs, lastAuditOf, PEOPLE, startAdminFleet, waitForFleetView } from "./admin-world";

describe("admin commands on every server at once", () => {
	const world = new World();
	afterAll(() => world.stop());
	const dataStore = Headless.newDataStore();
	const [first, second, third] = startAdminFleet(world, dataStore, ["fleet-a", "fleet-b", "fleet-c"]);
	const sorted = [first.server.jobId, second.server.jobId, third.server.jobId];
	table.sort(sorted);

	let owner: ReturnType<typeof joinAs>;

	it("fleet lists every live server from the fleet view, which is also who --all expects to answer", () => {
		owner = joinAs(world, first.server, "owner");
		waitForFleetView(first.server, 3);
		const reply = owner.controller.fleet();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		const listed = reply.result.map((line) => line.jobId);
		table.sort(listed);
		expect(listed).toEqual(sorted);
		for (const line of reply.result) expect(line.overall).toBe("OPERATIONAL");
	});

	it("runs forcebackup --all on each server once and lists the one that crashed mid-command", () => {
		joinPlayer(world, second.server, 6601);
		joinPlayer(world, third.server, 6602);
		placeChairs(second.server, 6601, 2);
		placeChairs(third.server, 6602, 2);
		Headless.seconds(1);
		// The third server's DataStore answers slowly, so its backup is still running when it dies.
		third.server.dataStoreFaults().setLatency(3);
		const pending = inBackground(() => owner.controller.forceBackupEverywhere(true));
		Headless.seconds(1);
		Headless.crashServer(third.server);
		waitUntil(() => pending() !== undefined, FleetConfig.answerWindowSeconds + 2, "the per-server table");
		const reply = pending() as AdminReply<FleetCommandResult>;
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		const rows = byJob(reply.result.servers);
		expect(reply.result.servers.size()).toBe(3);
		expect(rows.get(first.server.jobId)!.status).toBe("done");
		expect(rows.get(second.server.jobId)!.status).toBe("done");
		expect(rows.get(second.server.jobId)!.summary).toMatch("backup");
		expect(rows.get(third.server.jobId)!.status).toBe("noAnswer");
		// Answers first, silent servers last.
		expect(reply.result.servers[2].jobId).toBe(third.server.jobId);
		// The caller's call is audited where it was made, the run on each server where it ran.
		expect(lastAuditOf(first.systems.audit, PEOPLE.owner.userId, "forcebackup")!.args).toBe("full --all");
		expect(lastAuditOf(second.systems.audit, PEOPLE.owner.userId, "forcebackup")!.args).toBe(`full --all (from ${first.server.jobId})`);
	});

	it("ignores a duplicate delivery of the same command", () => {
		const heard: string[] = [];
		const listener = joinAs(world, second.server, "none");
		listener.controller.announcementReceived.Connect((message) => heard.push(message));
		const owner = joinAs(world, first.server, "admin");
		const captured: defined[] = [];
		second.server.game.GetService("MessagingService").SubscribeAsync(FleetConfig.topic, (message) => {
			const data = (message as { Data: { kind: string } }).Data;
			if (data.kind === "command") captured.push(data as defined);
		});
		Headless.setFilteredWords(["noon"]);
		const reply = owner.controller.announceEverywhere("Restart at noon");
		Headless.setFilteredWords([]);
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		// The crashed server is still expected (its fleet view entry has not expired yet) and stays silent.
		expect(reply.result.servers.map((answer) => answer.status)).toEqual(["done", "done", "noAnswer"]);
		waitUntil(() => heard.size() === 1, 5, "the announcement");
		expect(captured.size()).toBe(1);
		first.server.game.GetService("MessagingService").PublishAsync(FleetConfig.topic, captured[0]);
		Headless.seconds(2);
		// Filtered once on the caller's server: every server shows the filtered text.
		expect(heard).toEqual(["Restart at ####"]);
	});

	it("expects the servers heard from recently when the fleet view cannot be read", () => {
		const faults = first.server.memoryStoreFaults();
		faults.filter((request) => request.operation === "GetRangeAsync");
		faults.failNext(1);
		const reply = owner.controller.announceEverywhere("Fleet view drill");
		faults.clear();
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		// The crashed server never answered anything, so it is not expected without the view.
		expect(reply.result.servers.map((answer) => [answer.jobId, answer.status])).toEqual(
			[first.server.jobId, second.server.jobId].sort().map((jobId) => [jobId, "done"]),
		);
		expect(first.server.output().some((line) => line.match("^warn: FleetCommandService: the fleet view could not be read")[0] !== undefined)).toBe(true);
	});

	it("refuses --all for a role below the command's minimum without sending anything", () => {
		const moderator = joinAs(world, second.server, "moderator");
		const reply = moderator.controller.forceBackupEverywhere();
		expect(reply).toMatchObject({ ok: false, refusal: AdminRefusal.NotAllowed });
		// Refused and audited where it was called; no other server ever ran it.
		expect(lastAuditOf(second.systems.audit, PEOPLE.moderator.userId, "forcebackup")).toMatchObject({ allowed: false, result: AdminRefusal.NotAllowed });
		Headless.seconds(2);
		expect(lastAuditOf(first.systems.audit, PEOPLE.moderator.userId, "forcebackup")).toBeUndefined();
	});

	it("emergency on --all pauses building on every live server, and off --all restores it", () => {
		const on = owner.controller.emergencyEverywhere(true, "drill");
		expect(on.ok).toBe(true);
		if (!on.ok) return;
		const answered = on.result.servers.filter((answer) => answer.status !== "noAnswer");
		// Each server says its emergency is on and what its emergency backup did.
		expect(answered.size()).toBe(2);
		for (const answer of answered) expect(answer.summary).toMatch("^emergency mode on, emergency backup %d+_%d+ stored$");
		for (const live of [first, second]) expect(systemsOf(live.server).systems.getSystemStatus().overall).toBe("EMERGENCY");
		const off = owner.controller.emergencyEverywhere(false);
		expect(off.ok).toBe(true);
		if (!off.ok) return;
		expect(off.result.servers.filter((answer) => answer.status === "done").map((answer) => answer.summary)).toEqual([
			"emergency mode off",
			"emergency mode off",
		]);
		for (const live of [first, second]) expect(systemsOf(live.server).systems.getSystemStatus().overall).toBe("OPERATIONAL");
	});

	it("maintenance --all backs up and removes the players of every server, after the caller has the table", () => {
		const elsewhere = joinPlayer(world, second.server, 6603);
		const reply = owner.controller.maintenanceEverywhere("Back at 12:30 UTC");
		expect(reply.ok).toBe(true);
		if (!reply.ok) return;
		const answered = reply.result.servers.filter((answer) => answer.status === "done");
		expect(answered.size()).toBe(2);
		for (const answer of answered) expect(answer.summary).toMatch("^backup ok");
		expect(owner.client.isAlive()).toBe(true);
		Headless.seconds(AdminConfig.maintenanceKickDelay + FleetConfig.answerWindowSeconds + 1);
		expect(elsewhere.kickReason()).toBe(`${kickMessage(KickReason.Maintenance)} Back at 12:30 UTC`);
		expect(owner.client.kickReason()).toBe(`${kickMessage(KickReason.Maintenance)} Back at 12:30 UTC`);
	});
});
