import { describe, expect, it } from "@rbxts/jest-globals";
import { keyOf } from "server/admin/command-lanes";
import { progressOf, sentToEveryServer } from "server/admin/command-progress";
import { lateNote, outcomeOf, stuckResponse, UnderWayCommands } from "server/admin/under-way";
import { whenNoOutcome } from "server/admin/wait-for-outcome";
import { AdminCommand, AdminRefusal, AdminResponse } from "shared/admin/admin-types";
import { formatOutcome } from "shared/admin/format-response";
import { formatArguments } from "shared/admin/chat-syntax";

const OWNER = { userId: 1, name: "Owner" };
const DONE: AdminResponse = { ok: true, name: "emergency", result: { active: true, reason: "r" } };

function claim(tickets: UnderWayCommands<string>, command: AdminCommand, now = 0) {
	return tickets.claim(keyOf(command), command, formatArguments(command), OWNER, now);
}

describe("command lanes", () => {
	it("makes a repeat the same command, and commands doing the same work share a lane", () => {
		const on = keyOf({ name: "emergency", on: true, reason: "a", scope: "server" });
		expect(keyOf({ name: "emergency", on: true, reason: "b", scope: "server" })).toEqual(on);
		expect(keyOf({ name: "emergency", on: false, scope: "server" }).lane).never.toBe(on.lane);
		expect(keyOf({ name: "emergency", on: true, scope: "all" }).lane).never.toBe(on.lane);
		const full = keyOf({ name: "forcebackup", full: true, scope: "server" });
		const incremental = keyOf({ name: "forcebackup", full: false, scope: "server" });
		expect([full.lane === incremental.lane, full.identity === incremental.identity]).toEqual([true, false]);
		const recover = keyOf({ name: "recover", target: "LATEST", preview: false });
		expect(keyOf({ name: "rollback", userId: 5, unixTime: 1000 }).lane).toBe(recover.lane);
		expect(keyOf({ name: "recover", target: "LATEST", preview: true }).lane).never.toBe(recover.lane);
		expect(keyOf({ name: "audit", count: 20 }).lane).never.toBe(keyOf({ name: "audit", count: 50 }).lane);
	});
});

describe("commands under way", () => {
	it("starts one ticket per lane: a repeat joins it, another command of the lane is turned away", () => {
		const tickets = new UnderWayCommands<string>();
		const first = claim(tickets, { name: "forcebackup", full: true, scope: "server" });
		expect(first.kind).toBe("started");
		const again = claim(tickets, { name: "forcebackup", full: true, scope: "server" }, 3);
		expect([again.kind, again.ticket]).toEqual(["joined", first.ticket]);
		expect(claim(tickets, { name: "forcebackup", full: false, scope: "server" }).kind).toBe("busy");
		expect(claim(tickets, { name: "systemstatus" }).kind).toBe("started");
		expect(tickets.running().map((ticket) => ticket.command.name)).toEqual(["forcebackup", "systemstatus"]);
	});

	it("owes the outcome once to each caller answered under way, tells listeners, and frees the lane", () => {
		const tickets = new UnderWayCommands<string>();
		const { ticket } = claim(tickets, { name: "emergency", on: true, scope: "server" });
		tickets.owe(ticket, "owner");
		tickets.owe(ticket, "owner");
		tickets.owe(ticket, "second owner");
		let heard = 0;
		const stop = tickets.onFinished(ticket, () => (heard += 1));
		const stopped = tickets.onFinished(ticket, () => (heard += 100));
		stopped();
		expect(tickets.finish(ticket, DONE, 9)).toEqual(["owner", "second owner"]);
		expect(tickets.finish(ticket, DONE, 10)).toEqual([]);
		stop();
		expect([heard, ticket.finishedAt, ticket.response]).toEqual([1, 9, DONE]);
		// Owed nothing once it has its outcome; the lane takes a new ticket.
		tickets.owe(ticket, "late");
		expect(ticket.owed).toEqual(["owner", "second owner"]);
		expect(claim(tickets, { name: "emergency", on: true, scope: "server" }).kind).toBe("started");
	});
});

