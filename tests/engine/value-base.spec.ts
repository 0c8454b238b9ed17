import { describe, expect, it } from "@rbxts/jest-globals";

describe("ValueBase objects", () => {
	it("start with Roblox's default Value and the name Value", () => {
		const defaults: [keyof CreatableInstances, unknown][] = [
			["StringValue", ""],
			["IntValue", 0],
			["NumberValue", 0],
			["BoolValue", false],
			["Vector3Value", Vector3.zero],
			["CFrameValue", new CFrame()],
			["Color3Value", new Color3(0, 0, 0)],
		];
		for (const [className, value] of defaults) {
			const instance = new Instance(className) as unknown as ValueBase & { Value: unknown };
			expect([className, instance.Value]).toEqual([className, value]);
			expect(instance.Name).toBe("Value");
		}
		const objectValue = new Instance("ObjectValue");
		expect(objectValue.Value).toBeUndefined();
		expect(objectValue.Name).toBe("Value");
	});

	it("keep a set Value, fire Changed with it, and clone with it", () => {
		const value = new Instance("StringValue");
		const seen: string[] = [];
		value.Changed.Connect((newValue) => seen.push(newValue));
		value.Value = "set";
		task.wait();
		expect(seen).toEqual(["set"]);
		const copy = value.Clone();
		expect(copy.Value).toBe("set");
		expect(copy.Name).toBe("Value");
	});

	it("leave other classes named after their class", () => {
		expect(new Instance("Folder").Name).toBe("Folder");
		expect(new Instance("RemoteEvent").Name).toBe("RemoteEvent");
	});

	it("keep reflected defaults under other custom property entries", () => {
		const folder = new Instance("Folder");
		expect(folder.Archivable).toBe(true);
		const part = new Instance("Part");
		expect(part.Anchored).toBe(false);
	});
});

describe("lower-case aliases and lookups that find nothing", () => {
	it("answer the same before and after many misses", () => {
		const folder = new Instance("Folder");
		const child = new Instance("Folder");
		child.Name = "Child";
		child.Parent = folder;
		for (let index = 0; index < 50; index++) {
			expect(folder.FindFirstChild(`missing${index}`)).toBeUndefined();
			expect(folder.FindFirstAncestor("missing")).toBeUndefined();
			expect(folder.FindFirstChildOfClass("Part")).toBeUndefined();
		}
		const aliased = folder as unknown as { findFirstChild(name: string): Instance | undefined };
		expect(aliased.findFirstChild("Child")).toBe(child);
		expect(folder.FindFirstChild("Child")).toBe(child);
	});
});
