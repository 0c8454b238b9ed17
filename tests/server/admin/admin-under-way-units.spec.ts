import { describe, expect, it } from "@rbxts/jest-globals";
import { keyOf } from "server/admin/command-lanes";
import { progressOf } from "server/admin/command-progress";
import { UnderWayCommands } from "server/admin/under-way";
import { AdminCommand, AdminResponse } from "shared/admin/admin-types";
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

describe("progress of a command under way", () => {
	it("says what emergency on has done so far", () => {
		const on: AdminCommand = { name: "emergency", on: true, scope: "server" };
		expect(progressOf(on, { emergency: { reason: "db", backupDone: false } })).toBe(
			"Emergency mode is on (db): building is paused. The emergency backup is still being stored.",
		);
		expect(progressOf(on, {})).toBe("Emergency mode was turned on and has ended since; its emergency backup is still being stored.");
		expect(progressOf({ ...on, scope: "all" }, {})).toMatch("every server");
	});
});
