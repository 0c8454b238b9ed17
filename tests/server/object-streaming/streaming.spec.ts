import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { distanceToChunk, chunkX, chunkZ, chunkKeyAt } from "shared/streaming/chunk-grid";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { PERMISSIVE, systemsOf } from "../placement/placement-world";
import {
	chunksWithin,
	clientPoolsOf,
	clientStreamingOf,
	differences,
	placeData,
	populate,
	rootOf,
	serverView,
	streamingOf,
	trackerOf,
	walkTo,
} from "./streaming-world";
import type { PlotService } from "server/plots/plot-service";
import type { InboundGateService } from "server/inbound-gate/inbound-gate-service";
import { InboundConfig } from "shared/config/inbound-config";
import { PoolConfig } from "shared/config/streaming-config";

/**
 * Smaller radii so walks cross many chunk edges. The server-wide budget is in host CPU time, so
 * specs that check exact views give it room (a busy host must not change what they see); the
 * budget has its own spec.
 */
const SMALL = { streamInRadius: 96, streamOutRadius: 160, serverMillisecondsPerFrame: 1000 };

describe("object streaming: bots walking across a populated world", () => {
	const world = new World();
	let server: HeadlessServer;
	const walkers: HeadlessClient[] = [];

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		populate(trackerOf(server), 2000, -200, -200, 1000, 11);
		expect(streamingOf(server).configure(SMALL).success).toBe(true);
		for (let index = 0; index < 3; index++) walkers.push(world.join(server, { userId: 7100 + index, name: `Walker${index}` }));
		Headless.frames(5);
	});
	afterAll(() => world.stop());

	it("holds exactly the interest chunks' objects at every frame: none missing within stream-in, none beyond stream-out, no duplicates", () => {
		const streaming = streamingOf(server);
		const occupied = streaming.occupiedChunks();
		const size = streaming.currentSettings().chunkSize;
		// What the clients are compared with is the streaming directory: tie it to the tracker first.
		const tracked = trackerOf(server).all();
		expect(tracked.size()).toBeGreaterThan(1000);
		expect(streaming.tracksEverything()).toBe(true);
		const misplaced = tracked.filter(
			(placement) => streaming.chunkOfPlacement(placement.id) !== chunkKeyAt(placement.worldPosition.X, placement.worldPosition.Z, size),
		);
		expect(misplaced.map((placement) => placement.id)).toEqual([]);
		const paths = [
			[-100, -100, 1.0, 0.6],
			[600, 0, -0.8, 0.8],
			[300, 700, 0.2, -1.0],
		];
		for (let index = 0; index < walkers.size(); index++) walkTo(walkers[index], paths[index][0], paths[index][1]);
		waitUntil(
			() => walkers.every((walker, index) => streaming.focusOf(walker.player)!.x === paths[index][0] && streaming.viewerReport(walker.player)!.chunksPending === 0),
			10,
			"the first chunks",
		);
		Headless.frames(1);
		let checkedObjects = 0;
		for (let frame = 0; frame < 300; frame++) {
			for (let index = 0; index < walkers.size(); index++) {
				const [x, z, dx, dz] = paths[index];
				// 45 studs a second.
				walkTo(walkers[index], x + dx * frame * 0.75, z + dz * frame * 0.75);
			}
			Headless.frames(1);
			for (let index = 0; index < walkers.size(); index++) {
				const walker = walkers[index];
				const client = clientStreamingOf(walker);
				// The spec runs after this frame's deliveries and before its Heartbeat: the client shows
				// everything the server has sent so far, and the server has sent nothing since.
				const expected = serverView(streaming, walker.player);
				expect(differences(client, expected)).toEqual([]);
				checkedObjects += expected.size();
				const focus = streaming.focusOf(walker.player)!;
				expect(focus.kind).toBe("character");
				for (const [key] of streaming.heldChunks(walker.player)) {
					if (streaming.isPinned(walker.player, key)) continue;
					expect(distanceToChunk(focus.x, focus.z, chunkX(key), chunkZ(key), size) <= SMALL.streamOutRadius).toBe(true);
				}
				// Within the stream-in radius (less the ground walked while a batch is on its way), nothing is missing.
				const missing = chunksWithin(streaming, occupied, focus.x, focus.z, SMALL.streamInRadius - 4).filter(
					(key) => !streaming.heldChunks(walker.player).has(key),
				);
				expect(missing.map((key) => `${chunkX(key)},${chunkZ(key)} at ${focus.x},${focus.z} frame ${frame}`)).toEqual([]);
			}
		}
		expect(checkedObjects).toBeGreaterThan(30000);
		for (const walker of walkers) {
			const report = clientStreamingOf(walker).report();
			expect(report.outOfStep).toBe(0);
			expect(report.inconsistencies).toBe(0);
		}
	});

	it("leaks no pooled model over the walk: every model out is a held object, idle ones are reused", () => {
		// Long enough that a model kept for any chunk that streamed out during the walk is reported.
		Headless.frames((PoolConfig.leakAfterSeconds + 1) * 60);
		for (const walker of walkers) {
			const pools = clientPoolsOf(walker).report();
			const client = clientStreamingOf(walker);
			expect(pools.totalInUse).toBe(client.heldObjects().size());
			expect(pools.leaks).toEqual([]);
			expect(pools.hits).toBeGreaterThan(0);
			expect(pools.totalSize).toBe(pools.totalInUse + pools.totalIdle);
		}
	});

	it("a player teleported across the map by the server drops the old area and gets the new one", () => {
		const streaming = streamingOf(server);
		const walker = walkers[0];
		rootOf(walker.player).CFrame = new CFrame(700, 3, 700);
		waitUntil(() => streaming.viewerReport(walker.player)!.chunksPending === 0 && streaming.focusOf(walker.player)!.x === 700, 5, "the new area");
		Headless.frames(2);
		expect(differences(clientStreamingOf(walker), serverView(streaming, walker.player))).toEqual([]);
		const plots = singletonOf<PlotService>(server, "ServerScriptService.TS.plots.plot-service", "PlotService");
		const plot = plots.plotOf(walker.player)!;
		for (const [, object] of clientStreamingOf(walker).heldObjects()) {
			const nearFocus = math.abs(object.x - 700) <= SMALL.streamOutRadius + 64 && math.abs(object.z - 700) <= SMALL.streamOutRadius + 64;
			const onOwnPlotChunks = math.abs(object.x - plot.origin.X - 48) <= 48 + 64 && math.abs(object.z - plot.origin.Z - 48) <= 48 + 64;
			expect(nearFocus || onOwnPlotChunks).toBe(true);
		}
		// The client's own view of its root was moved too (the teleport replicates to the owner).
		expect(rootOf(walker.localPlayer()).CFrame.Position.X).toBe(700);
	});

	it("does not believe a character position that is not a sane number: the focus falls back to the plot", () => {
		const streaming = streamingOf(server);
		const walker = walkers[1];
		walkTo(walker, 0 / 0, 0);
		Headless.frames(3);
		expect(streaming.focusOf(walker.player)!.kind).toBe("plot");
		walkTo(walker, 1e9, 5);
		Headless.frames(3);
		expect(streaming.focusOf(walker.player)!.kind).toBe("plot");
		walkTo(walker, 10, 10);
		Headless.frames(3);
		expect(streaming.focusOf(walker.player)!.kind).toBe("character");
	});

	it("forgets every chunk a player held once they leave: none stays watched by nobody", () => {
		expect(streamingOf(server).status().watchedChunks).toBeGreaterThan(0);
		for (const client of server.game.GetService("Players").GetPlayers()) client.Kick("spec over");
		Headless.frames(5);
		expect(streamingOf(server).status().players).toBe(0);
		expect(streamingOf(server).status().watchedChunks).toBe(0);
	});
});

