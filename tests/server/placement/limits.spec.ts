import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { findItem } from "shared/catalog/catalog";
import { PlotConfig } from "shared/config/placement-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { waitUntil, World } from "../../harness/world";
import { PERMISSIVE, controllerOf, joinBuilder, systemsOf } from "./placement-world";

describe("placement limits", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("refuses an item past its per-player cap", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		const { controller } = joinBuilder(world, server, 6001, "Hoarder");
		const cap = findItem("tree")!.perPlayerCap;
		for (let index = 0; index < cap; index++) {
			Headless.seconds(0.2);
			const position = new Vector3(4 + (index % 12) * 7.5, 0, 4 + math.floor(index / 12) * 7.5);
			expect(controller.place("tree", position, 0).success).toBe(true);
		}
		Headless.seconds(1);
		const past = controller.place("tree", new Vector3(80, 0, 80), 0);
		expect(past.success).toBe(false);
		if (!past.success) expect(past.reason).toBe(RejectionReason.ItemCap);
		expect(systems.tracker.countOf(6001, "tree")).toBe(cap);
	});

	it("refuses to build before the player's build has loaded", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		// A slow DataStore keeps the profile loading for a while after the player joins.
		server.dataStoreFaults().setLatency(20);
		const client = world.join(server, { userId: 6002, name: "Early" });
		Headless.seconds(1);
		const early = controllerOf(client).place("chair", new Vector3(10, 0, 10), 0);
		expect(early.success).toBe(false);
		if (!early.success) expect(early.reason).toBe(RejectionReason.DataNotLoaded);
	});

	it("gives every player of a full server a plot, and the engine refuses the player past MaxPlayers", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		const maxPlayers = server.game.GetService("Players").MaxPlayers;
		expect(maxPlayers).toBeGreaterThan(PlotConfig.count);
		const plots = server.game.GetService("Workspace").FindFirstChild("Plots")!;
		expect(plots.GetChildren().size()).toBe(maxPlayers);
		for (let index = 0; index < maxPlayers - 1; index++) {
			world.join(server, { userId: 6100 + index, name: `Owner${index}`, runScripts: false });
		}
		const last = world.join(server, { userId: 6200, name: "Last" });
		const { builds } = systemsOf(server);
		waitUntil(() => builds.isLoaded(6200), 60, "the last player's build to load");
		Headless.frames(2);
		const result = controllerOf(last).place("chair", new Vector3(10, 0, 10), 0);
		expect(result.success).toBe(true);
		const [joined] = pcall(() => world.join(server, { userId: 6300, name: "OneTooMany", runScripts: false }));
		expect(joined).toBe(false);
	});
});
