import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { waitUntil, World } from "../../harness/world";
import { joinBuilder, systemsOf } from "../placement/placement-world";
import { BuildSession } from "./build-session";

/** React-Roblox's map from the instances it made to their fibers, in the client's own copy of React. */
interface ComponentTree {
	/** The fiber that made the instance (or, for an instance React did not make, its nearest ancestor's). */
	readonly getClosestInstanceFromNode: (this: void, instance: Instance) => { type?: unknown; stateNode?: unknown } | undefined;
}
const COMPONENT_TREE = "ReplicatedStorage.rbxts_include.node_modules.@rbxts.ReactLua.node_modules.@jsdotlua.react-roblox.client.ReactRobloxComponentTree";

describe("the build HUD is React, and a gamepad drives the build tools", () => {
	const world = new World();
	let server: HeadlessServer;
	let cid: BuildSession;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		cid = new BuildSession(joinBuilder(world, server, 1501, "Cid").client);
	});
	afterAll(() => world.stop());

	it("is mounted by React-Roblox: a placement re-renders the slot's count in place, nothing is made again", () => {
		const tree = cid.client.requirePath(COMPONENT_TREE) as ComponentTree;
		const hotbar = cid.hud.FindFirstChild("Hotbar") as Frame;
		const slot = cid.slot(3);
		const count = slot.FindFirstChild("Count") as TextLabel;
		const otherCount = cid.slot(1).FindFirstChild("Count") as TextLabel;
		expect(tree.getClosestInstanceFromNode(hotbar)?.type).toBe("Frame");
		expect(tree.getClosestInstanceFromNode(hotbar)?.stateNode).toBe(hotbar);
		expect(tree.getClosestInstanceFromNode(count)?.stateNode).toBe(count);
		// An Instance outside React's tree has no fiber.
		const playerGui = cid.hud.Parent!;
		const handMade = cid.client.create("ScreenGui", playerGui);
		expect(tree.getClosestInstanceFromNode(handMade)).toBeUndefined();
		handMade.Destroy();
		const madeBefore = cid.hud.GetDescendants().size();

		const added: string[] = [];
		const connection = cid.hud.DescendantAdded.Connect((instance) => added.push(instance.GetFullName()));
		const countChanges: string[] = [];
		count.GetPropertyChangedSignal("Text").Connect(() => countChanges.push(count.Text));
		const untouched: string[] = [];
		otherCount.GetPropertyChangedSignal("Text").Connect(() => untouched.push(otherCount.Text));

		cid.client.pressKey(Enum.KeyCode.Three);
		cid.aimAt(new Vector3(10, 0, 20));
		cid.click();
		waitUntil(() => count.Text === "1 / 50", 2, "the count to re-render");
		Headless.frames(1);
		expect(systemsOf(server).tracker.ownedBy(1501).size()).toBe(1);
		expect(cid.hud.FindFirstChild("Hotbar")).toBe(hotbar);
		expect(cid.slot(3)).toBe(slot);
		expect(slot.FindFirstChild("Count")).toBe(count);
		expect(countChanges).toEqual(["1 / 50"]);
		expect(untouched).toEqual([]);
		expect(added).toEqual([]);
		expect(cid.hud.GetDescendants().size()).toBe(madeBefore);
		connection.Disconnect();
		cid.client.pressKey(Enum.KeyCode.Q);
		Headless.frames(1);
	});

	it("moving the ghost around the plot changes nothing in the HUD", () => {
		cid.client.pressKey(Enum.KeyCode.Three);
		cid.aimAt(new Vector3(50, 0, 50));
		const changes: string[] = [];
		const connections = cid.hud
			.GetDescendants()
			.map((instance) => (instance.Changed as RBXScriptSignal<(property: string) => void>).Connect((property) => changes.push(`${instance.Name}.${property}`)));
		const start = cid.ghost()!.CFrame.Position;
		for (let step = 0; step < 10; step++) cid.aimAt(new Vector3(50 + step * 2.5, 0, 50 + step));
		// The preview moved through ten cells; the HUD shows none of that.
		expect(cid.ghost()!.CFrame.Position.sub(start).Magnitude).toBeGreaterThan(20);
		expect(changes).toEqual([]);
		for (const connection of connections) connection.Disconnect();
		cid.client.pressKey(Enum.KeyCode.Q);
		Headless.frames(1);
	});

	it("with a gamepad: the shoulder button picks an item, X turns it, the trigger places, Y removes, B leaves", () => {
		const placed = () => systemsOf(server).tracker.ownedBy(1501).size();
		const before = placed();
		cid.client.pressKey(Enum.KeyCode.ButtonR1);
		cid.aimAt(new Vector3(40, 0, 40));
		expect(cid.status()).toMatch("Building");
		expect(cid.ghost()).toBeDefined();
		cid.client.pressKey(Enum.KeyCode.ButtonX);
		Headless.frames(1);
		expect(cid.status()).toMatch("90°");
		cid.client.pressKey(Enum.KeyCode.ButtonR2);
		Headless.frames(6);
		expect(placed()).toBe(before + 1);
		let wall: TrackedPlacement | undefined;
		for (const [, placement] of systemsOf(server).tracker.ownedBy(1501)) {
			if (placement.position === new Vector3(40, 0, 40)) wall = placement;
		}
		expect(wall?.itemId).toBe("wood-wall");
		expect(wall?.rotation).toBe(90);

		cid.client.pressKey(Enum.KeyCode.ButtonY);
		cid.aimAt(new Vector3(40, 1, 40));
		expect(cid.status()).toMatch("Removing");
		cid.client.pressKey(Enum.KeyCode.ButtonR2);
		Headless.frames(6);
		expect(placed()).toBe(before);
		cid.client.pressKey(Enum.KeyCode.ButtonB);
		Headless.frames(1);
		expect(cid.status()).toMatch("Press 1");
	});
});
