import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { findItem } from "shared/catalog/catalog";
import { PlotConfig } from "shared/config/placement-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { World } from "../../harness/world";
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

	it("refuses to build for a player left without a plot when every plot is taken", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		for (let index = 0; index < PlotConfig.count; index++) {
			world.join(server, { userId: 6100 + index, name: `Owner${index}`, runScripts: false });
		}
		const latecomer = world.join(server, { userId: 6200, name: "Latecomer" });
		Headless.seconds(2);
		const result = controllerOf(latecomer).place("chair", new Vector3(10, 0, 10), 0);
		expect(result.success).toBe(false);
		if (!result.success) expect(result.reason).toBe(RejectionReason.NoPlot);
	});
});
