import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { World } from "../../harness/world";
import { startAdminServer } from "../admin/admin-world";
import { PanelSession, studioOwnerPanel } from "./panel-session";

const OWNER = 31338;

describe("the admin panel on a phone, as its owner in Studio play-solo", () => {
	const world = new World();
	let me: PanelSession;
	let playerGui: PlayerGui;
	afterAll(() => world.stop());

	beforeAll(() => {
		const { server } = startAdminServer(world, { studio: true });
		me = studioOwnerPanel(world, server, OWNER, "Owner", true);
		playerGui = me.client.localPlayer()!.FindFirstChildOfClass("PlayerGui")!;
	});

	function tap(target: GuiObject) {
		const centre = target.AbsolutePosition.add(target.AbsoluteSize.div(2));
		me.client.tap(centre.X, centre.Y);
		Headless.frames(3);
	}

	function adminButton(): ImageButton | undefined {
		const frame = playerGui.FindFirstChild("ContextActionGui")?.FindFirstChild("ContextButtonFrame");
		return frame?.GetChildren().find(
			(button) => (button.FindFirstChild("ActionTitle") as TextLabel | undefined)?.Text === AdminPanelConfig.touchButton.title,
		) as ImageButton | undefined;
	}

	it("opens with its on-screen button, runs a command with taps (confirmation included) and closes again", () => {
		const button = adminButton()!;
		expect(button).toBeDefined();
		expect(button.Position).toEqual(AdminPanelConfig.touchButton.position);
		expect(me.isOpen()).toBe(false);
		tap(button);
		expect(me.isOpen()).toBe(true);
		expect(me.text("Title")).toBe(`Admin panel — owner · ${AdminPanelConfig.touchButton.title} closes`);

		Headless.seconds(3);
		tap(me.commandButton("forcebackup"));
		expect(me.confirmation()).toBe("Run an incremental backup of this server now?");
		tap(me.panel()!.FindFirstChild("Confirm")!.FindFirstChild("Yes") as TextButton);
		expect(me.resultOf("Backup")).toMatch("Backup — done");

		tap(button);
		expect(me.isOpen()).toBe(false);
	});
});
