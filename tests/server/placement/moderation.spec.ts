import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { ModerationEscalation, ModerationPresets, ModerationRules } from "shared/config/moderation-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { World } from "../../harness/world";
import { joinBuilder, systemsOf } from "./placement-world";

type Spot = [string, Vector3];

describe("automatic moderation", () => {
	const world = new World();
	afterEach(() => world.stop());

	function setUp(limits: ModerationRules, userId: number) {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(limits);
		const builder = joinBuilder(world, server, userId, `Mod${userId}`);
		return { server, systems, ...builder };
	}

	/** Places every spot, `gap` virtual seconds apart, returning each result's reason ("ok" on success). */
	function placeAll(controller: ReturnType<typeof joinBuilder>["controller"], spots: Spot[], gap: number) {
		return spots.map(([itemId, position]) => {
			Headless.seconds(gap);
			const result = controller.place(itemId, position, 0);
			return result.success ? "ok" : `${result.reason}:${result.rule ?? ""}`;
		});
	}

	/** Distinct items spread apart, so only the per-minute rule can trigger. */
	function spread(count: number): Spot[] {
		const items = ["chair", "lamp", "table", "wood-floor", "tree", "wood-wall"];
		const spots: Spot[] = [];
		for (let index = 0; index < count; index++) {
			spots.push([items[index % items.size()], new Vector3(8 + (index % 6) * 15, 0, 8 + math.floor(index / 6) * 15)]);
		}
		return spots;
	}

	for (const [presetName, preset] of [
		["public", ModerationPresets.public],
		["private", ModerationPresets.private],
	] as const) {
		it(`allows maxObjectsPerMinute (${preset.maxObjectsPerMinute}) placements a minute and refuses one more (${presetName})`, () => {
			const { controller, systems } = setUp(
				{ ...preset, maxObjectsInRadius: 1000, maxSameItemType: 1000 },
				5000 + preset.maxObjectsPerMinute,
			);
			const limit = preset.maxObjectsPerMinute;
			const results = placeAll(controller, spread(limit + 1), 0.2);
			expect(results.filter((result) => result === "ok").size()).toBe(limit);
			expect(results[limit]).toBe(`${RejectionReason.Moderation}:maxObjectsPerMinute`);
			// A minute later the window has moved on.
			Headless.seconds(61);
			expect(controller.place("lamp", new Vector3(90, 0, 90), 0).success).toBe(true);
			expect(systems.moderation.readLog()[0].rule).toBe("maxObjectsPerMinute");
		});

		it(`allows maxSameItemType (${preset.maxSameItemType}) of one item within checkRadius and refuses one more (${presetName})`, () => {
			const { controller } = setUp({ ...preset, maxObjectsPerMinute: 1000, maxObjectsInRadius: 1000 }, 5100 + preset.maxSameItemType);
			const spots: Spot[] = [];
			for (let index = 0; index <= preset.maxSameItemType; index++) {
				spots.push(["lamp", new Vector3(4 + (index % 10) * 3, 0, 4 + math.floor(index / 10) * 3)]);
			}
			const results = placeAll(controller, spots, 1);
			expect(results.filter((result) => result === "ok").size()).toBe(preset.maxSameItemType);
			expect(results[preset.maxSameItemType]).toBe(`${RejectionReason.Moderation}:maxSameItemType`);
		});

		it(`allows maxObjectsInRadius (${preset.maxObjectsInRadius}) objects within checkRadius and refuses one more (${presetName})`, () => {
			const { controller } = setUp({ ...preset, maxObjectsPerMinute: 1000, maxSameItemType: 1000 }, 5200 + preset.maxObjectsInRadius);
			const spots: Spot[] = [];
			for (let index = 0; index <= preset.maxObjectsInRadius; index++) {
				// Alternating items so neither reaches its per-player cap.
				const itemId = index % 2 === 0 ? "lamp" : "chair";
				spots.push([itemId, new Vector3(4 + (index % 10) * 3, 0, 4 + math.floor(index / 10) * 3)]);
			}
			const results = placeAll(controller, spots, 1);
			expect(results.filter((result) => result === "ok").size()).toBe(preset.maxObjectsInRadius);
			expect(results[preset.maxObjectsInRadius]).toBe(`${RejectionReason.Moderation}:maxObjectsInRadius`);
		});
	}

	it("escalates repeated strikes to a cooldown, then a kick, and logs every action", () => {
		const { controller, systems, client } = setUp(
			{ maxObjectsPerMinute: 1000, maxObjectsInRadius: 1000, maxSameItemType: 1, checkRadius: 50 },
			5300,
		);
		expect(controller.place("lamp", new Vector3(10, 0, 10), 0).success).toBe(true);
		const spam: Spot[] = [];
		for (let index = 0; index < ModerationEscalation.strikesForCooldown; index++) spam.push(["lamp", new Vector3(20 + index * 2, 0, 10)]);
		const strikes = placeAll(controller, spam, 1);
		expect(strikes.every((result) => result === `${RejectionReason.Moderation}:maxSameItemType`)).toBe(true);
		// On cooldown even an innocent placement is refused.
		Headless.seconds(1);
		const during = controller.place("chair", new Vector3(80, 0, 80), 0);
		expect(during.success).toBe(false);
		if (!during.success) expect(during.reason).toBe(RejectionReason.Cooldown);
		Headless.seconds(ModerationEscalation.cooldownSeconds);
		expect(controller.place("chair", new Vector3(80, 0, 80), 0).success).toBe(true);

		const more: Spot[] = [];
		for (let index = ModerationEscalation.strikesForCooldown; index < ModerationEscalation.strikesForKick; index++) {
			more.push(["lamp", new Vector3(20 + index * 2, 0, 30)]);
		}
		// Each further strike lands after the previous cooldown ended, all inside the strike window.
		// The last one gets no answer: the server kicks the player while handling it.
		const last = more.pop()!;
		placeAll(controller, more, ModerationEscalation.cooldownSeconds + 1);
		Headless.seconds(ModerationEscalation.cooldownSeconds + 1);
		task.spawn(() => controller.place(last[0], last[1], 0));
		Headless.frames(5);
		expect(client.isAlive()).toBe(false);
		expect(client.kickReason()).toMatch("automatic moderation");
		const actions = systems.moderation.readLog(5300).map((entry) => entry.action);
		expect(actions.filter((action) => action === "reject").size()).toBe(ModerationEscalation.strikesForKick);
		expect(actions).toContain("cooldown");
		expect(actions[actions.size() - 1]).toBe("kick");
	});

	it("keeps a player's placements of the last minute and their cooldown when they leave and rejoin", () => {
		const limits = { maxObjectsPerMinute: 3, maxObjectsInRadius: 1000, maxSameItemType: 1, checkRadius: 50 };
		const { server, controller, client } = setUp(limits, 5400);
		expect(placeAll(controller, spread(3), 0.2)).toEqual(["ok", "ok", "ok"]);
		client.disconnect();
		Headless.seconds(2);
		const again = joinBuilder(world, server, 5400, "Mod5400");
		expect(placeAll(again.controller, [["lamp", new Vector3(80, 0, 80)]], 0.2)).toEqual([`${RejectionReason.Moderation}:maxObjectsPerMinute`]);

		// That refusal was a strike, and it still counts: one fewer brings the cooldown on. Then a rejoin: still on cooldown.
		Headless.seconds(61);
		const spam: Spot[] = [["lamp", new Vector3(80, 0, 8)]];
		for (let index = 1; index < ModerationEscalation.strikesForCooldown; index++) spam.push(["lamp", new Vector3(80, 0, 20 + index * 2)]);
		const results = placeAll(again.controller, spam, 0.2);
		expect(results[0]).toBe("ok");
		expect(results.filter((result) => result === `${RejectionReason.Moderation}:maxSameItemType`).size()).toBe(ModerationEscalation.strikesForCooldown - 1);
		expect(again.controller.place("chair", new Vector3(40, 0, 80), 0)).toMatchObject({ success: false, reason: RejectionReason.Cooldown });
		again.client.disconnect();
		Headless.seconds(2);
		const third = joinBuilder(world, server, 5400, "Mod5400");
		expect(third.controller.place("chair", new Vector3(40, 0, 80), 0)).toMatchObject({ success: false, reason: RejectionReason.Cooldown });
	});
});
