import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("GUI layout for the fixed viewport", () => {
	const world = new World();
	let client: HeadlessClient;
	let playerGui: PlayerGui;

	beforeAll(() => {
		const server = world.startServer({ empty: true });
		client = world.join(server, { userId: 23, name: "Screen", runScripts: false });
		playerGui = client.localPlayer()!.FindFirstChildOfClass("PlayerGui")!;
	});
	afterAll(() => world.stop());

	function screen(): ScreenGui {
		const gui = client.create("ScreenGui", playerGui);
		gui.IgnoreGuiInset = true;
		return gui;
	}

	it("places objects by scale, offset and anchor point down from the screen", () => {
		const gui = screen();
		expect(gui.AbsoluteSize).toEqual(new Vector2(1280, 720));
		const bar = client.create("Frame", gui);
		bar.AnchorPoint = new Vector2(0.5, 1);
		bar.Position = new UDim2(0.5, 0, 1, -10);
		bar.Size = new UDim2(0.5, 20, 0, 60);
		expect(bar.AbsoluteSize).toEqual(new Vector2(660, 60));
		expect(bar.AbsolutePosition).toEqual(new Vector2(310, 650));
		const slot = client.create("TextButton", bar);
		slot.Position = new UDim2(0.1, 4, 0, 5);
		slot.Size = new UDim2(0, 50, 1, -10);
		expect(slot.AbsolutePosition).toEqual(new Vector2(310 + 66 + 4, 655));
		expect(slot.AbsoluteSize).toEqual(new Vector2(50, 50));
		gui.Destroy();
	});

	it("sends a click to the topmost button: higher ZIndex, then later siblings, then children", () => {
		const gui = screen();
		const make = (name: string, parent: Instance, z: number) => {
			const button = client.create("TextButton", parent);
			button.Name = name;
			button.Size = UDim2.fromOffset(100, 100);
			button.ZIndex = z;
			return button;
		};
		const under = make("Under", gui, 2);
		const over = make("Over", gui, 1);
		const clicked: string[] = [];
		for (const button of [under, over]) button.Activated.Connect(() => clicked.push(button.Name));
		client.click(10, 10);
		Headless.frames(1);
		expect(clicked).toEqual(["Under"]);
		under.ZIndex = 1;
		client.click(10, 10);
		Headless.frames(1);
		expect(clicked).toEqual(["Under", "Over"]);
		gui.Destroy();
	});

	it("resets a property to its class default, and refuses names that are not properties", () => {
		const gui = screen();
		const label = client.create("TextLabel", gui);
		const fresh = client.create("TextLabel");
		const changed: string[] = [];
		label.GetPropertyChangedSignal("TextSize").Connect(() => changed.push("TextSize"));
		label.TextSize = 40;
		label.Text = "set";
		label.ResetPropertyToDefault("TextSize");
		label.ResetPropertyToDefault("Text");
		Headless.frames(1);
		expect(label.TextSize).toBe(fresh.TextSize);
		expect(label.Text).toBe(fresh.Text);
		expect(changed).toEqual(["TextSize", "TextSize"]);
		expect(() => label.ResetPropertyToDefault("Destroy")).toThrow("is not a valid property name");
		expect(() => label.ResetPropertyToDefault("NoSuchThing")).toThrow("is not a valid property name");
		gui.Destroy();
	});

	it("fails loudly on layout it does not do", () => {
		const gui = screen();
		const list = client.create("Frame", gui);
		client.create("UIListLayout", list);
		const item = client.create("Frame", list);
		expect(() => item.AbsolutePosition).toThrow("not emulated: layout by UIListLayout");
		const inset = client.create("ScreenGui", playerGui);
		const frame = client.create("Frame", inset);
		expect(() => frame.AbsoluteSize).toThrow("IgnoreGuiInset");
		const grown = client.create("Frame", gui);
		grown.AutomaticSize = Enum.AutomaticSize.X;
		expect(() => grown.AbsoluteSize).toThrow("AutomaticSize");
		gui.Destroy();
		inset.Destroy();
	});
});
