import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("player input on a client peer", () => {
	const world = new World();
	let server: HeadlessServer;
	let client: HeadlessClient;
	let input: UserInputService;
	let actions: ContextActionService;
	let playerGui: PlayerGui;

	beforeAll(() => {
		server = world.startServer({ empty: true });
		client = world.join(server, { userId: 21, name: "Hands", runScripts: false });
		input = client.game.GetService("UserInputService");
		actions = client.game.GetService("ContextActionService");
		playerGui = client.localPlayer()!.FindFirstChildOfClass("PlayerGui")!;
	});
	afterAll(() => world.stop());

	it("fires UserInputService events for keys and mouse movement, deferred", () => {
		const seen: string[] = [];
		const began = input.InputBegan.Connect((object, processed) => seen.push(`began ${object.KeyCode.Name} ${processed}`));
		const ended = input.InputEnded.Connect((object) => seen.push(`ended ${object.KeyCode.Name} ${object.UserInputState.Name}`));
		const changed = input.InputChanged.Connect((object) =>
			seen.push(`moved ${object.UserInputType.Name} ${object.Position.X},${object.Position.Y} by ${object.Delta.X},${object.Delta.Y}`),
		);
		client.moveMouse(100, 50);
		client.keyDown(Enum.KeyCode.R);
		expect(input.IsKeyDown(Enum.KeyCode.R)).toBe(true);
		expect(seen).toEqual([]);
		Headless.frames(1);
		client.keyUp(Enum.KeyCode.R);
		client.moveMouse(130, 70);
		Headless.frames(1);
		expect(seen).toEqual([
			"moved MouseMovement 100,50 by 100,50",
			"began R false",
			"ended R End",
			"moved MouseMovement 130,70 by 30,20",
		]);
		expect(input.IsKeyDown(Enum.KeyCode.R)).toBe(false);
		expect(input.GetMouseLocation()).toEqual(new Vector2(130, 70));
		expect(input.GetLastInputType().Name).toBe("MouseMovement");
		began.Disconnect();
		ended.Disconnect();
		changed.Disconnect();
	});

	it("runs bound actions: highest priority, then the most recent binding; Pass hands the input on", () => {
		const calls: string[] = [];
		actions.BindAction("first", (name, state) => {
			calls.push(`${name} ${state.Name}`);
			return Enum.ContextActionResult.Sink;
		}, false, Enum.KeyCode.E);
		actions.BindAction("second", (name, state) => {
			calls.push(`${name} ${state.Name}`);
			return Enum.ContextActionResult.Pass;
		}, false, Enum.KeyCode.E);
		client.pressKey(Enum.KeyCode.E);
		expect(calls).toEqual(["second Begin", "first Begin", "second End", "first End"]);

		calls.clear();
		actions.BindActionAtPriority("low", () => {
			calls.push("low");
			return Enum.ContextActionResult.Sink;
		}, false, 1, Enum.KeyCode.E);
		actions.BindActionAtPriority("high", () => {
			calls.push("high");
			return undefined; // nothing returned sinks the input
		}, false, 5000, Enum.KeyCode.E);
		client.keyDown(Enum.KeyCode.E);
		expect(calls).toEqual(["high"]);
		actions.UnbindAction("high");
		client.keyUp(Enum.KeyCode.E);
		expect(calls).toEqual(["high", "second End", "first End"]);
		expect((actions.GetBoundActionInfo("low") as { priorityLevel?: number }).priorityLevel).toBe(1);
		actions.UnbindAllActions();
		calls.clear();
		client.pressKey(Enum.KeyCode.E);
		expect(calls).toEqual([]);
	});

	it("lets GUI buttons take the clicks over them; other clicks reach the world's actions", () => {
		const screen = client.create("ScreenGui", playerGui);
		screen.IgnoreGuiInset = true;
		const button = client.create("TextButton", screen);
		button.Size = UDim2.fromOffset(100, 40);
		button.Position = UDim2.fromOffset(10, 10);
		const events: string[] = [];
		button.Activated.Connect(() => events.push("activated"));
		button.MouseButton1Click.Connect(() => events.push("click"));
		const processedFlags: boolean[] = [];
		const began = input.InputBegan.Connect((object, processed) => {
			if (object.UserInputType === Enum.UserInputType.MouseButton1) processedFlags.push(processed);
		});
		const worldClicks: string[] = [];
		actions.BindAction("place", (_, state) => {
			worldClicks.push(state.Name);
		}, false, Enum.UserInputType.MouseButton1);

		client.click(50, 30);
		Headless.frames(1);
		expect(events).toEqual(["click", "activated"]);
		expect(worldClicks).toEqual([]);

		client.click(500, 400);
		Headless.frames(1);
		expect(events).toEqual(["click", "activated"]);
		expect(worldClicks).toEqual(["Begin", "End"]);
		expect(processedFlags).toEqual([true, false]);

		// Pressed on the button, released elsewhere: no click.
		client.moveMouse(50, 30);
		client.mouseDown();
		client.moveMouse(600, 30);
		client.mouseUp();
		Headless.frames(1);
		expect(events).toEqual(["click", "activated"]);

		button.Visible = false;
		client.click(50, 30);
		Headless.frames(1);
		expect(events).toEqual(["click", "activated"]);
		// The release away from the button is world input again; the hidden button takes nothing.
		expect(worldClicks).toEqual(["Begin", "End", "End", "Begin", "End"]);
		actions.UnbindAction("place");
		began.Disconnect();
		screen.Destroy();
	});

	it("delivers gamepad buttons as Gamepad1 input to the actions bound to their KeyCode", () => {
		const calls: string[] = [];
		actions.BindAction("use", (name, state, object) => {
			calls.push(`${name} ${state.Name} ${object.UserInputType.Name} ${object.KeyCode.Name}`);
			return Enum.ContextActionResult.Sink;
		}, false, Enum.KeyCode.E, Enum.KeyCode.ButtonX);
		const began: string[] = [];
		const connection = input.InputBegan.Connect((object, processed) => began.push(`${object.KeyCode.Name} ${processed}`));
		expect(input.GamepadEnabled).toBe(false);
		client.keyDown(Enum.KeyCode.ButtonX);
		expect(input.IsGamepadButtonDown(Enum.UserInputType.Gamepad1, Enum.KeyCode.ButtonX)).toBe(true);
		expect(input.IsKeyDown(Enum.KeyCode.ButtonX)).toBe(false);
		client.keyUp(Enum.KeyCode.ButtonX);
		client.pressKey(Enum.KeyCode.ButtonY);
		Headless.frames(1);
		expect(calls).toEqual(["use Begin Gamepad1 ButtonX", "use End Gamepad1 ButtonX"]);
		expect(began).toEqual(["ButtonX false", "ButtonY false"]);
		expect(input.GamepadEnabled).toBe(true);
		expect(input.GetConnectedGamepads().map((gamepad) => gamepad.Name)).toEqual(["Gamepad1"]);
		expect(() => client.keyDown(Enum.KeyCode.Thumbstick1)).toThrow("not emulated");
		actions.UnbindAction("use");
		connection.Disconnect();
	});

	it("fails loudly on input it does not emulate", () => {
		expect(() => client.moveMouse(5000, 10)).toThrow("outside the 1280x720 viewport");
		expect(() => client.keyUp(Enum.KeyCode.Z)).toThrow("already up");
		const player = client.localPlayer()! as unknown as { GetMouse(): unknown };
		expect(() => player.GetMouse()).toThrow("GetMouse");
		const serverInput = server.game.GetService("UserInputService");
		expect(() => serverInput.GetMouseLocation()).toThrow("not emulated: player input on a server");
		expect(() => (input as unknown as { TouchPinch: unknown }).TouchPinch).toThrow("not emulated");
	});
});
