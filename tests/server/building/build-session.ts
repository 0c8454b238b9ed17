import { waitUntil } from "../../harness/world";

/** A person at one client: what they see on screen and in the world, and what they do. */
export class BuildSession {
	readonly origin: Vector3;
	readonly camera: Camera;
	readonly hud: ScreenGui;

	constructor(readonly client: HeadlessClient) {
		const player = client.localPlayer()!;
		const gui = player.FindFirstChildOfClass("PlayerGui")!;
		waitUntil(() => gui.FindFirstChild("BuildHud") !== undefined, 10, "the build HUD");
		this.hud = gui.FindFirstChild("BuildHud") as ScreenGui;
		const plot = this.ownPlot();
		const floor = plot.FindFirstChild("Floor") as Part;
		const centre = floor.CFrame.Position;
		this.origin = new Vector3(centre.X - floor.Size.X / 2, centre.Y + floor.Size.Y / 2, centre.Z - floor.Size.Z / 2);
		this.camera = client.game.GetService("Workspace").CurrentCamera!;
		// Where a person stands to build: above the plot's south edge, looking at its centre.
		this.camera.CFrame = CFrame.lookAt(this.origin.add(new Vector3(48, 70, 140)), this.origin.add(new Vector3(48, 0, 48)));
	}

	ownPlot(): Model {
		const plots = this.client.game.GetService("Workspace").FindFirstChild("Plots")!;
		const userId = this.client.localPlayer()!.UserId;
		return plots.GetChildren().find((plot) => plot.GetAttribute("OwnerId") === userId) as Model;
	}

	/** Moves the mouse onto a plot-relative point and lets a frame render. */
	aimAt(relative: Vector3) {
		const [point, onScreen] = this.camera.WorldToViewportPoint(this.origin.add(relative));
		assert(onScreen, `plot point ${relative} is off screen (${point}, origin ${this.origin}, camera ${this.camera.CFrame})`);
		this.client.moveMouse(point.X, point.Y);
		Headless.frames(1);
	}

	/** Taps a plot-relative point on a touch device and waits for the server's answer, if any. */
	tapAt(relative: Vector3) {
		const [point, onScreen] = this.camera.WorldToViewportPoint(this.origin.add(relative));
		assert(onScreen, `plot point ${relative} is off screen (${point}, origin ${this.origin}, camera ${this.camera.CFrame})`);
		this.client.tap(point.X, point.Y);
		Headless.frames(6);
	}

	/** Taps the middle of a GUI button, as a person on a phone would. */
	tapGui(button: GuiObject) {
		const centre = button.AbsolutePosition.add(button.AbsoluteSize.div(2));
		this.client.tap(centre.X, centre.Y);
		Headless.frames(2);
	}

	/** The on-screen touch button showing `title`, or undefined when none does. */
	touchButton(title: string): ImageButton | undefined {
		const frame = this.hud.Parent!.FindFirstChild("ContextActionGui")?.FindFirstChild("ContextButtonFrame");
		return frame?.GetChildren().find((button) => (button.FindFirstChild("ActionTitle") as TextLabel | undefined)?.Text === title) as
			| ImageButton
			| undefined;
	}

	/** Clicks where the mouse is and waits for the server's answer to arrive. */
	click() {
		this.client.click();
		Headless.frames(6);
	}

	/** Clicks the middle of a GUI button, as a person would. */
	clickGui(button: GuiObject) {
		const centre = button.AbsolutePosition.add(button.AbsoluteSize.div(2));
		this.client.click(centre.X, centre.Y);
		Headless.frames(2);
	}

	slot(index: number): TextButton {
		return this.hud.FindFirstChild("Hotbar")!.FindFirstChild(`Slot${index}`) as TextButton;
	}

	slotText(index: number, part: "ItemName" | "Category" | "Count" | "Key"): string {
		return (this.slot(index).FindFirstChild(part) as TextLabel).Text;
	}

	status(): string {
		return (this.hud.FindFirstChild("Status") as TextLabel).Text;
	}

	/** The toast's text, or undefined when none is shown. */
	toast(): string | undefined {
		const toast = this.hud.FindFirstChild("Toast") as TextLabel;
		return toast.Visible ? toast.Text : undefined;
	}

	ghost(): Part | undefined {
		const ghost = this.client.game.GetService("Workspace").FindFirstChild("BuildGhost");
		return ghost?.FindFirstChildWhichIsA("BasePart") as Part | undefined;
	}

	/** The placed objects of `ownerId` in the world of `client` (wherever that client holds them). */
	static objectsOf(client: HeadlessClient, ownerId: number): Instance[] {
		const tagged = client.game.GetService("CollectionService").GetTagged("PlacedObject");
		return tagged.filter((model) => model.GetAttribute("OwnerId") === ownerId && model.IsDescendantOf(client.game.GetService("Workspace")));
	}
}
