import { describe, expect, it } from "@rbxts/jest-globals";
import { Players, RunService } from "@rbxts/services";

describe("client peer", () => {
	it("runs client specs on a client with a local player", () => {
		expect(RunService.IsClient()).toBe(true);
		expect(Players.LocalPlayer).toBeDefined();
	});
});
