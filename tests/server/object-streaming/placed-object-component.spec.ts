import type { Components } from "@flamework/components";
import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { PlacedObjectComponent } from "client/object-streaming/placed-object-component";
import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { clientPoolsOf, clientStreamingOf, placeData, streamingOf, trackerOf, walkTo } from "./streaming-world";

const COMPONENTS = "ReplicatedStorage.rbxts_include.node_modules.@flamework.components.out";
const OBJECT_ATTRIBUTES = ["Handle", "OwnerId", "ItemId", "PlacementId"];

/** The client's component registry and the PlacedObjectComponent class its scripts use. */
function componentsOf(client: HeadlessClient) {
	const components = singletonOf<Components>(client, COMPONENTS, "Components");
	const name = client.localPlayer()!.Name;
	const module = client.requirePath(`Players.${name}.PlayerScripts.TS.object-streaming.placed-object-component`) as {
		PlacedObjectComponent: new (...args: never[]) => PlacedObjectComponent;
	};
	return { components, ctor: module.PlacedObjectComponent };
}

/** Idle models of one item in the client's pools. */
function idleOf(client: HeadlessClient, itemId: string): number {
	return clientPoolsOf(client).report().items.find((item) => item.itemId === itemId)?.idle ?? 0;
}

/** What the model still carries of the object it showed: attributes, tag, highlight. */
function leftovers(model: Model): string[] {
	const found: string[] = [];
	for (const name of OBJECT_ATTRIBUTES) if (model.GetAttribute(name) !== undefined) found.push(`attribute ${name}`);
	if (model.HasTag("PlacedObject")) found.push("tag PlacedObject");
	if (model.FindFirstChildWhichIsA("Highlight", true) !== undefined) found.push("highlight");
	return found;
}

describe("PlacedObjectComponent owns each streamed object's model", () => {
	const world = new World();
	let server: HeadlessServer;
	let client: HeadlessClient;
	const placed: TrackedPlacement[] = [];

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		expect(streamingOf(server).configure({ serverMillisecondsPerFrame: 1000 }).success).toBe(true);
		client = world.join(server, { userId: 7401, name: "Viewer" });
		Headless.frames(5);
		walkTo(client, -1500, -1500);
		Headless.frames(3);
		const tracker = trackerOf(server);
		for (let index = 0; index < 12; index++) placed.push(placeData(tracker, 950500, -1510 + index * 4, -1500));
		// One of the viewer's own objects, which carries its placement id.
		placed.push(placeData(tracker, 7401, -1500, -1490, "chair"));
		waitUntil(() => clientStreamingOf(client).heldObjects().size() >= placed.size(), 5, "the objects to stream in");
	});
	afterAll(() => world.stop());

	it("constructs a component for every model the client shows, which sets the model's attributes, tag and place", () => {
		const { components, ctor } = componentsOf(client);
		const streaming = clientStreamingOf(client);
		const held = streaming.heldObjects();
		expect(held.size()).toBe(placed.size());
		expect(streaming.renderedCount()).toBe(held.size());
		for (const [handle, object] of held) {
			const model = streaming.modelOf(handle)!;
			const component = components.getComponent(model, ctor);
			expect(component).toBeDefined();
			expect(component!.instance).toBe(model);
			expect(component!.object!.handle).toBe(handle);
			expect(model.GetAttribute("Handle")).toBe(handle);
			expect(model.GetAttribute("OwnerId")).toBe(object.ownerId);
			expect(model.GetAttribute("ItemId")).toBe(object.itemId);
			expect(model.GetAttribute("PlacementId")).toBe(object.ownerId === 7401 ? object.placementId : undefined);
			expect(model.HasTag("PlacedObject")).toBe(true);
			expect(model.Parent?.Name).toBe("StreamedObjects");
			const at = (model.FindFirstChildWhichIsA("BasePart", true) as BasePart).CFrame.Position;
			expect(math.abs(at.X - object.x) < 0.1 && math.abs(at.Z - object.z) < 0.1).toBe(true);
		}
		const own = [...held].find(([, object]) => object.ownerId === 7401);
		expect(own?.[1].placementId).toBe(placed[placed.size() - 1].id);
	});

	it("removing an object releases its model to its pool through the component: component gone, idle +1, no state left", () => {
		const { components, ctor } = componentsOf(client);
		const streaming = clientStreamingOf(client);
		const target = placed[0];
		const [handle] = [...streaming.heldObjects()].find(([, object]) => object.x === target.worldPosition.X && object.z === target.worldPosition.Z)!;
		const model = streaming.modelOf(handle)!;
		const component = components.getComponent(model, ctor)!;
		component.setHighlighted(true);
		expect(leftovers(model)).toContain("highlight");
		const idleBefore = idleOf(client, target.itemId);
		const inUseBefore = clientPoolsOf(client).report().totalInUse;
		trackerOf(server).remove(target.id);
		Headless.frames(2);
		expect(streaming.modelOf(handle)).toBeUndefined();
		expect(components.getComponent(model, ctor)).toBeUndefined();
		expect(idleOf(client, target.itemId)).toBe(idleBefore + 1);
		expect(clientPoolsOf(client).report().totalInUse).toBe(inUseBefore - 1);
		expect(leftovers(model)).toEqual([]);
		expect(model.Name).toBe(target.itemId);
		expect(model.Parent?.Name).toBe("PooledModels");
		// The same model serves the next object of that item, with a new component.
		const again = placeData(trackerOf(server), 950500, -1490, -1520, target.itemId);
		Headless.frames(2);
		const [newHandle] = [...streaming.heldObjects()].find(([, object]) => object.x === again.worldPosition.X && object.z === again.worldPosition.Z)!;
		expect(streaming.modelOf(newHandle)).toBe(model);
		const fresh = components.getComponent(model, ctor)!;
		expect(fresh).toBeDefined();
		expect(fresh === component).toBe(false);
		expect(model.GetAttribute("Handle")).toBe(newHandle);
		expect(leftovers(model)).never.toContain("highlight");
		expect(idleOf(client, target.itemId)).toBe(idleBefore);
	});

	it("streaming out releases every model through its component: none left with a component or the objects' state", () => {
		const { components, ctor } = componentsOf(client);
		const streaming = clientStreamingOf(client);
		const models: Model[] = [];
		const perItem = new Map<string, number>();
		for (const [handle, object] of streaming.heldObjects()) {
			const model = streaming.modelOf(handle)!;
			models.push(model);
			components.getComponent(model, ctor)!.setHighlighted(true);
			perItem.set(object.itemId, (perItem.get(object.itemId) ?? 0) + 1);
		}
		expect(models.size()).toBe(placed.size());
		const idleBefore = new Map<string, number>();
		for (const [itemId] of perItem) idleBefore.set(itemId, idleOf(client, itemId));
		walkTo(client, 1500, 1500);
		waitUntil(() => streamingOf(server).focusOf(client.player)!.x === 1500, 3, "the walk");
		Headless.frames(3);
		expect(streaming.heldObjects().size()).toBe(0);
		for (const model of models) {
			expect(components.getComponent(model, ctor)).toBeUndefined();
			expect(leftovers(model)).toEqual([]);
			expect(model.Parent?.Name).toBe("PooledModels");
		}
		for (const [itemId, count] of perItem) expect(idleOf(client, itemId)).toBe(idleBefore.get(itemId)! + count);
		expect(clientPoolsOf(client).report().totalInUse).toBe(0);
		expect(clientPoolsOf(client).report().leaks).toEqual([]);
	});
});
