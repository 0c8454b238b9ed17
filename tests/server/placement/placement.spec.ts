import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { PlacementController } from "client/placement/placement-controller";
import { RejectionReason } from "shared/placement/rejection-reason";
import { World } from "../../harness/world";
import { PERMISSIVE, ServerSystems, joinBuilder, systemsOf } from "./placement-world";

describe("placing and removing through the client controller", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: ServerSystems;
	let controller: PlacementController;
	let client: HeadlessClient;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		({ client, controller } = joinBuilder(world, server, 3001, "Builder"));
	});
	afterAll(() => world.stop());

	/** Each spec waits a second first so the per-player rate limit never interferes. */
	function place(itemId: string, position: Vector3, rotation = 0) {
		Headless.seconds(1);
		return controller.place(itemId, position, rotation);
	}

	it("places an object: tracked, in the world under the plot, in the client's view, counted", () => {
		const before = systems.analytics.report().placements;
		const result = place("chair", new Vector3(10.2, 0, 9.8), 90);
		expect(result.success).toBe(true);
		if (!result.success) return;
		const tracked = systems.tracker.get(result.placementId)!;
		expect(tracked.ownerId).toBe(3001);
		expect(tracked.position).toEqual(new Vector3(10, 0, 10));
		expect(tracked.rotation).toBe(90);
		// The server keeps it as data only; the owner's client renders it from streaming.
		expect(server.game.GetService("Workspace").FindFirstChild(result.placementId, true)).toBeUndefined();
		Headless.frames(3);
		expect(controller.ownObjects().get(result.placementId)?.itemId).toBe("chair");
		const model = client.game.GetService("Workspace").FindFirstChild(result.placementId, true) as Model;
		expect(model).toBeDefined();
		expect(model.HasTag("PlacedObject")).toBe(true);
		expect(model.GetAttribute("PlacementId")).toBe(result.placementId);
		expect(model.GetAttribute("OwnerId")).toBe(3001);
		expect(model.GetAttribute("ItemId")).toBe("chair");
		expect(systems.analytics.report().placements).toBe(before + 1);
	});

	it.each([
		["an unknown item", "sofa-of-doom", new Vector3(20, 0, 20), 0, RejectionReason.UnknownItem],
		["NaN", "chair", new Vector3(0 / 0, 0, 20), 0, RejectionReason.InvalidNumber],
		["infinity", "chair", new Vector3(math.huge, 0, 20), 0, RejectionReason.InvalidNumber],
		["-infinity", "chair", new Vector3(20, -math.huge, 20), 0, RejectionReason.InvalidNumber],
		["1e308", "chair", new Vector3(1e308, 0, 20), 0, RejectionReason.InvalidNumber],
		["an off-step rotation", "chair", new Vector3(20, 0, 20), 45, RejectionReason.InvalidRotation],
		["a NaN rotation (refused by the networking guard)", "chair", new Vector3(20, 0, 20), 0 / 0, RejectionReason.InvalidPayload],
		["a position outside the plot", "chair", new Vector3(-10, 0, 20), 0, RejectionReason.OutsidePlot],
		["a footprint crossing the plot edge", "wood-wall", new Vector3(2, 0, 40), 0, RejectionReason.OutsidePlot],
		["a rotated footprint crossing the edge", "wood-wall", new Vector3(40, 0, 2), 90, RejectionReason.OutsidePlot],
		["a position under the floor", "chair", new Vector3(20, -4, 20), 0, RejectionReason.OutsidePlot],
		["the height limit", "tree", new Vector3(50, 40, 50), 0, RejectionReason.TooHigh],
	])("rejects %s with no state change", (_, itemId, position, rotation, reason) => {
		const objects = systems.tracker.totalObjects();
		const rejections = systems.analytics.rejectionCount(reason);
		const result = place(itemId, position, rotation);
		expect(result.success).toBe(false);
		if (result.success) return;
		expect(result.reason).toBe(reason);
		expect(result.message.size()).toBeGreaterThan(0);
		expect(systems.tracker.totalObjects()).toBe(objects);
		expect(systems.analytics.rejectionCount(reason)).toBe(rejections + 1);
	});

	it("rejects an overlapping object", () => {
		expect(place("table", new Vector3(40, 0, 60)).success).toBe(true);
		const result = place("chair", new Vector3(41, 0, 60));
		expect(result.success).toBe(false);
		if (!result.success) expect(result.reason).toBe(RejectionReason.Overlap);
		expect(place("chair", new Vector3(44, 0, 60)).success).toBe(true); // touching edges do not overlap
	});

	it.each([
		["a number as the item", [5, new Vector3(1, 0, 1), 0]],
		["a table pretending to be a Vector3", ["chair", { X: 1, Y: 0, Z: 1 }, 0]],
		["a table pretending to be an Instance", ["chair", { ClassName: "Part", Name: "Fake" }, 0]],
		["missing arguments", ["chair"]],
		["a string rotation", ["chair", new Vector3(1, 0, 1), "90"]],
	])("answers %s with InvalidPayload before any system runs", (_, args) => {
		Headless.seconds(1);
		const objects = systems.tracker.totalObjects();
		const before = systems.analytics.rejectionCount(RejectionReason.InvalidPayload);
		const loose = controller as unknown as { place(...values: unknown[]): { success: boolean; reason?: string } };
		const result = loose.place(...(args as unknown[]));
		expect(result.success).toBe(false);
		expect(result.reason).toBe(RejectionReason.InvalidPayload);
		expect(systems.tracker.totalObjects()).toBe(objects);
		expect(systems.analytics.rejectionCount(RejectionReason.InvalidPayload)).toBe(before + 1);
	});

	it("removes the player's own object and reports NotFound the second time", () => {
		const placed = place("lamp", new Vector3(70, 0, 70));
		expect(placed.success).toBe(true);
		if (!placed.success) return;
		Headless.frames(3);
		expect(controller.ownObjects().has(placed.placementId)).toBe(true);
		expect(controller.remove(placed.placementId).success).toBe(true);
		expect(systems.tracker.get(placed.placementId)).toBeUndefined();
		Headless.frames(3);
		expect(controller.ownObjects().has(placed.placementId)).toBe(false);
		expect(client.game.GetService("Workspace").FindFirstChild(placed.placementId, true)).toBeUndefined();
		const again = controller.remove(placed.placementId);
		expect(again.success).toBe(false);
		if (!again.success) expect(again.reason).toBe(RejectionReason.NotFound);
	});

	it("lets only the owner or an admin remove an object", () => {
		const placed = place("lamp", new Vector3(80, 0, 80));
		expect(placed.success).toBe(true);
		if (!placed.success) return;
		const { controller: other } = joinBuilder(world, server, 3002, "Neighbour");
		const refused = other.remove(placed.placementId);
		expect(refused.success).toBe(false);
		if (!refused.success) expect(refused.reason).toBe(RejectionReason.NotOwner);
		expect(systems.tracker.get(placed.placementId)).toBeDefined();
		const { controller: admin } = joinBuilder(world, server, 9001, "Admin");
		expect(admin.remove(placed.placementId).success).toBe(true);
		expect(systems.tracker.get(placed.placementId)).toBeUndefined();
	});

	it("resolves two requests for the same space in one frame: the first wins, the other gets Conflict", () => {
		Headless.seconds(1);
		const results: { success: boolean; reason?: string }[] = [];
		task.spawn(() => results.push(controller.place("table", new Vector3(60, 0, 20), 0)));
		task.spawn(() => results.push(controller.place("table", new Vector3(61, 0, 20), 0)));
		Headless.frames(10);
		expect(results.size()).toBe(2);
		const successes = results.filter((result) => result.success).size();
		expect(successes).toBe(1);
		expect(results.find((result) => !result.success)?.reason).toBe(RejectionReason.Conflict);
	});

	it("refuses requests beyond the rate limit cheaply and counts them", () => {
		Headless.seconds(2);
		const objects = systems.tracker.totalObjects();
		const before = systems.analytics.rejectionCount(RejectionReason.RateLimited);
		const results: { success: boolean; reason?: string }[] = [];
		for (let index = 0; index < 30; index++) {
			task.spawn(() => results.push(controller.place("sofa-of-doom", new Vector3(5, 0, 5), 0)));
		}
		Headless.frames(10);
		expect(results.size()).toBe(30);
		const limited = results.filter((result) => result.reason === RejectionReason.RateLimited).size();
		expect(limited).toBe(30 - 12);
		expect(systems.analytics.rejectionCount(RejectionReason.RateLimited)).toBe(before + limited);
		expect(systems.tracker.totalObjects()).toBe(objects);
	});
});