describe("object streaming: joining, hysteresis, bursts, reconnects", () => {
	const world = new World();
	let server: HeadlessServer;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systemsOf(server).moderation.configure(PERMISSIVE);
		populate(trackerOf(server), 1500, -100, -100, 600, 5);
		expect(streamingOf(server).configure({ serverMillisecondsPerFrame: 1000 }).success).toBe(true);
	});
	afterAll(() => world.stop());

	it("sends the own plot first, within a few frames of joining", () => {
		const streaming = streamingOf(server);
		const client = world.join(server, { userId: 7201, name: "Joiner" });
		waitUntil(() => streaming.viewerReport(client.player)!.framesToOwnPlot >= 0, 5, "the own plot");
		const report = streaming.viewerReport(client.player)!;
		expect(report.framesToOwnPlot <= 10).toBe(true);
		const plots = singletonOf<PlotService>(server, "ServerScriptService.TS.plots.plot-service", "PlotService");
		const plot = plots.plotOf(client.player)!;
		Headless.frames(2);
		const first = clientStreamingOf(client).firstChunksLoaded;
		const size = streaming.currentSettings().chunkSize;
		// The plot's chunks (96 studs on 64-stud chunks: 4 or more) came before any other.
		const plotChunks = new Set<number>();
		for (let x = plot.origin.X; x < plot.origin.X + 96; x += 8) {
			for (let z = plot.origin.Z; z < plot.origin.Z + 96; z += 8) plotChunks.add(chunkKeyAt(x, z, size));
		}
		for (let index = 0; index < plotChunks.size(); index++) expect(plotChunks.has(first[index])).toBe(true);
	});

	it("does not thrash at a chunk edge: walking back and forth across the stream-in radius streams the chunk once", () => {
		const streaming = streamingOf(server);
		expect(streaming.configure(SMALL).success).toBe(true);
		const client = world.join(server, { userId: 7202, name: "Edger" });
		// The chunk at x 0…64: walking between x = -110 and x = -90 crosses its stream-in edge (96) again and again.
		const target = chunkKeyAt(10, 10, 64);
		walkTo(client, -120, 10);
		waitUntil(() => streaming.focusOf(client.player)!.x === -120 && streaming.viewerReport(client.player)!.chunksPending === 0, 5, "settling");
		expect(streaming.heldChunks(client.player).has(target)).toBe(false);
		const before = streaming.status();
		let loads = 0;
		let unloads = 0;
		let held = false;
		for (let frame = 0; frame < 240; frame++) {
			walkTo(client, frame % 40 < 20 ? -110 : -90, 10);
			Headless.frames(1);
			const now = streaming.heldChunks(client.player).has(target);
			if (now && !held) loads += 1;
			if (!now && held) unloads += 1;
			held = now;
		}
		expect(loads).toBe(1);
		expect(unloads).toBe(0);
		expect(streaming.status().unloadsSent).toBe(before.unloadsSent);
		// Past the stream-out radius it goes.
		walkTo(client, -170, 10);
		Headless.frames(3);
		expect(streaming.heldChunks(client.player).has(target)).toBe(false);
		expect(streaming.configure({ streamInRadius: 160, streamOutRadius: 224 }).success).toBe(true);
	});

	it("refuses radii without hysteresis", () => {
		const result = streamingOf(server).configure({ streamInRadius: 200, streamOutRadius: 200 });
		expect(result.success).toBe(false);
	});

	it("keeps per-player budgets under a burst of 1,000 objects in one chunk in one second; only players holding it hear of it", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		expect(streaming.configure({ chunksPerPlayerPerFrame: 2 }).success).toBe(true);
		const near = world.join(server, { userId: 7203, name: "Near" });
		const far = world.join(server, { userId: 7204, name: "Far" });
		walkTo(near, 2080, 2080);
		walkTo(far, -3000, -3000);
		// While they settle, no player gets more than two new chunks in one frame.
		let mostInAFrame = 0;
		const lastHeld = new Map<Player, Set<number>>();
		for (const client of [near, far]) {
			const held = new Set<number>();
			for (const [key] of streaming.heldChunks(client.player)) held.add(key);
			lastHeld.set(client.player, held);
		}
		waitUntil(
			() => {
				for (const client of [near, far]) {
					const previous = lastHeld.get(client.player) ?? new Set<number>();
					const now = new Set<number>();
					let fresh = 0;
					for (const [key] of streaming.heldChunks(client.player)) {
						now.add(key);
						if (!previous.has(key)) fresh += 1;
					}
					if (fresh > mostInAFrame) mostInAFrame = fresh;
					lastHeld.set(client.player, now);
				}
				return streaming.viewerReport(near.player)!.chunksPending === 0 && streaming.viewerReport(far.player)!.chunksPending === 0;
			},
			5,
			"settling",
		);
		expect(mostInAFrame).toBe(2);
		const farBytes = clientStreamingOf(far).report().bytesReceived;
		for (let frame = 0; frame < 60; frame++) {
			for (let index = 0; index < 17; index++) placeData(tracker, 950000, 2048 + index * 3, 2048 + frame);
			Headless.frames(1);
		}
		Headless.frames(3);
		const key = chunkKeyAt(2048, 2048, 64);
		expect(streaming.chunkObjects(key).size()).toBeGreaterThanOrEqual(1000);
		expect(differences(clientStreamingOf(near), serverView(streaming, near.player))).toEqual([]);
		expect(clientStreamingOf(near).heldObjects().size()).toBeGreaterThanOrEqual(1000);
		expect(clientStreamingOf(far).report().bytesReceived).toBe(farBytes);
		expect(streaming.status().maxChunksToOnePlayerInAFrame <= 4).toBe(true);
		expect(streaming.configure({ chunksPerPlayerPerFrame: 4 }).success).toBe(true);
	});

	it("serves one player a frame when the server-wide budget is spent, and every player still converges", () => {
		const streaming = streamingOf(server);
		expect(streaming.configure({ serverMillisecondsPerFrame: 1e-6 }).success).toBe(true);
		const late = world.join(server, { userId: 7205, name: "Late" });
		const overBefore = streaming.status().framesOverBudget;
		waitUntil(() => streaming.viewerReport(late.player)!.chunksPending === 0 && streaming.viewerReport(late.player)!.chunksHeld > 0, 20, "the late joiner");
		Headless.frames(2);
		expect(streaming.status().framesOverBudget).toBeGreaterThan(overBefore);
		expect(differences(clientStreamingOf(late), serverView(streaming, late.player))).toEqual([]);
		expect(streaming.configure({ serverMillisecondsPerFrame: 1000 }).success).toBe(true);
	});

	it("range-checks and rate-limits resync requests: junk and floods are refused and counted, a real one is answered", () => {
		const streaming = streamingOf(server);
		const client = world.join(server, { userId: 7207, name: "Resyncer" });
		walkTo(client, 100, 100);
		Headless.frames(5);
		const remote = client.game.GetService("ReplicatedStorage").FindFirstChild("streamResync", true) as RemoteEvent | undefined;
		expect(remote).toBeDefined();
		const heldKeys: number[] = [];
		for (const [key] of streaming.heldChunks(client.player)) heldKeys.push(key);
		expect(heldKeys.size()).toBeGreaterThanOrEqual(20);
		const gate = singletonOf<InboundGateService>(server, "ServerScriptService.TS.inbound-gate.inbound-gate-service", "InboundGateService");
		const gateCounts = () => gate.playerReport(7207)?.byRemote.get("streamResync") ?? { malformed: 0, rateLimited: 0 };
		const before = streaming.status();
		remote!.FireServer(0.5, 3);
		remote!.FireServer(1e9, 0);
		remote!.FireServer(0 / 0, 0);
		remote!.FireServer(-3000, -3000);
		Headless.frames(2);
		// NaN never reaches the service (the inbound gate's guard refuses it); the others are refused by it.
		expect(gateCounts().malformed).toBe(1);
		expect(streaming.status().rejectedRequests - before.rejectedRequests).toBe(3);
		// The junk used the burst; once it has refilled, twenty different chunks it holds, in one frame.
		Headless.seconds(InboundConfig.remotes.streamResync.burst / InboundConfig.remotes.streamResync.perSecond);
		for (let index = 0; index < 20; index++) remote!.FireServer(chunkX(heldKeys[index]), chunkZ(heldKeys[index]));
		Headless.frames(3);
		const after = streaming.status();
		// A burst of 4 is answered (each with a fresh snapshot); the gate refuses the rest.
		expect(after.resyncRequests - before.resyncRequests).toBe(4);
		expect(gateCounts().rateLimited).toBe(16);
		expect(after.rejectedRequests - before.rejectedRequests).toBe(3);
		expect(differences(clientStreamingOf(client), serverView(streaming, client.player))).toEqual([]);
	});

	it("gives a player who reconnects mid-stream a consistent view while objects come and go", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		let client = world.join(server, { userId: 7206, name: "Flaky" });
		walkTo(client, 100, 100);
		Headless.frames(2);
		const placed = [];
		for (let index = 0; index < 30; index++) placed.push(placeData(tracker, 960000, 90 + index, 100));
		Headless.frames(1);
		client.disconnect();
		for (let index = 0; index < 10; index++) tracker.remove(placed[index].id);
		Headless.frames(2);
		for (let index = 0; index < 10; index++) placeData(tracker, 960000, 100, 90 + index);
		client = world.join(server, { userId: 7206, name: "Flaky" });
		walkTo(client, 100, 100);
		// The new client's scripts connect to streaming a few frames into the session.
		Headless.frames(5);
		for (let frame = 0; frame < 30; frame++) {
			// A change made now goes out in this frame's batch; the client has every earlier one.
			if (frame % 3 === 0) tracker.remove(placed[10 + frame / 3].id);
			Headless.frames(1);
			expect(differences(clientStreamingOf(client), serverView(streaming, client.player))).toEqual([]);
		}
		waitUntil(() => streaming.viewerReport(client.player)!.chunksPending === 0, 5, "settling");
		Headless.frames(2);
		expect(differences(clientStreamingOf(client), serverView(streaming, client.player))).toEqual([]);
		expect(clientStreamingOf(client).report().outOfStep).toBe(0);
		expect(clientStreamingOf(client).report().inconsistencies).toBe(0);
	});
});
