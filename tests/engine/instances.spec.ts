import { describe, expect, it } from "@rbxts/jest-globals";
import { CollectionService, ReplicatedStorage } from "@rbxts/services";

describe("Instance API", () => {
	it("keeps instance identity stable, so instances work as map keys", () => {
		const folder = new Instance("Folder");
		const child = new Instance("Part");
		child.Parent = folder;
		const seen = new Map<Instance, string>();
		seen.set(child, "part");
		expect(seen.get(folder.GetChildren()[0])).toBe("part");
		expect(folder.FindFirstChild("Part")).toBe(child);
		expect(typeOf(child)).toBe("Instance");
	});

	it("names, parents and finds instances like the engine", () => {
		const root = new Instance("Folder");
		root.Name = "Root";
		const model = new Instance("Model", root);
		model.Name = "House";
		const part = new Instance("Part", model);
		part.Name = "Door";
		expect(part.ClassName).toBe("Part");
		expect(part.IsA("BasePart")).toBe(true);
		expect(part.IsA("Model")).toBe(false);
		expect(part.GetFullName()).toBe("Root.House.Door");
		expect(root.FindFirstChild("Door")).toBeUndefined();
		expect(root.FindFirstChild("Door", true)).toBe(part);
		expect(root.FindFirstChildWhichIsA("PVInstance")).toBe(model);
		expect(part.FindFirstAncestorOfClass("Folder")).toBe(root);
		expect(part.FindFirstAncestor("House")).toBe(model);
		expect(root.GetDescendants().size()).toBe(2);
		expect(part.IsDescendantOf(root)).toBe(true);
		model.Parent = ReplicatedStorage;
		expect(part.GetFullName()).toBe("ReplicatedStorage.House.Door");
		model.Destroy();
	});

	it("fails loudly on members that do not exist", () => {
		const folder = new Instance("Folder");
		expect(() => (folder as unknown as { Missing: unknown }).Missing).toThrow("is not a valid member of Folder");
		expect(() => new Instance("NoSuchClass" as never)).toThrow('Unable to create an Instance of type "NoSuchClass"');
		expect(() => new Instance("Workspace" as never)).toThrow("Unable to create");
	});

	it("yields in WaitForChild until the child arrives, and times out with nil", () => {
		const folder = new Instance("Folder");
		task.delay(1, () => {
			const child = new Instance("Folder");
			child.Name = "Late";
			child.Parent = folder;
		});
		const started = Headless.now();
		const late = folder.WaitForChild("Late");
		expect(late.Name).toBe("Late");
		expect(Headless.now() - started).toBeGreaterThanOrEqual(1);
		expect(folder.WaitForChild("Never", 0.5)).toBeUndefined();
	});

	it("fires hierarchy events", () => {
		const root = new Instance("Folder");
		const events: string[] = [];
		root.ChildAdded.Connect((child) => events.push(`added ${child.Name}`));
		root.ChildRemoved.Connect((child) => events.push(`removed ${child.Name}`));
		root.DescendantAdded.Connect((item) => events.push(`descendant ${item.Name}`));
		root.DescendantRemoving.Connect((item) => events.push(`removing ${item.Name}`));
		const child = new Instance("Folder");
		child.Name = "Child";
		const grandchild = new Instance("Folder", child);
		grandchild.Name = "Grandchild";
		child.AncestryChanged.Connect((item, parent) => events.push(`ancestry ${item.Name} ${parent?.Name}`));
		child.Parent = root;
		task.wait();
		child.Parent = undefined;
		task.wait();
		expect(events).toEqual([
			"added Child",
			"descendant Child",
			"descendant Grandchild",
			`ancestry Child ${root.Name}`,
			"removing Child",
			"removing Grandchild",
			"removed Child",
			"ancestry Child nil",
		]);
	});

	it("fires Changed and property signals", () => {
		const part = new Instance("Part");
		const changed: string[] = [];
		(part.Changed as RBXScriptSignal<(property: string) => void>).Connect((property) => changed.push(property));
		let nameSignals = 0;
		part.GetPropertyChangedSignal("Name").Connect(() => nameSignals++);
		part.Name = "Renamed";
		part.Name = "Renamed";
		part.Anchored = true;
		task.wait();
		expect(changed).toEqual(["Name", "Anchored"]);
		expect(nameSignals).toBe(1);
		expect(() => part.GetPropertyChangedSignal("Nope" as never)).toThrow("is not a valid property name");
	});

	it("stores attributes with their signals and refuses unsupported values", () => {
		const part = new Instance("Part");
		const changes: string[] = [];
		part.AttributeChanged.Connect((name) => changes.push(name));
		let ownerSignals = 0;
		part.GetAttributeChangedSignal("Owner").Connect(() => ownerSignals++);
		part.SetAttribute("Owner", 42);
		part.SetAttribute("Item", "chair");
		task.wait();
		expect(part.GetAttribute("Owner")).toBe(42);
		expect(part.GetAttributes()).toEqual({ Owner: 42, Item: "chair" });
		expect(changes).toEqual(["Owner", "Item"]);
		expect(ownerSignals).toBe(1);
		expect(() => part.SetAttribute("Bad", {} as never)).toThrow("not a supported attribute type");
		expect(() => part.SetAttribute("RBXName", 1)).toThrow("reserved");
	});

	it("tracks tags in CollectionService for instances in the DataModel", () => {
		const added: Instance[] = [];
		const removed: Instance[] = [];
		CollectionService.GetInstanceAddedSignal("Placed").Connect((item) => added.push(item));
		CollectionService.GetInstanceRemovedSignal("Placed").Connect((item) => removed.push(item));
		const part = new Instance("Part");
		part.AddTag("Placed");
		expect(CollectionService.GetTagged("Placed").size()).toBe(0);
		part.Parent = ReplicatedStorage;
		expect(CollectionService.GetTagged("Placed")).toEqual([part]);
		expect(part.HasTag("Placed")).toBe(true);
		part.Destroy();
		task.wait();
		expect(added).toEqual([part]);
		expect(removed).toEqual([part]);
		expect(CollectionService.GetTagged("Placed").size()).toBe(0);
	});

	it("locks Parent after Destroy and fires Destroying", () => {
		const folder = new Instance("Folder", ReplicatedStorage);
		const child = new Instance("Folder", folder);
		let destroying = false;
		folder.Destroying.Connect(() => (destroying = true));
		folder.Destroy();
		task.wait();
		expect(destroying).toBe(true);
		expect(folder.Parent).toBeUndefined();
		expect(child.Parent).toBeUndefined();
		expect(() => (folder.Parent = ReplicatedStorage)).toThrow("The Parent property of Folder is locked");
	});

	it("refuses circular parenting", () => {
		const outer = new Instance("Folder");
		const inner = new Instance("Folder", outer);
		expect(() => (outer.Parent = inner)).toThrow("circular reference");
		expect(() => (outer.Parent = outer)).toThrow("as its own parent");
	});

	it("clones archivable subtrees with properties, attributes and tags", () => {
		const model = new Instance("Model");
		model.Name = "Chair";
		model.SetAttribute("ItemId", "chair");
		model.AddTag("Furniture");
		const seat = new Instance("Part", model);
		seat.Anchored = true;
		const hidden = new Instance("Part", model);
		hidden.Archivable = false;
		const copy = model.Clone();
		expect(copy).never.toBe(model);
		expect(copy.Name).toBe("Chair");
		expect(copy.Parent).toBeUndefined();
		expect(copy.GetAttribute("ItemId")).toBe("chair");
		expect(copy.HasTag("Furniture")).toBe(true);
		expect(copy.GetChildren().size()).toBe(1);
		expect((copy.GetChildren()[0] as Part).Anchored).toBe(true);
	});

	it("gives ValueBase.Changed the new value", () => {
		const value = new Instance("StringValue");
		const seen: string[] = [];
		value.Changed.Connect((newValue) => seen.push(newValue));
		value.Value = "hello";
		task.wait();
		expect(seen).toEqual(["hello"]);
	});
});
