import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

/**
 * Clone shares its property, attribute and tag tables with the template copy-on-write, and a
 * replication snapshot shares them with the server instance: these pin that no write through one
 * sharer is seen by another, and that what clients receive is still complete and their own.
 */
describe("Clone and replication of shared instance data", () => {
	const world = new World();
	let server: HeadlessServer;
	let first: HeadlessClient;
	let second: HeadlessClient;
	let placed: Folder;

	/** A catalog-like model: a primary part, a second part, a reference value, an attribute and a tag. */
	function catalogModel(): Model {
		const model = server.create("Model") as Model;
		model.Name = "Table";
		model.SetAttribute("ItemId", "table");
		model.AddTag("Placeable");
		const body = server.create("Part", model) as Part;
		body.Name = "Body";
		body.Size = new Vector3(4, 1, 2);
		body.Color = Color3.fromRGB(120, 80, 40);
		body.Anchored = true;
		body.SetAttribute("Material", "Wood");
		const leg = server.create("Part", model) as Part;
		leg.Name = "Leg";
		leg.Size = new Vector3(0.5, 3, 0.5);
		model.PrimaryPart = body;
		const link = server.create("ObjectValue", model) as ObjectValue;
		link.Name = "Support";
		link.Value = leg;
		return model;
	}

	beforeAll(() => {
		server = world.startServer({ empty: true });
		first = world.join(server, { userId: 61, name: "First", runScripts: false });
		second = world.join(server, { userId: 62, name: "Second", runScripts: false });
		placed = server.create("Folder", server.game.GetService("Workspace")) as Folder;
		placed.Name = "Placed";
		Headless.frames(2);
	});
	afterAll(() => world.stop());

	it("keeps a clone, its template and other clones independent after any of them is written", () => {
		const template = catalogModel();
		const copy = template.Clone();
		const other = template.Clone();
		const copyBody = copy.FindFirstChild("Body") as Part;
		copyBody.Size = new Vector3(8, 1, 2);
		copyBody.SetAttribute("Material", "Metal");
		copy.AddTag("Sold");
		copy.RemoveTag("Placeable");
		expect((template.FindFirstChild("Body") as Part).Size).toEqual(new Vector3(4, 1, 2));
		expect((template.FindFirstChild("Body") as Part).GetAttribute("Material")).toBe("Wood");
		expect(template.HasTag("Placeable")).toBe(true);
		expect(template.HasTag("Sold")).toBe(false);
		(template.FindFirstChild("Body") as Part).Color = Color3.fromRGB(0, 0, 255);
		template.SetAttribute("ItemId", "desk");
		expect((other.FindFirstChild("Body") as Part).Color).toEqual(Color3.fromRGB(120, 80, 40));
		expect(other.GetAttribute("ItemId")).toBe("table");
		expect((other.FindFirstChild("Body") as Part).Size).toEqual(new Vector3(4, 1, 2));
		expect(copyBody.Color).toEqual(Color3.fromRGB(120, 80, 40));
		expect(copy.GetTags()).toEqual(["Sold"]);
	});

	it("fires change signals of a clone made before anything listened", () => {
		const copy = catalogModel().Clone();
		const body = copy.FindFirstChild("Body") as Part;
		const seen: string[] = [];
		body.GetPropertyChangedSignal("Size").Connect(() => seen.push("Size"));
		(body as unknown as { Changed: RBXScriptSignal<(property: string) => void> }).Changed.Connect((property) => seen.push(`Changed ${property}`));
		copy.AttributeChanged.Connect((name) => seen.push(`Attribute ${name}`));
		body.Size = new Vector3(1, 1, 1);
		copy.SetAttribute("ItemId", "stool");
		Headless.frames(1);
		seen.sort();
		expect(seen).toEqual(["Attribute ItemId", "Changed Size", "Size"]);
	});

	it("points references into the cloned subtree at the copies and keeps references outside it", () => {
		const template = catalogModel();
		const outside = server.create("Part") as Part;
		const pointer = server.create("ObjectValue", template) as ObjectValue;
		pointer.Name = "Outside";
		pointer.Value = outside;
		const copy = template.Clone();
		expect(copy.PrimaryPart).toBe(copy.FindFirstChild("Body"));
		expect((copy.FindFirstChild("Support") as ObjectValue).Value).toBe(copy.FindFirstChild("Leg"));
		expect((copy.FindFirstChild("Outside") as ObjectValue).Value).toBe(outside);
		expect(template.PrimaryPart).toBe(template.FindFirstChild("Body"));
	});

	it("gives every client a complete replica of a parented clone, each its own to change", () => {
		const copy = catalogModel().Clone();
		copy.Name = "Replicated";
		copy.Parent = placed;
		Headless.frames(2);
		for (const client of [first, second]) {
			const replica = client.game.GetService("Workspace").FindFirstChild("Placed")!.FindFirstChild("Replicated") as Model;
			expect(replica).toBeDefined();
			const body = replica.FindFirstChild("Body") as Part;
			expect(body.Size).toEqual(new Vector3(4, 1, 2));
			expect(body.Color).toEqual(Color3.fromRGB(120, 80, 40));
			expect(body.Anchored).toBe(true);
			expect(body.GetAttribute("Material")).toBe("Wood");
			expect(replica.GetAttribute("ItemId")).toBe("table");
			expect(replica.HasTag("Placeable")).toBe(true);
			expect(replica.PrimaryPart).toBe(body);
			expect((replica.FindFirstChild("Support") as ObjectValue).Value).toBe(replica.FindFirstChild("Leg"));
		}
		const firstReplica = first.game.GetService("Workspace").FindFirstChild("Placed")!.FindFirstChild("Replicated") as Model;
		const secondReplica = second.game.GetService("Workspace").FindFirstChild("Placed")!.FindFirstChild("Replicated") as Model;
		firstReplica.SetAttribute("ItemId", "local");
		firstReplica.AddTag("Hovered");
		(firstReplica.FindFirstChild("Body") as Part).Transparency = 0.5;
		expect(secondReplica.GetAttribute("ItemId")).toBe("table");
		expect(secondReplica.HasTag("Hovered")).toBe(false);
		expect((secondReplica.FindFirstChild("Body") as Part).Transparency).toBe(0);
		expect(copy.GetAttribute("ItemId")).toBe("table");
		expect((copy.FindFirstChild("Body") as Part).Transparency).toBe(0);
		copy.Destroy();
	});

	it("sends a server change made after parenting, without touching the snapshot already queued", () => {
		const copy = catalogModel().Clone();
		copy.Name = "Moved";
		copy.Parent = placed;
		(copy.FindFirstChild("Body") as Part).Size = new Vector3(9, 9, 9);
		copy.SetAttribute("ItemId", "moved");
		Headless.frames(2);
		const replica = first.game.GetService("Workspace").FindFirstChild("Placed")!.FindFirstChild("Moved") as Model;
		expect((replica.FindFirstChild("Body") as Part).Size).toEqual(new Vector3(9, 9, 9));
		expect(replica.GetAttribute("ItemId")).toBe("moved");
		copy.Destroy();
	});

	it("destroys a model as one piece: detached first, every descendant unparented and locked, gone from the clients", () => {
		const copy = catalogModel().Clone();
		copy.Name = "Doomed";
		copy.Parent = placed;
		Headless.frames(2);
		const removing: string[] = [];
		const ancestry: string[] = [];
		const connection = placed.DescendantRemoving.Connect((item) => removing.push(item.Name));
		const body = copy.FindFirstChild("Body") as Part;
		body.AncestryChanged.Connect((child, parent) => ancestry.push(`${child.Name} -> ${parent === undefined ? "nil" : parent.Name}`));
		copy.Destroy();
		Headless.frames(2);
		connection.Disconnect();
		expect(removing).toEqual(["Doomed", "Body", "Leg", "Support"]);
		expect(ancestry).toEqual(["Doomed -> nil", "Body -> nil"]);
		expect(copy.Parent).toBeUndefined();
		expect(body.Parent).toBeUndefined();
		expect(() => (body.Parent = placed)).toThrow("The Parent property of Body is locked");
		for (const client of [first, second]) {
			expect(client.game.GetService("Workspace").FindFirstChild("Placed")!.FindFirstChild("Doomed")).toBeUndefined();
		}
	});

	it("shows scripts an Instance as Roblox does: locked userdata of type Instance", () => {
		const part = server.create("Part") as Part;
		expect(getmetatable(part)).toBe("The metatable is locked");
		expect(typeIs(part, "userdata")).toBe(true);
		expect(typeOf(part)).toBe("Instance");
		expect(tostring(part)).toBe("Part");
	});
});
