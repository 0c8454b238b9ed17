import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { LatencySample } from "client/connection/connection-controller";
import type { ConnectionService } from "server/connection/connection-service";
import type { ServerPerformanceService } from "server/performance/server-performance-service";
import { singletonOf, World } from "../harness/world";

interface ConnectionControllerApi {
	probe(): number;
	latestSample(): LatencySample | undefined;
}

describe("Flamework boot of the real place", () => {
	const world = new World();
	let server: HeadlessServer;
	let client: HeadlessClient;

	beforeAll(() => {
		server = world.startServer();
		client = world.join(server, { userId: 101, name: "Builder" });
		Headless.frames(5);
	});
	afterAll(() => world.stop());

	const performanceService = () =>
		singletonOf<ServerPerformanceService>(
			server,
			"ServerScriptService.TS.performance.server-performance-service",
			"ServerPerformanceService",
		);
	const connectionService = () =>
		singletonOf<ConnectionService>(server, "ServerScriptService.TS.connection.connection-service", "ConnectionService");
	const connectionController = () =>
		singletonOf<ConnectionControllerApi>(
			client,
			"Players.Builder.PlayerScripts.TS.connection.connection-controller",
			"ConnectionController",
		);

	it("runs OnInit, OnStart and OnTick of a service resolved by dependency injection", () => {
		const performance = performanceService();
		const before = performance.snapshot();
		expect(before.ticks).toBeGreaterThan(0);
		Headless.seconds(2);
		const after = performance.snapshot();
		expect(after.ticks - before.ticks).toBeGreaterThanOrEqual(119);
		expect(after.uptimeSeconds).toBeGreaterThan(before.uptimeSeconds);
		expect(after.framesPerSecond).toBeCloseTo(60, 0);
	});

	it("injects the same singleton into its dependants", () => {
		const connection = connectionService();
		const performance = performanceService();
		expect((connection as unknown as { performance: unknown }).performance).toBe(performance);
	});

	it("round-trips a networking event between the client controller and the server service", () => {
		const controller = connectionController();
		const sequence = controller.probe();
		Headless.frames(3);
		const sample = controller.latestSample();
		expect(sample).toBeDefined();
		expect(sample!.sequence).toBe(sequence);
		expect(sample!.roundTripSeconds).toBeGreaterThan(0);
		expect(sample!.serverFramesPerSecond).toBeCloseTo(60, 0);
	});

	it("rejects a probe with an out-of-range sequence without answering", () => {
		const connection = connectionService();
		const controller = connectionController();
		const before = connection.rejectedProbeCount();
		const lastSample = controller.latestSample();
		const ping = client.game
			.GetService("ReplicatedStorage")
			.GetDescendants()
			.find((item): item is RemoteEvent => item.IsA("RemoteEvent") && item.Name.match("ping$")[0] !== undefined);
		expect(ping).toBeDefined();
		ping!.FireServer(-1);
		ping!.FireServer(1.5);
		// NaN and a string never reach the service: Flamework's generated guard drops them.
		ping!.FireServer(0 / 0);
		ping!.FireServer("7");
		Headless.frames(3);
		expect(connection.rejectedProbeCount() - before).toBe(2);
		expect(controller.latestSample()).toBe(lastSample);
	});
});
