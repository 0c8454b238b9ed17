import { describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import { roleFrom, RolePolicy } from "server/admin/admin-roles";
import { AuditLog } from "server/admin/audit-log";
import { followUnderWay } from "server/admin/fleet-follow-up";
import { validUtf8 } from "shared/text/utf8-text";
import { cutSummary, FleetCollection, fleetMessageOf, FleetUnderWayMessage, SeenCommands, SUMMARY_LIMIT } from "server/admin/fleet-messages";
import { AuditEntry } from "shared/admin/admin-types";
import { formatArguments, parseChatCommand } from "shared/admin/chat-syntax";

const POLICY: RolePolicy = {
	groupRanks: [
		{ minRank: 255, role: "owner" },
		{ minRank: 100, role: "moderator" },
	],
	studioPlayerIsOwner: true,
	privateServerOwnerIsModerator: true,
};

function entry(overrides: Partial<AuditEntry>): AuditEntry {
	return { time: 0, jobId: "j", userId: 1, userName: "u", role: "none", command: "systemstatus", args: "", allowed: false, result: "NotAllowed", repeats: 0, ...overrides };
}

describe("admin roles", () => {
	it("denies by default and takes the strongest source", () => {
		const none = { groupRank: 0, studioPlayer: false, privateServerOwner: false };
		expect(roleFrom(none, POLICY)).toBe("none");
		expect(roleFrom({ ...none, userRole: "admin", groupRank: 100 }, POLICY)).toBe("admin");
		expect(roleFrom({ ...none, userRole: "moderator", groupRank: 255 }, POLICY)).toBe("owner");
		expect(roleFrom({ ...none, privateServerOwner: true }, POLICY)).toBe("moderator");
		expect(roleFrom({ ...none, privateServerOwner: true }, { ...POLICY, privateServerOwnerIsModerator: false })).toBe("none");
		expect(roleFrom({ ...none, studioPlayer: true }, POLICY)).toBe("owner");
		expect(roleFrom({ ...none, studioPlayer: true }, { ...POLICY, studioPlayerIsOwner: false })).toBe("none");
	});
});

describe("chat syntax", () => {
	it.each([
		["/forcebackup full --all", { name: "forcebackup", full: true, scope: "all" }],
		["/backup", { name: "forcebackup", full: false, scope: "server" }],
		["/recover latest all", { name: "recover", target: "LATEST", userId: undefined, preview: false }],
		["/recover 1767225600_3 42 preview", { name: "recover", target: "1767225600_3", userId: 42, preview: true }],
		["/rollback 42 1767225600", { name: "rollback", userId: 42, unixTime: 1767225600 }],
		["/emergency on memory spike --all", { name: "emergency", on: true, reason: "memory spike", scope: "all" }],
		["/maintenance", { name: "maintenance", message: undefined, scope: "server" }],
		["/announce back in 5", { name: "announce", message: "back in 5", scope: "server" }],
		["/AUDIT 7", { name: "audit", count: 7 }],
	])("parses %s", (text, command) => {
		expect(parseChatCommand(text)).toEqual(command);
	});

	it.each([
		["/rollback 42", "usage: /rollback <userId> <unix time>"],
		["/recover LATEST someone", "usage: /recover <LATEST|id> <userId|all> [preview]"],
		["/emergency maybe", "usage: /emergency on|off [reason] [--all]"],
		["/systemstatus now", "usage: /systemstatus"],
		["/announce", "usage: /announce <message> [--all]"],
		["/format", "unknown command /format"],
	])("answers %s with its usage", (text, usage) => {
		expect(parseChatCommand(text)).toBe(usage);
	});

	it("writes arguments back in chat form for the audit", () => {
		expect(formatArguments({ name: "recover", target: "LATEST", preview: true })).toBe("LATEST all preview");
		expect(formatArguments({ name: "emergency", on: false, scope: "all" })).toBe("off --all");
		expect(formatArguments({ name: "systemstatus" })).toBe("");
	});
});

describe("audit log", () => {
	it("folds identical refusals of one caller into a repeat count, keeps the rest apart", () => {
		const log = new AuditLog(10);
		log.record(entry({}), 0);
		log.record(entry({}), 0);
		log.record(entry({ userId: 2 }), 0);
		log.record(entry({ allowed: true, result: "ok: ok" }), 0);
		log.record(entry({ allowed: true, result: "ok: ok" }), 0);
		// The same refusal with other arguments is another call of a staff member: its arguments are kept.
		log.record(entry({ role: "admin", command: "emergency", args: "on", result: "Unavailable" }), 0);
		log.record(entry({ role: "admin", command: "emergency", args: "off", result: "Unavailable" }), 0);
		// A player with no role: one entry per command and result in the batch, arguments aside.
		log.record(entry({ userId: 3, command: "modlog", args: "1" }), 0);
		log.record(entry({ userId: 2, command: "modlog", args: "2" }), 0);
		log.record(entry({ userId: 3, command: "modlog", args: "3" }), 0);
		expect(log.latest(10).map((stored) => [stored.userId, stored.repeats, stored.args])).toEqual([
			[1, 1, ""],
			[2, 0, ""],
			[1, 0, ""],
			[1, 0, ""],
			[1, 0, "on"],
			[1, 0, "off"],
			[3, 1, "1"],
			[2, 0, "2"],
		]);
		// A new batch starts its own entries.
		log.takeBatch();
		log.record(entry({ userId: 3, command: "modlog", args: "4" }), 0);
		expect(log.latest(1).map((stored) => [stored.userId, stored.repeats, stored.args])).toEqual([[3, 0, "4"]]);
	});

	it("keeps a role-less player's folding in step with what is pending: dropped entries fold nothing, restored ones fold what follows", () => {
		const log = new AuditLog(10, 2);
		log.record(entry({ command: "modlog" }), 0);
		log.record(entry({ command: "audit" }), 0);
		// Past the pending limit the oldest is dropped: a later modlog refusal is a new entry.
		log.record(entry({ command: "fleet" }), 0);
		log.record(entry({ command: "modlog", args: "2" }), 0);
		expect(log.dropped()).toBe(2);
		const batch = log.takeBatch();
		expect(batch.map((stored) => [stored.command, stored.repeats])).toEqual([
			["fleet", 0],
			["modlog", 0],
		]);
		// A failed batch comes back, and the same refusal folds into its entry.
		log.restore(batch, 1);
		log.record(entry({ command: "modlog", args: "3" }), 1);
		expect(log.takeBatch().map((stored) => [stored.command, stored.args, stored.repeats])).toEqual([
			["fleet", "", 0],
			["modlog", "2", 1],
		]);
	});

	it("hands batches out once and takes a failed one back in front", () => {
		const log = new AuditLog(3);
		log.record(entry({ command: "a" }), 0);
		const batch = log.takeBatch();
		log.record(entry({ command: "b" }), 5);
		log.restore(batch, 6);
		expect(log.takeBatch().map((stored) => stored.command)).toEqual(["a", "b"]);
		expect(log.pendingCount()).toBe(0);
		for (const command of ["c", "d", "e", "f"]) log.record(entry({ command }), 7);
		expect(log.latest(10).map((stored) => stored.command)).toEqual(["d", "e", "f"]);
	});
});

describe("audit log limits", () => {
	it("drops the oldest unwritten entries beyond its limit and counts them", () => {
		const log = new AuditLog(10, 3);
		for (const command of ["a", "b", "c", "d"]) log.record(entry({ command, allowed: true }), 0);
		expect(log.dropped()).toBe(1);
		const batch = log.takeBatch();
		expect(batch.map((stored) => stored.command)).toEqual(["b", "c", "d"]);
		log.record(entry({ command: "e", allowed: true }), 1);
		log.restore(batch, 2);
		expect(log.takeBatch().map((stored) => stored.command)).toEqual(["c", "d", "e"]);
		expect(log.dropped()).toBe(2);
	});
});

describe("fleet answers", () => {
	it("lists answers, then the expected servers that stayed silent", () => {
		const collection = new FleetCollection("id", new Set(["b", "a", "c"]));
		collection.answer("c", true, "ok");
		collection.answer("a", false, "failed: budget");
		collection.answer("a", true, "late duplicate");
		expect(collection.complete()).toBe(false);
		expect(collection.table()).toEqual([
			{ jobId: "a", status: "failed", summary: "failed: budget" },
			{ jobId: "c", status: "done", summary: "ok" },
			{ jobId: "b", status: "noAnswer", summary: "did not answer in time" },
		]);
	});

	it("lists a server still running the command as under way until its final answer replaces it", () => {
		const collection = new FleetCollection("id", new Set(["a", "b", "c"]));
		collection.answer("a", true, "backup 1_1");
		collection.underWay("b", "The full backup is still being stored");
		// A late under-way message after the final answer changes nothing.
		collection.answer("c", true, "backup 1_2");
		collection.underWay("c", "still running");
		expect(collection.complete()).toBe(false);
		expect(collection.underWayServers()).toEqual(new Set(["b"]));
		expect(collection.table().map((answer) => [answer.jobId, answer.status, answer.summary])).toEqual([
			["a", "done", "backup 1_1"],
			["b", "underWay", "The full backup is still being stored"],
			["c", "done", "backup 1_2"],
		]);
		collection.answer("b", false, "Failed: the backup failed");
		collection.answer("b", true, "late duplicate");
		expect(collection.complete()).toBe(true);
		expect(collection.underWayServers().isEmpty()).toBe(true);
		expect(collection.table()[1]).toEqual({ jobId: "b", status: "failed", summary: "Failed: the backup failed" });
	});

	it("tells listeners every answer it records, and nothing it ignores or after they stopped", () => {
		const collection = new FleetCollection("id", new Set(["a", "b"]));
		const heard: string[] = [];
		const stop = collection.onAnswer((answer) => heard.push(`${answer.jobId} ${answer.status}`));
		collection.underWay("a", "working");
		collection.underWay("a", "working again");
		collection.answer("a", true, "ok");
		collection.answer("a", true, "ok again");
		stop();
		collection.answer("b", true, "ok");
		expect(heard).toEqual(["a underWay", "a done"]);
	});

	it("after the window, hands on the final answer of each server that was under way, once, until the follow-up time is up", () => {
		const collection = new FleetCollection("cmd", new Set(["a", "b", "c", "d"]));
		collection.underWay("a", "working");
		collection.underWay("b", "working");
		collection.answer("c", true, "ok");
		const late: string[] = [];
		let done = 0;
		followUnderWay(collection, 10, (answer, commandId) => late.push(`${commandId} ${answer.jobId} ${answer.status} ${answer.summary}`), () => (done += 1));
		collection.underWay("a", "still working");
		collection.answer("a", true, "backup 1_1");
		collection.answer("a", true, "duplicate");
		// Silent when the window closed: its row said so, its answer is not followed.
		collection.answer("d", true, "ok");
		expect([late, done]).toEqual([["cmd a done backup 1_1"], 0]);
		Headless.seconds(11);
		expect(done).toBe(1);
		collection.answer("b", false, "too late");
		expect(late.size()).toBe(2);
		expect(done).toBe(1);
	});

	it("ends the row of each server still under way when the follow-up time is up, as noAnswer", () => {
		const collection = new FleetCollection("cmd", new Set(["a", "b", "c", "d"]));
		for (const jobId of ["c", "a", "b"]) collection.underWay(jobId, "working");
		const late: string[] = [];
		let done = 0;
		followUnderWay(collection, 10, (answer, commandId) => late.push(`${commandId} ${answer.jobId} ${answer.status} ${answer.summary}`), () => (done += 1));
		collection.answer("b", true, "backup 1_1");
		Headless.seconds(9);
		expect([late, done]).toEqual([["cmd b done backup 1_1"], 0]);
		Headless.seconds(2);
		// Crashed, still running or lost: the caller hears that no answer came, so no row stays under way.
		expect([late, done]).toEqual([["cmd b done backup 1_1", "cmd a noAnswer no final answer within 10 s", "cmd c noAnswer no final answer within 10 s"], 1]);
		collection.answer("a", true, "too late");
		expect(late.size()).toBe(3);
	});

	it("stops following as soon as every server that was under way answered", () => {
		const collection = new FleetCollection("cmd", new Set(["a"]));
		let done = 0;
		followUnderWay(collection, 10, () => {}, () => (done += 1));
		expect(done).toBe(1);
		const other = new FleetCollection("other", new Set(["a"]));
		other.underWay("a", "working");
		followUnderWay(other, 10, () => {}, () => (done += 1));
		other.answer("a", true, "ok");
		Headless.seconds(11);
		expect(done).toBe(2);
	});

	it("keeps an under-way answer with the longest summary within MessagingService's 1 kB", () => {
		const message: FleetUnderWayMessage = {
			kind: "underWay",
			id: HttpService.GenerateGUID(false),
			jobId: HttpService.GenerateGUID(false),
			summary: string.rep("x", SUMMARY_LIMIT + 50).sub(1, SUMMARY_LIMIT),
		};
		expect(HttpService.JSONEncode(message).size()).toBeLessThanOrEqual(1024);
	});

	it("cuts a summary at a character boundary, never inside a multibyte character", () => {
		// "é" is 2 bytes: byte 200 is the first byte of the 100th one.
		const accents = `a${string.rep("é", 150)}`;
		const cut = cutSummary(accents);
		expect(cut.size()).toBe(SUMMARY_LIMIT - 1);
		expect(utf8.len(cut)[0]).toBe(100);
		// A 4-byte character across the limit is left out whole; text within the limit is kept.
		const emoji = `${string.rep("x", SUMMARY_LIMIT - 2)}😀 drill`;
		expect(cutSummary(emoji)).toBe(string.rep("x", SUMMARY_LIMIT - 2));
		expect(cutSummary(`${string.rep("x", SUMMARY_LIMIT - 4)}😀`)).toBe(`${string.rep("x", SUMMARY_LIMIT - 4)}😀`);
		expect(cutSummary(string.rep("x", SUMMARY_LIMIT + 10))).toBe(string.rep("x", SUMMARY_LIMIT));
		for (const text of [accents, emoji, string.rep("日本", 80)]) {
			const kept = cutSummary(text);
			// utf8.len gives no count (nil in Luau) for text that is not valid UTF-8.
			expect(kept.size() <= SUMMARY_LIMIT && typeIs(utf8.len(kept)[0], "number")).toBe(true);
		}
	});

	it("replaces each byte that begins no UTF-8 character with ?, and keeps valid text as it is", () => {
		expect(validUtf8("héllo 日本 😀")).toBe("héllo 日本 😀");
		// A stray byte, and a lead byte with nothing after it.
		expect(validUtf8(`a${string.char(0xff)}b${string.char(0xc3)}`)).toBe("a?b?");
		// Lone continuation bytes, and a 3-byte character cut after its second byte.
		expect(validUtf8(string.char(0x80, 0x80))).toBe("??");
		expect(validUtf8(`${string.char(0xe6, 0x97)}x`)).toBe("??x");
		for (const text of [string.char(0xc0, 0xaf), string.char(0xf4, 0x90, 0x80, 0x80), `${string.rep("é", 3)}${string.char(0xe9)}`]) {
			expect(typeIs(utf8.len(validUtf8(text))[0], "number")).toBe(true);
		}
	});

	it("drops fleet messages whose fields are not what this version sends", () => {
		const answer = { kind: "answer", id: "cmd", jobId: "a", ok: true, summary: "ok" };
		expect(fleetMessageOf(answer)).toEqual(answer);
		expect(fleetMessageOf({ kind: "underWay", id: "cmd", jobId: "a", summary: "working" })).toEqual({ kind: "underWay", id: "cmd", jobId: "a", summary: "working" });
		expect(fleetMessageOf({ ...answer, summary: string.rep("é", 150) })).toMatchObject({ summary: string.rep("é", 100) });
		for (const malformed of [
			"answer",
			{ ...answer, kind: "verdict" },
			{ ...answer, id: 7 },
			{ ...answer, jobId: undefined },
			{ ...answer, jobId: 12 },
			{ ...answer, ok: "yes" },
			{ ...answer, summary: { text: "ok" } },
			{ kind: "underWay", id: "cmd", jobId: "a" },
			{ kind: "underWay", id: "cmd", jobId: true, summary: "working" },
			{ kind: "command", id: "cmd", callerId: 1, callerName: "Owner", callerRole: "owner", command: { name: "announce" } },
			{ kind: "command", id: "cmd", origin: "o", callerId: 1, callerName: "Owner", callerRole: "owner", command: "announce" },
		]) {
			expect(fleetMessageOf(malformed)).toBeUndefined();
		}
		const command = { kind: "command", id: "cmd", origin: "o", callerId: 1, callerName: "Owner", callerRole: "owner", command: { name: "announce", message: "hi", scope: "all" } };
		expect(fleetMessageOf(command)).toEqual(command);
	});

	it("runs a command id once within its time to live", () => {
		const seen = new SeenCommands(10);
		expect(seen.firstTime("x", 0)).toBe(true);
		expect(seen.firstTime("x", 5)).toBe(false);
		expect(seen.firstTime("x", 16)).toBe(true);
	});
});
