import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type ReactModule from "@rbxts/react";
import type ReactRobloxModule from "@rbxts/react-roblox";
import { waitUntil, World } from "../harness/world";

const PACKAGES = "ReplicatedStorage.rbxts_include.node_modules.@rbxts";

// What React-Roblox's host config needs of the engine, on a client peer's own copy of React
// (the one its LocalScripts would use): Instance.new of GUI classes, property writes, parenting,
// events and property-changed signals, ResetPropertyToDefault, Destroy, and the scheduler's
// task/os.clock (effects run on the frames after a render). A legacy root renders synchronously;
// a concurrent root's work is sliced by os.clock, which counts real CPU time within a frame, so
// how many frames it spans depends on the machine.
describe("React-Roblox mounted on a client peer", () => {
	const world = new World();
	let client: HeadlessClient;
	let playerGui: PlayerGui;
	let React!: typeof ReactModule;
	let ReactRoblox!: typeof ReactRobloxModule;

	beforeAll(() => {
		const server = world.startServer({ runScripts: false });
		client = world.join(server, { userId: 31, name: "Reactor", runScripts: false });
		playerGui = client.localPlayer()!.FindFirstChildOfClass("PlayerGui")!;
		React = client.requirePath(`${PACKAGES}.react`) as typeof ReactModule;
		ReactRoblox = client.requirePath(`${PACKAGES}.react-roblox`) as typeof ReactRobloxModule;
	});
	afterAll(() => world.stop());

	function screen(name: string): ScreenGui {
		const gui = client.create("ScreenGui", playerGui);
		gui.Name = name;
		gui.IgnoreGuiInset = true;
		return gui;
	}

	it("creates the instances, names them by key, and updates them in place on a re-render", () => {
		const gui = screen("Mount");
		const root = ReactRoblox.createLegacyRoot(gui);
		const view = (count: number, tinted: boolean) => (
			<frame key="Bar" Size={UDim2.fromOffset(200, 40)} BackgroundColor3={tinted ? Color3.fromRGB(200, 0, 0) : undefined}>
				<textlabel key="Count" Size={UDim2.fromScale(1, 1)} Text={`${count} placed`} />
			</frame>
		);
		root.render(view(1, true));
		Headless.frames(1);
		const bar = gui.FindFirstChild("Bar") as Frame;
		const count = bar.FindFirstChild("Count") as TextLabel;
		expect(bar.ClassName).toBe("Frame");
		expect(count.Text).toBe("1 placed");
		expect(bar.BackgroundColor3).toEqual(Color3.fromRGB(200, 0, 0));
		expect(count.AbsoluteSize).toEqual(new Vector2(200, 40));

		root.render(view(2, false));
		Headless.frames(1);
		expect(gui.FindFirstChild("Bar")).toBe(bar);
		expect(bar.FindFirstChild("Count")).toBe(count);
		expect(count.Text).toBe("2 placed");
		// A prop that went away goes back to the class default (ResetPropertyToDefault).
		expect(bar.BackgroundColor3).toEqual(client.create("Frame").BackgroundColor3);

		root.unmount();
		Headless.frames(1);
		expect(gui.GetChildren().size()).toBe(0);
		expect(bar.Parent).toBe(undefined);
		expect(() => (bar.Parent = gui)).toThrow();
		gui.Destroy();
	});

	it("connects Event and Change handlers, and state set from them re-renders", () => {
		const gui = screen("Events");
		const root = ReactRoblox.createLegacyRoot(gui);
		const seen: string[] = [];
		function Counter() {
			const [clicks, setClicks] = React.useState(0);
			React.useEffect(() => {
				seen.push(`effect ${clicks}`);
			}, [clicks]);
			return (
				<>
					<textbutton
						key="Button"
						Size={UDim2.fromOffset(100, 50)}
						Text={`${clicks} clicks`}
						Event={{ Activated: () => setClicks(clicks + 1) }}
					/>
					<textbox
						key="Box"
						Position={UDim2.fromOffset(0, 100)}
						Size={UDim2.fromOffset(200, 30)}
						Change={{ Text: (box) => seen.push(`text ${box.Text}`) }}
					/>
				</>
			);
		}
		root.render(<Counter />);
		Headless.frames(2);
		const button = gui.FindFirstChild("Button") as TextButton;
		expect(button.Text).toBe("0 clicks");
		client.click(50, 25);
		Headless.frames(2);
		expect(button.Text).toBe("1 clicks");
		expect(gui.FindFirstChild("Button")).toBe(button);
		(gui.FindFirstChild("Box") as TextBox).Text = "hi";
		Headless.frames(1);
		expect(seen).toEqual(["effect 0", "effect 1", "text hi"]);
		root.unmount();
		gui.Destroy();
	});

	it("commits a concurrent root's render on the frames after it", () => {
		const gui = screen("Concurrent");
		const root = ReactRoblox.createRoot(gui);
		root.render(<textlabel key="Label" Text="later" />);
		expect(gui.FindFirstChild("Label")).toBe(undefined);
		waitUntil(() => gui.FindFirstChild("Label") !== undefined, 1, "the concurrent commit");
		expect((gui.FindFirstChild("Label") as TextLabel).Text).toBe("later");
		root.unmount();
		gui.Destroy();
	});

	it("fails loudly on a property the engine does not know", () => {
		const gui = screen("Unknown");
		const root = ReactRoblox.createLegacyRoot(gui);
		expect(() => root.render(React.createElement("frame", { key: "Odd", NotAProperty: 1 } as never))).toThrow(
			"NotAProperty is not a valid member of Frame",
		);
		gui.Destroy();
	});
});
