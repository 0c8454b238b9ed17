import { describe, expect, it } from "@rbxts/jest-globals";
import { InboundGate } from "server/inbound-gate/inbound-gate";
import { Escalation, GatedRemote } from "server/inbound-gate/inbound-types";
import { payloadSize, TOO_DEEP } from "server/inbound-gate/payload-size";
import { InboundConfig } from "shared/config/inbound-config";

const isNumber = (value: unknown) => typeIs(value, "number") && value === value;
const isString = (value: unknown) => typeIs(value, "string");

const PLACE: GatedRemote = { name: "place", kind: "Function", checks: [isString, isNumber], budget: { perSecond: 2, burst: 3 } };
const CHAT: GatedRemote = { name: "chat", kind: "Event", checks: [isString], restCheck: isString, budget: { perSecond: 100, burst: 100 } };

function gateWithLog() {
	const gate = new InboundGate<string>((key) => (key === "alice" ? 1 : 2));
	const escalations: [string, Escalation][] = [];
	gate.onEscalate = (key, escalation) => escalations.push([key, escalation]);
	return { gate, escalations };
}

describe("InboundGate (engine-free)", () => {
	it("gives every sender their own bucket per remote, refilling over time", () => {
		const { gate } = gateWithLog();
		const verdicts = [1, 2, 3, 4].map(() => gate.check("alice", PLACE, ["a", 1], 2, 0));
		expect(verdicts).toEqual(["accepted", "accepted", "accepted", "rateLimited"]);
		expect(gate.check("bob", PLACE, ["a", 1], 2, 0)).toBe("accepted");
		expect(gate.check("alice", CHAT, ["hi"], 1, 0)).toBe("accepted");
		expect(gate.check("alice", PLACE, ["a", 1], 2, 0.5)).toBe("accepted");
	});

	it("refuses extra arguments unless the contract has a rest parameter, and missing ones", () => {
		const { gate } = gateWithLog();
		expect(gate.check("alice", PLACE, ["a", 1, "extra"], 3, 0)).toBe("malformed");
		expect(gate.check("alice", PLACE, ["a"], 1, 0)).toBe("malformed");
		expect(gate.check("alice", CHAT, ["a", "b", "c"], 3, 0)).toBe("accepted");
		expect(gate.check("alice", CHAT, ["a", "b", 3], 3, 0)).toBe("malformed");
		const report = gate.playerReport(1)!;
		expect(report.byRemote.get("place")!.malformed).toBe(2);
		expect(report.byRemote.get("chat")!.malformed).toBe(1);
		expect(gate.report().total.accepted).toBe(1);
	});

	it("measures payloads only up to the limit and refuses deep nesting", () => {
		expect(payloadSize(["abc", 1], 2, 100, 8)).toBe(6 + 9);
		expect(payloadSize([buffer.create(500)], 1, 10_000, 8)).toBe(503);
		const wide: number[] = [];
		for (let index = 0; index < 100_000; index++) wide.push(index);
		expect(payloadSize([wide], 1, 100, 8)).toBeLessThan(200);
		let deep: object = {};
		for (let level = 0; level < 10; level++) deep = { deep };
		expect(payloadSize([deep], 1, 10_000, 8)).toBe(TOO_DEEP);
	});

	it("escalates once after the strikes of one window, and forgives strikes from an older window", () => {
		const { gate, escalations } = gateWithLog();
		const strikes = InboundConfig.escalation.strikesToKick;
		const window = InboundConfig.escalation.windowSeconds;
		const spread = (count: number, start: number) => {
			for (let index = 0; index < count; index++) gate.sealedCall("alice", "pong", start + index * 0.01);
		};
		spread(strikes - 1, 0);
		expect(escalations.size()).toBe(0);
		spread(strikes - 1, window + 1);
		expect(escalations.size()).toBe(0);
		spread(1, window + 2);
		expect(escalations.size()).toBe(1);
		expect(escalations[0][1].rule).toBe("garbage");
		spread(strikes * 2, window + 3);
		expect(escalations.size()).toBe(1);
		// Once escalated, every further call is dropped without checks.
		expect(gate.check("alice", CHAT, ["hi"], 1, window + 4)).toBe("blocked");
	});

	it("escalates a flood of rate-limited calls as its own rule", () => {
		const { gate, escalations } = gateWithLog();
		for (let index = 0; index < InboundConfig.escalation.rateLimitedToKick + PLACE.budget.burst; index++) {
			gate.check("bob", PLACE, ["a", 1], 2, 1);
		}
		expect(escalations.size()).toBe(1);
		expect(escalations[0][0]).toBe("bob");
		expect(escalations[0][1].rule).toBe("flood");
	});

	it("tells listeners what was refused and why, down to the argument that failed", () => {
		const { gate } = gateWithLog();
		const seen: string[] = [];
		const stop = gate.onRefused((key, refusal) => seen.push(`${key} ${refusal.remote} ${refusal.verdict} ${refusal.kind} ${refusal.argIndex} ${tostring(refusal.argValue)}`));
		gate.check("alice", PLACE, ["a", "b"], 2, 0);
		gate.check("alice", PLACE, ["a", 1, 2], 3, 0);
		stop();
		gate.check("alice", PLACE, [1, 1], 2, 0);
		expect(seen).toEqual(["alice place malformed type 1 b", "alice place malformed arity nil nil"]);
	});

	it("keeps a departed sender's counters in reports", () => {
		const { gate } = gateWithLog();
		gate.check("alice", PLACE, [1, 1], 2, 0);
		gate.forget("alice", 0);
		expect(gate.playerReport(1)!.malformed).toBe(1);
		expect(gate.check("alice", PLACE, ["a", 1], 2, 0)).toBe("accepted");
	});

	it("refuses a removed sender who rejoins within the block, and lets them back afresh after it", () => {
		const { gate, escalations } = gateWithLog();
		for (let index = 0; index < InboundConfig.escalation.strikesToKick; index++) gate.check("alice", CHAT, [5], 1, 0);
		expect(escalations.size()).toBe(1);
		gate.forget("alice", 1);
		const block = InboundConfig.escalation.rejoinBlockSeconds;
		expect(gate.admit("alice", block - 1)).toMatchObject({ rule: "garbage" });
		expect(gate.check("alice", CHAT, ["hi"], 1, block - 1)).toBe("blocked");
		gate.forget("alice", block - 1);
		expect(gate.admit("alice", block + 1)).toBeUndefined();
		expect(gate.check("alice", CHAT, ["hi"], 1, block + 1)).toBe("accepted");
		// Afresh: a whole window of strikes again before the next removal.
		for (let index = 0; index < InboundConfig.escalation.strikesToKick - 1; index++) gate.check("alice", CHAT, [5], 1, block + 2);
		expect(escalations.size()).toBe(1);
		expect(gate.admit("bob", 0)).toBeUndefined();
	});

	it("counts a late call of a sender who left without bringing them back: a rejoin within the block is still refused", () => {
		const gate = new InboundGate<{ userId: number }>((player) => player.userId);
		const first = { userId: 1 };
		for (let index = 0; index < InboundConfig.escalation.strikesToKick; index++) gate.check(first, CHAT, [5], 1, 0);
		gate.forget(first, 1);
		expect(gate.check(first, CHAT, ["late"], 1, 1)).toBe("blocked");
		expect(gate.departedCount()).toBe(1);
		expect(gate.admit({ userId: 1 }, 30)).toMatchObject({ rule: "garbage" });
	});

	it("carries a rejoining sender's strikes and buckets over: leaving and joining again resets nothing", () => {
		const { gate, escalations } = gateWithLog();
		const half = InboundConfig.escalation.strikesToKick / 2;
		for (let index = 0; index < half; index++) gate.check("alice", CHAT, [5], 1, 0);
		for (let index = 0; index < PLACE.budget.burst; index++) expect(gate.check("alice", PLACE, ["a", 1], 2, 0)).toBe("accepted");
		gate.forget("alice", 0);
		expect(gate.admit("alice", 0)).toBeUndefined();
		expect(gate.check("alice", PLACE, ["a", 1], 2, 0)).toBe("rateLimited");
		for (let index = 0; index < half; index++) gate.check("alice", CHAT, [5], 1, 0);
		expect(escalations.size()).toBe(1);
	});

	it("keeps departed senders for a while and a bounded number of them, oldest dropped first", () => {
		const limits = { ...InboundConfig, departedKeepSeconds: 100, maxDeparted: 3 } as unknown as typeof InboundConfig;
		// Keys are sessions (a Player each), as in the game.
		const gate = new InboundGate<{ userId: number }>((key) => key.userId, limits);
		const visit = (userId: number, at: number) => {
			const session = { userId };
			gate.check(session, PLACE, [1, 1], 2, at);
			gate.forget(session, at);
		};
		for (let userId = 1; userId <= 5; userId++) visit(userId, userId);
		expect(gate.departedCount()).toBe(3);
		expect(gate.playerReport(2)).toBeUndefined();
		expect(gate.playerReport(3)!.malformed).toBe(1);
		// User 3 rejoins and leaves again: its newer departure counts, not the first.
		const again = { userId: 3 };
		gate.admit(again, 50);
		gate.forget(again, 50);
		visit(6, 120);
		// 4 and 5 left more than 100 s before; 3 left at 50, 6 at 120.
		expect(gate.departedCount()).toBe(2);
		expect(gate.playerReport(4)).toBeUndefined();
		expect(gate.playerReport(3)!.malformed).toBe(1);
		for (let round = 0; round < 200; round++) visit(1000 + round, 200 + round);
		expect(gate.departedCount()).toBe(3);
		expect(gate.playerReport(1199)!.malformed).toBe(1);
	});
});
