import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("touch input on a client that is a touch device", () => {
	const world = new World();
	let server: HeadlessServer;
	let phone: HeadlessClient;
	let desktop: HeadlessClient;
	let input: UserInputService;
	let actions: ContextActionService;
	let playerGui: PlayerGui;

	beforeAll(() => {
		server = world.startServer({ empty: true });
		phone = world.join(server, { userId: 31, name: "Thumbs", runScripts: false, touch: true });
		desktop = world.join(server, { userId: 32, name: "Desk", runScripts: false });
		input = phone.game.GetService("UserInputService");
		actions = phone.game.GetService("ContextActionService");
		playerGui = phone.localPlayer()!.FindFirstChildOfClass("PlayerGui")!;
	});
	afterAll(() => world.stop());

	it("reports a touch device: TouchEnabled, no mouse or keyboard, and mouse or keys fail loudly", () => {
		expect(input.TouchEnabled).toBe(true);
		expect(input.MouseEnabled).toBe(false);
		expect(input.KeyboardEnabled).toBe(false);
		const desktopInput = desktop.game.GetService("UserInputService");
		expect(desktopInput.TouchEnabled).toBe(false);
		expect(desktopInput.MouseEnabled).toBe(true);
		expect(() => phone.moveMouse(10, 10)).toThrow("touch device");
		expect(() => phone.click()).toThrow("touch device");
		expect(() => phone.pressKey(Enum.KeyCode.R)).toThrow("touch device");
		expect(() => desktop.tap(10, 10)).toThrow("not a touch device");
		expect(() => phone.tap(2000, 10)).toThrow("outside the 1280x720 viewport");
	});

	it("fires a tap on the world as Roblox does: began, ended, then TouchTap, and runs Touch actions", () => {
		const seen: string[] = [];
		const began = input.InputBegan.Connect((object, processed) =>
			seen.push(`began ${object.UserInputType.Name} ${object.Position.X},${object.Position.Y} ${processed}`),
		);
		const started = input.TouchStarted.Connect((object, processed) => seen.push(`touchStarted ${processed}`));
		const ended = input.InputEnded.Connect((object, processed) => seen.push(`ended ${object.UserInputState.Name} ${processed}`));
		const touchEnded = input.TouchEnded.Connect((object, processed) => seen.push(`touchEnded ${processed}`));
		const tapped = input.TouchTap.Connect((positions, processed) =>
			seen.push(`tap ${positions.size()} ${positions[0].X},${positions[0].Y} ${processed}`),
		);
		const worldTaps: string[] = [];
		actions.BindAction("aim", (_, state, object) => {
			worldTaps.push(`${state.Name} ${object.Position.X},${object.Position.Y}`);
		}, false, Enum.UserInputType.Touch);

		phone.tap(300, 200);
		expect(seen).toEqual([]);
		Headless.frames(1);
		expect(seen).toEqual([
			"began Touch 300,200 false",
			"touchStarted false",
			"ended End false",
			"touchEnded false",
			"tap 1 300,200 false",
		]);
		expect(worldTaps).toEqual(["Begin 300,200", "End 300,200"]);
		expect(input.GetLastInputType().Name).toBe("Touch");
		actions.UnbindAction("aim");
		for (const connection of [began, started, ended, touchEnded, tapped]) connection.Disconnect();
	});

	it("gives a tap over a GUI button to the button (Activated), marked processed, not to the world", () => {
		const screen = phone.create("ScreenGui", playerGui);
		screen.IgnoreGuiInset = true;
		const button = phone.create("TextButton", screen);
		button.Size = UDim2.fromOffset(100, 40);
		button.Position = UDim2.fromOffset(10, 10);
		const events: string[] = [];
		button.Activated.Connect((object) => events.push(`activated ${object.UserInputType.Name}`));
		button.MouseButton1Click.Connect(() => events.push("click"));
		const taps: boolean[] = [];
		const tapped = input.TouchTap.Connect((_, processed) => taps.push(processed));
		const worldTaps: string[] = [];
		actions.BindAction("aim", (_, state) => {
			worldTaps.push(state.Name);
		}, false, Enum.UserInputType.Touch);

		phone.tap(50, 30);
		Headless.frames(1);
		expect(events).toEqual(["click", "activated Touch"]);
		expect(taps).toEqual([true]);
		expect(worldTaps).toEqual([]);
		actions.UnbindAction("aim");
		tapped.Disconnect();
		screen.Destroy();
	});

	it("makes touch buttons for actions bound with createTouchButton, only on a touch device", () => {
		const calls: string[] = [];
		actions.BindAction("jumpAhead", (name, state, object) => {
			calls.push(`${name} ${state.Name} ${object.UserInputType.Name}`);
			return Enum.ContextActionResult.Sink;
		}, true, Enum.KeyCode.E);
		actions.BindAction("noButton", () => Enum.ContextActionResult.Sink, false, Enum.KeyCode.F);
		const button = actions.GetButton("jumpAhead") as ImageButton;
		expect(button).toBeDefined();
		expect(button.ClassName).toBe("ImageButton");
		expect(button.Name).toBe("ContextActionButton");
		expect(button.Parent!.Name).toBe("ContextButtonFrame");
		expect(button.Parent!.Parent!.Name).toBe("ContextActionGui");
		expect(button.Parent!.Parent!.Parent).toBe(playerGui);
		expect(actions.GetButton("noButton")).toBeUndefined();
		expect((actions.GetBoundActionInfo("jumpAhead") as BoundActionInfo).createTouchButton).toBe(true);

		actions.SetTitle("jumpAhead", "Jump");
		actions.SetPosition("jumpAhead", new UDim2(0, 10, 0, 20));
		expect((button.FindFirstChild("ActionTitle") as TextLabel).Text).toBe("Jump");
		expect(button.Position).toEqual(new UDim2(0, 10, 0, 20));
		// The frame covers the lower right: x from 896, y from 360; the button is 72 px square.
		expect(button.AbsoluteSize).toEqual(new Vector2(72, 72));
		expect(button.AbsolutePosition).toEqual(new Vector2(906, 380));
		// On an action without a button (as on a device without touch) they change nothing.
		actions.SetTitle("noButton", "Nothing");
		actions.SetPosition("noButton", new UDim2(0, 0, 0, 0));

		const taps: boolean[] = [];
		const tapped = input.TouchTap.Connect((_, processed) => taps.push(processed));
		phone.tap(906 + 35, 380 + 35);
		Headless.frames(1);
		expect(calls).toEqual(["jumpAhead Begin Touch", "jumpAhead End Touch"]);
		expect(taps).toEqual([true]);
		tapped.Disconnect();

		actions.UnbindAction("jumpAhead");
		expect(actions.GetButton("jumpAhead")).toBeUndefined();
		expect(button.Parent).toBeUndefined();
		actions.UnbindAction("noButton");

		const desktopActions = desktop.game.GetService("ContextActionService");
		desktopActions.BindAction("jumpAhead", () => Enum.ContextActionResult.Sink, true, Enum.KeyCode.E);
		expect(desktopActions.GetButton("jumpAhead")).toBeUndefined();
		desktopActions.SetTitle("jumpAhead", "Jump");
		expect(desktop.localPlayer()!.FindFirstChildOfClass("PlayerGui")!.FindFirstChild("ContextActionGui")).toBeUndefined();
		desktopActions.UnbindAction("jumpAhead");
	});

	it("places further buttons at free spots and fails loudly on what it does not emulate", () => {
		actions.BindAction("one", () => Enum.ContextActionResult.Sink, true, Enum.KeyCode.E);
		actions.BindAction("two", () => Enum.ContextActionResult.Sink, true, Enum.KeyCode.F);
		const one = actions.GetButton("one")!;
		const two = actions.GetButton("two")!;
		expect(one.AbsolutePosition === two.AbsolutePosition).toBe(false);
		expect(() => actions.SetPosition("one", "left" as unknown as UDim2)).toThrow("UDim2");
		const box = phone.create("TextBox", phone.create("ScreenGui", playerGui));
		(box.Parent as ScreenGui).IgnoreGuiInset = true;
		box.Size = UDim2.fromOffset(100, 40);
		expect(() => phone.tap(20, 20)).toThrow("not emulated: a tap on a TextBox");
		box.Parent!.Destroy();
		for (const name of ["three", "four", "five", "six", "seven"]) {
			actions.BindAction(name, () => Enum.ContextActionResult.Sink, true, Enum.KeyCode.G);
		}
		expect(() => actions.BindAction("eight", () => Enum.ContextActionResult.Sink, true, Enum.KeyCode.H)).toThrow("more than 7 touch buttons");
		actions.UnbindAllActions();
		expect(one.Parent).toBeUndefined();
		expect(two.Parent).toBeUndefined();
	});

	it("switches a client to a touch device and back with setTouchEnabled (buttons go with it)", () => {
		const desktopInput = desktop.game.GetService("UserInputService");
		const desktopActions = desktop.game.GetService("ContextActionService");
		desktop.setTouchEnabled(true);
		expect(desktopInput.TouchEnabled).toBe(true);
		expect(desktopInput.MouseEnabled).toBe(false);
		desktopActions.BindAction("wave", () => Enum.ContextActionResult.Sink, true, Enum.KeyCode.E);
		const button = desktopActions.GetButton("wave")!;
		expect(button).toBeDefined();
		desktop.setTouchEnabled(false);
		expect(desktopInput.TouchEnabled).toBe(false);
		expect(desktopActions.GetButton("wave")).toBeUndefined();
		expect(button.Parent).toBeUndefined();
		desktop.moveMouse(5, 5);
		desktopActions.UnbindAction("wave");
	});
});
