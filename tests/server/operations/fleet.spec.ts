import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { FleetEntry, FleetViewService } from "server/operations/fleet-view-service";
import { FleetConfig } from "shared/config/operations-config";
import { singletonOf, World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "../placement/placement-world";
import { GridBuilder } from "./operations-world";

describe("fleet view: every server's status in a MemoryStore sorted map", () => {
	const world = new World();
	let servers: HeadlessServer[];

	beforeAll(() => {
		const experience = Headless.newDataStore();
		servers = [1, 2, 3].map((index) => world.startServer({ name: `server${index}`, dataStore: experience }));
		systemsOf(servers[0]).moderation.configure(PERMISSIVE);
		const builder = new GridBuilder(joinBuilder(world, servers[0], 4701, "Builder").controller);
		for (let index = 0; index < 3; index++) {
			Headless.seconds(0.5);
			expect(builder.placeOne().success).toBe(true);
		}
		Headless.seconds(FleetConfig.publishIntervalSeconds + 1);
	});
	afterAll(() => world.stop());

	const fleetFrom = (server: HeadlessServer) => {
		const byJob = new Map<string, FleetEntry>();
		for (const entry of systemsOf(server).systems.getFleetStatus()) byJob.set(entry.jobId, entry);
		return byJob;
	};

	it("lists every live server from any of them: players, objects, state, memory, FPS, uptime", () => {
		const fleet = fleetFrom(servers[2]);
		expect(fleet.size()).toBe(3);
		const first = fleet.get(servers[0].jobId)!;
		expect(first).toMatchObject({ jobId: servers[0].jobId, players: 1, objects: 3, overall: "OPERATIONAL" });
		expect(first.memoryMb).toBeGreaterThan(0);
		expect(first.fps).toBeCloseTo(60, 0);
		expect(first.uptime).toBeGreaterThanOrEqual(5);
		expect(fleet.get(servers[1].jobId)).toMatchObject({ players: 0, objects: 0 });
	});

	it("rides out a MemoryStore failure: counted, published again at the next interval", () => {
		const fleet = singletonOf<FleetViewService>(servers[0], "ServerScriptService.TS.operations.fleet-view-service", "FleetViewService");
		const before = fleet.publishStats();
		servers[0].memoryStoreFaults().failNext(1);
		Headless.seconds(FleetConfig.publishIntervalSeconds);
		const after = fleet.publishStats();
		expect(after.failures).toBe(before.failures + 1);
		expect(after.lastError).toMatch("Code:");
		Headless.seconds(FleetConfig.publishIntervalSeconds);
		expect(fleet.publishStats().published).toBeGreaterThan(after.published);
		expect(fleetFrom(servers[1]).has(servers[0].jobId)).toBe(true);
	});

	it("shows a server's state changes at the next publication", () => {
		systemsOf(servers[1]).systems.enterEmergencyMode("fleet drill");
		Headless.seconds(FleetConfig.publishIntervalSeconds + 1);
		expect(fleetFrom(servers[0]).get(servers[1].jobId)?.overall).toBe("EMERGENCY");
		systemsOf(servers[1]).systems.exitEmergencyMode();
	});

	it("drops a server that shuts down at once, and one that crashed once its entry expires", () => {
		Headless.stopServer(servers[1]);
		expect(fleetFrom(servers[0]).has(servers[1].jobId)).toBe(false);
		Headless.crashServer(servers[2]);
		expect(fleetFrom(servers[0]).has(servers[2].jobId)).toBe(true);
		Headless.seconds(FleetConfig.expirationSeconds + 1);
		const fleet = fleetFrom(servers[0]);
		expect(fleet.has(servers[2].jobId)).toBe(false);
		expect([...fleet].map(([jobId]) => jobId)).toEqual([servers[0].jobId]);
	});
});
