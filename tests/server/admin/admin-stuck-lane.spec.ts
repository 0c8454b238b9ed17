import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { Workspace } from "@rbxts/services";
import { AdminRefusal } from "shared/admin/admin-types";
import { AdminConfig } from "shared/config/admin-config";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { joinBuilder } from "../placement/placement-world";
import { AdminSystems, auditOf, chatOf, inBackground, joinAs, outcomesOf, PEOPLE, startAdminServer, ticketOf } from "./admin-world";

const BUILDER = 4602;
const LIMIT = AdminConfig.laneStuckAfterSeconds;
/** Seconds a hung request waits: past the end of any spec here. */
const FOREVER = 10_000_000;

describe("an admin command whose work never returns (a rollback's profile read hangs)", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: AdminSystems;
	let owner: ReturnType<typeof joinAs>;
	let admin: ReturnType<typeof joinAs>;
	/** Profile version reads still to slow down (the rollback's read of the profile's history). */
	let slowReads = 0;

	beforeAll(() => {
		({ server, systems } = startAdminServer(world));
		systems.admin.configureRateLimit(1000, 1000);
		owner = joinAs(world, server, "owner");
		admin = joinAs(world, server, "admin");
		joinBuilder(world, server, BUILDER, "Builder");
		server.dataStoreFaults().filter((request) => {
			if (request.name !== DataStoreNames.playerData || request.operation !== "ListVersionsAsync" || slowReads === 0) return false;
			slowReads -= 1;
			return true;
		});
	});
	afterAll(() => world.stop());

	it("stops holding its lane after laneStuckAfterSeconds: whoever follows it is told it gave no outcome, and a recovery runs", () => {
		slowReads = 1;
		server.dataStoreFaults().setLatency(FOREVER);
		const errors = server.threadErrorCount();
		const outcomes = outcomesOf(admin.controller);
		const ownerOutcomes = outcomesOf(owner.controller);
		const chat = chatOf(admin.client);
		const unixTime = math.floor(Workspace.GetServerTimeNow()) - 10;
		const answer = inBackground(() => admin.controller.rollback(BUILDER, unixTime));
		waitUntil(() => answer() !== undefined, AdminConfig.underWayAfterSeconds + 2, "the admin's answer");
		expect(answer()).toMatchObject({ ok: false, underWay: { command: "rollback", joined: false } });
		expect(owner.controller.rollback(BUILDER, unixTime)).toMatchObject({ ok: false, underWay: { joined: true } });
		expect(admin.controller.recover("LATEST", BUILDER)).toMatchObject({ ok: false, refusal: AdminRefusal.Busy });

		// Not before its time.
		Headless.skipTime(LIMIT - 30);
		expect(outcomes.size()).toBe(0);
		expect(admin.controller.recover("LATEST", BUILDER)).toMatchObject({ ok: false, refusal: AdminRefusal.Busy });

		waitUntil(() => outcomes.size() > 0 && ownerOutcomes.size() > 0, 40, "the rollback's outcome");
		const args = `${BUILDER} ${unixTime}`;
		const message = `no outcome within ${LIMIT} s; other commands like it may run again, and it may still complete (its result will be in audit)`;
		expect(outcomes[0]).toMatchObject({ ticket: ticketOf(answer()), command: "rollback", args, seconds: LIMIT, response: { ok: false, refusal: AdminRefusal.NoAnswer, message } });
		expect(ownerOutcomes[0]).toEqual(outcomes[0]);
		waitUntil(() => chat.size() > 0, 2, "the outcome in chat");
		expect(chat[0]).toBe(`/rollback ${args}: ${message}`);

		// The lane takes new commands: the recovery runs and answers.
		expect(admin.controller.recover("LATEST", BUILDER)).toMatchObject({ ok: true });
		const audited = auditOf(systems.audit, PEOPLE.admin.userId, "rollback").map((entry) => entry.result);
		expect(audited).toEqual([`NoAnswer (answered under way): ${message}`]);
		expect(auditOf(systems.audit, PEOPLE.owner.userId, "rollback").map((entry) => entry.result)).toEqual([
			`joined: the same command by ${PEOPLE.admin.name} was under way, not run again`,
		]);
		Headless.seconds(5);
		expect([outcomes.size(), ownerOutcomes.size()]).toEqual([1, 1]);
		expect(server.threadErrorCount()).toBe(errors);
	});

	it("audits what it returns after its lane let go of it as a note, sends nothing, and leaves the lane to the command now in it", () => {
		slowReads = 1;
		server.dataStoreFaults().setLatency(LIMIT + 60);
		const errors = server.threadErrorCount();
		const outcomes = outcomesOf(admin.controller);
		const now = math.floor(Workspace.GetServerTimeNow());
		const first = inBackground(() => admin.controller.rollback(BUILDER, now - 20));
		waitUntil(() => first() !== undefined, AdminConfig.underWayAfterSeconds + 2, "the first rollback's answer");
		Headless.skipTime(LIMIT);
		waitUntil(() => outcomes.size() > 0, 5, "the first rollback's outcome");
		expect(outcomes[0]).toMatchObject({ ticket: ticketOf(first()), response: { ok: false, refusal: AdminRefusal.NoAnswer } });

		// A second rollback takes the lane; its own read is slow too, so it is still in the lane when the first returns.
		slowReads = 1;
		server.dataStoreFaults().setLatency(120);
		const second = admin.controller.rollback(BUILDER, now - 30);
		expect(second).toMatchObject({ ok: false, underWay: { command: "rollback", args: `${BUILDER} ${now - 30}`, joined: false } });
		const late = () => auditOf(systems.audit, PEOPLE.admin.userId, "rollback").filter((entry) => entry.result.sub(1, 5) === "late,");
		waitUntil(() => late().size() > 0, 70, "the first rollback's late result in the audit");
		expect(late()[0].args).toBe(`${BUILDER} ${now - 20}`);
		expect(late()[0].result).toMatch(`^late, after %d+ s %(its lane let go of it after ${LIMIT} s%): `);
		const busy = admin.controller.recover("LATEST", BUILDER);
		expect(busy).toMatchObject({ ok: false, refusal: AdminRefusal.Busy });
		expect(busy.ok === false ? busy.message : "").toMatch(`^rollback ${BUILDER} ${now - 30} %(started by Admin`);
		expect(outcomes.size()).toBe(1);

		waitUntil(() => outcomes.size() > 1, 130, "the second rollback's outcome");
		expect(outcomes[1]).toMatchObject({ ticket: ticketOf(second), command: "rollback" });
		expect(outcomes[1].response).never.toMatchObject({ refusal: AdminRefusal.NoAnswer });
		expect(admin.controller.recover("LATEST", BUILDER)).toMatchObject({ ok: true });
		Headless.seconds(5);
		expect(outcomes.size()).toBe(2);
		expect(late().size()).toBe(1);
		expect(server.threadErrorCount()).toBe(errors);
	});
});