describe("a command that gives no outcome in time", () => {
	const ROLLBACK: AdminCommand = { name: "rollback", userId: 5, unixTime: 1000 };
	const RECOVER: AdminCommand = { name: "recover", target: "LATEST", userId: 5, preview: false };

	it("is let go: its lane takes the next command, and those owed the outcome are told it gave none, once", () => {
		const tickets = new UnderWayCommands<string>();
		const { ticket } = claim(tickets, ROLLBACK, 10);
		tickets.owe(ticket, "admin");
		tickets.join(ticket, "owner");
		tickets.owe(ticket, "owner");
		let heard = 0;
		tickets.onFinished(ticket, () => (heard += 1));
		expect(claim(tickets, RECOVER, 20).kind).toBe("busy");
		expect(tickets.letGo(ticket, 300, 310)).toEqual(["admin", "owner"]);
		expect([heard, ticket.stuckAfter, ticket.finishedAt]).toEqual([1, 300, 310]);
		expect(ticket.response).toEqual(stuckResponse(300));
		expect(outcomeOf(ticket, ticket.response!)).toMatchObject({ ticket: ticket.id, command: "rollback", seconds: 300, response: { ok: false, refusal: AdminRefusal.NoAnswer } });
		expect(tickets.running()).toEqual([]);
		const following = claim(tickets, RECOVER, 311);
		expect(following.kind).toBe("started");
		// Letting go twice tells nobody again.
		expect(tickets.letGo(ticket, 300, 320)).toEqual([]);
		expect(heard).toBe(1);
	});

	it("changes nothing when its work returns late: nobody is owed again and the lane's new command keeps it", () => {
		const tickets = new UnderWayCommands<string>();
		const { ticket } = claim(tickets, ROLLBACK, 0);
		tickets.owe(ticket, "admin");
		tickets.letGo(ticket, 300, 300);
		const following = claim(tickets, RECOVER, 301).ticket;
		expect(tickets.finish(ticket, DONE, 400)).toEqual([]);
		expect([ticket.response, ticket.finishedAt]).toEqual([stuckResponse(300), 300]);
		expect(tickets.running()).toEqual([following]);
		expect(claim(tickets, { name: "rollback", userId: 6, unixTime: 1000 }, 402)).toMatchObject({ kind: "busy", ticket: following });
		expect(lateNote(ticket, "ok: emergency mode on", 400)).toBe("late, after 400 s (its lane let go of it after 300 s): ok: emergency mode on");
	});

	it("is not let go once it has its outcome", () => {
		const tickets = new UnderWayCommands<string>();
		const { ticket } = claim(tickets, ROLLBACK, 0);
		tickets.owe(ticket, "admin");
		tickets.finish(ticket, DONE, 5);
		expect(tickets.letGo(ticket, 300, 300)).toEqual([]);
		expect([ticket.response, ticket.stuckAfter]).toEqual([DONE, undefined]);
	});

	it("is noticed by a timer after the limit, and not at all when it finishes first", () => {
		const tickets = new UnderWayCommands<string>();
		const stuck = claim(tickets, ROLLBACK, 0).ticket;
		const quick = claim(tickets, { name: "forcebackup", full: true, scope: "server" }, 0).ticket;
		const noticed: number[] = [];
		for (const ticket of [stuck, quick]) whenNoOutcome(tickets, ticket, 10, () => noticed.push(ticket.id));
		Headless.seconds(5);
		tickets.finish(quick, DONE, 5);
		expect(noticed).toEqual([]);
		Headless.seconds(6);
		expect(noticed).toEqual([stuck.id]);
		// The letting go it calls finishes the ticket from the timer's own thread.
		const hung = claim(tickets, { name: "audit", count: 5 }, 0).ticket;
		whenNoOutcome(tickets, hung, 10, () => tickets.letGo(hung, 10, 10));
		Headless.seconds(11);
		expect([hung.stuckAfter, tickets.running().map((ticket) => ticket.id)]).toEqual([10, [stuck.id]]);
	});

	it("reads in chat as giving no outcome yet, not as finished", () => {
		const tickets = new UnderWayCommands<string>();
		const { ticket } = claim(tickets, ROLLBACK, 0);
		tickets.letGo(ticket, 300, 300);
		expect(formatOutcome(outcomeOf(ticket, ticket.response!))).toBe(
			"/rollback 5 1000: no outcome within 300 s; other commands like it may run again, and it may still complete (its result will be in audit)",
		);
	});
});

describe("progress of a command under way", () => {
	it("says what emergency on has done so far", () => {
		const on: AdminCommand = { name: "emergency", on: true, scope: "server" };
		expect(progressOf(on, { emergency: { reason: "db", backupDone: false } })).toBe(
			"Emergency mode is on (db): building is paused. The emergency backup is still being stored.",
		);
		expect(progressOf(on, {})).toBe("Emergency mode was turned on and has ended since; its emergency backup is still being stored.");
	});

	it("tells a command sent to every server apart, and says what such a command is doing on each server", () => {
		const everywhere: AdminCommand = { name: "emergency", on: true, scope: "all" };
		expect(sentToEveryServer(everywhere)).toBe(true);
		expect(sentToEveryServer({ ...everywhere, scope: "server" })).toBe(false);
		const audit: AdminCommand = { name: "audit" };
		expect(sentToEveryServer(audit)).toBe(false);
		expect(progressOf(everywhere, {})).toBe("Emergency mode was turned on and has ended since; its emergency backup is still being stored.");
	});
});
