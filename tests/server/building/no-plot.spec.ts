import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { PlotConfig } from "shared/config/placement-config";
import { rejectionMessage, RejectionReason } from "shared/placement/rejection-reason";
import { World } from "../../harness/world";
import { BuildSession } from "./build-session";

describe("building without a plot", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("says so when a player whose server has no free plot tries to build", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		for (let index = 0; index < PlotConfig.count; index++) {
			world.join(server, { userId: 1600 + index, runScripts: false });
		}
		Headless.frames(2);
		const late = world.join(server, { userId: 1699, name: "Late" });
		const player = late.localPlayer()!;
		const gui = player.FindFirstChildOfClass("PlayerGui")!;
		Headless.frames(10);
		const hud = gui.FindFirstChild("BuildHud") as ScreenGui;
		expect(hud).toBeDefined();
		late.pressKey(Enum.KeyCode.Three);
		late.moveMouse(640, 300);
		Headless.frames(1);
		late.click();
		Headless.frames(2);
		const toast = hud.FindFirstChild("Toast") as TextLabel;
		expect(toast.Visible).toBe(true);
		expect(toast.Text).toBe(rejectionMessage(RejectionReason.NoPlot));
		expect(BuildSession.objectsOf(late, 1699).size()).toBe(0);
	});
});
