import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("TextBox focus and typing on a client peer", () => {
	const world = new World();
	let client: HeadlessClient;
	let input: UserInputService;
	let actions: ContextActionService;
	let screen: ScreenGui;

	beforeAll(() => {
		const server = world.startServer({ empty: true });
		client = world.join(server, { userId: 24, name: "Typist", runScripts: false });
		input = client.game.GetService("UserInputService");
		actions = client.game.GetService("ContextActionService");
		screen = client.create("ScreenGui", client.localPlayer()!.FindFirstChildOfClass("PlayerGui")!);
		screen.IgnoreGuiInset = true;
	});
	afterAll(() => world.stop());

	function box(name: string, y: number): TextBox {
		const made = client.create("TextBox", screen);
		made.Name = name;
		made.Position = UDim2.fromOffset(10, y);
		made.Size = UDim2.fromOffset(300, 30);
		made.Text = "old";
		return made;
	}

	it("focuses a box on a click, takes typed text a character at a time, and submits on Return", () => {
		const field = box("Field", 10);
		const seen: string[] = [];
		// Deferred handlers all read the final text; what counts is one change per character.
		field.GetPropertyChangedSignal("Text").Connect(() => seen.push("text"));
		field.Focused.Connect(() => seen.push("focused"));
		field.FocusLost.Connect((enterPressed, cause) => seen.push(`lost ${enterPressed} ${cause?.KeyCode.Name}`));
		input.TextBoxFocused.Connect((focused) => seen.push(`service focused ${focused.Name}`));
		input.TextBoxFocusReleased.Connect((released) => seen.push(`service released ${released.Name}`));
		const actionCalls: string[] = [];
		actions.BindAction("rotate", () => {
			actionCalls.push("rotate");
		}, false, Enum.KeyCode.Return, Enum.KeyCode.Backspace);
		const processed: boolean[] = [];
		const began = input.InputBegan.Connect((object, gameProcessed) => {
			if (object.UserInputType === Enum.UserInputType.Keyboard) processed.push(gameProcessed);
		});

		expect(() => client.typeText("x")).toThrow("no TextBox has focus");
		client.click(100, 20);
		expect(field.IsFocused()).toBe(true);
		expect(input.GetFocusedTextBox()).toBe(field);
		client.typeText("hey");
		client.pressKey(Enum.KeyCode.Backspace);
		client.typeText("llo");
		client.pressKey(Enum.KeyCode.Return);
		Headless.frames(1);
		expect(field.Text).toBe("hello");
		expect(field.IsFocused()).toBe(false);
		expect(input.GetFocusedTextBox()).toBe(undefined);
		// ClearTextOnFocus (on by default) emptied "old" when the click focused it: the first change.
		expect(seen).toEqual([
			"text",
			"focused",
			"service focused Field",
			...["text", "text", "text", "text", "text", "text", "text"],
			"lost true Return",
			"service released Field",
		]);
		expect(actionCalls).toEqual([]);
		expect(processed).toEqual([true, true]);
		// The key the box took on the way down (Return, which submitted) is its own on the way up too.
		// Once the box let go, Return is the world's again (down and up both reach the action).
		client.pressKey(Enum.KeyCode.Return);
		expect(actionCalls).toEqual(["rotate", "rotate"]);
		actions.UnbindAction("rotate");
		began.Disconnect();
		field.Destroy();
	});

	it("moves focus between boxes and loses it on a click elsewhere or when the box goes", () => {
		const first = box("First", 100);
		first.ClearTextOnFocus = false;
		const second = box("Second", 150);
		const lost: string[] = [];
		for (const made of [first, second]) made.FocusLost.Connect((enterPressed) => lost.push(`${made.Name} ${enterPressed}`));
		first.CaptureFocus();
		expect(first.Text).toBe("old");
		client.typeText(" text");
		expect(first.Text).toBe("old text");
		client.click(100, 160);
		expect(second.IsFocused()).toBe(true);
		client.click(900, 600);
		expect(input.GetFocusedTextBox()).toBe(undefined);
		second.CaptureFocus();
		second.ReleaseFocus(true);
		first.CaptureFocus();
		first.Destroy();
		expect(input.GetFocusedTextBox()).toBe(undefined);
		Headless.frames(1);
		// The destroyed box's connections went with it.
		expect(lost).toEqual(["First false", "Second false", "Second true"]);
		second.Destroy();
	});

	it("fails loudly on typing it does not emulate", () => {
		const field = box("Strict", 200);
		field.CaptureFocus();
		expect(() => client.pressKey(Enum.KeyCode.A)).toThrow("not emulated: pressing Enum.KeyCode.A while a TextBox has focus");
		client.keyUp(Enum.KeyCode.A);
		expect(() => client.typeText("two\nlines")).toThrow("not emulated");
		field.ReleaseFocus();
		field.TextEditable = false;
		expect(() => field.CaptureFocus()).toThrow("TextEditable");
		const loose = client.create("TextBox");
		expect(() => loose.CaptureFocus()).toThrow("outside the local player's PlayerGui");
		field.Destroy();
	});
});
