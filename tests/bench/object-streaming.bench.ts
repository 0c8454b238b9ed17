import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import type { PlacedObjectService } from "server/builds/placed-object-service";
import type { PlotService } from "server/plots/plot-service";
import { findItem } from "shared/catalog/catalog";
import type { ServerModelsConfig as ServerModelsSetting } from "shared/config/streaming-config";
import { ModelPools } from "shared/object-pooling/model-pools";
import { Parking } from "shared/object-pooling/pool-types";
import { TimeSplit, fastestSplit, perCallSplit, splitLabel, timeSplit } from "../harness/bench-timing";
import { singletonOf, waitUntil, World } from "../harness/world";

const ROOT = "ServerScriptService.TS";
const PLAYERS = 50;
const OBJECTS = 100000;
const WORLD_SIDE = 2400;
const WALK_FRAMES = 300;
const RUNS = 3;
const ITEMS = ["chair", "lamp", "table", "tree", "wood-floor", "wood-wall"];

function placement(index: number, x: number, z: number): TrackedPlacement {
	const itemId = ITEMS[index % ITEMS.size()];
	const worldPosition = new Vector3(x, 0, z);
	return {
		id: `bench-${index}`,
		// Builds cluster on plots: one owner per 120-stud square, as plots are laid out.
		ownerId: 800000 + math.floor(x / 120) * 1000 + math.floor(z / 120),
		itemId,
		position: worldPosition,
		rotation: (index % 4) * 90,
		placedAt: 0,
		worldPosition,
	};
}

function fmt(value: number, digits = 3): string {
	return string.format(`%.${digits}f`, value);
}

function percentile(sorted: number[], p: number): number {
	return sorted[math.clamp(math.ceil((p / 100) * sorted.size()), 1, sorted.size()) - 1];
}

interface WalkResult {
	frameCosts: number[];
	/** The same frames without the emulated engine's share (RemoteEvent fires, property writes). */
	gameCosts: number[];
	bytesPerObject: number;
	objectsPerPlayerSecond: number;
	perPlayerSecond: number;
	framesOverBudget: number;
	sendP50: number;
	/** The same sends without the emulated engine's share. */
	sendGameP50: number;
	/** Chunks waiting to be sent, over every player, at the end of the walk. */
	pending: number;
	budget: number;
}

/** One deterministic run: the same world, the same walks, so runs can be compared frame by frame. */
function walk(): WalkResult {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const streaming = singletonOf<ObjectStreamingService>(server, `${ROOT}.object-streaming.object-streaming-service`, "ObjectStreamingService");
	const tracker = singletonOf<PlacementTracker>(server, `${ROOT}.placement-tracker.placement-tracker`, "PlacementTracker");
	const random = new Random(1);
	for (let index = 0; index < OBJECTS; index++) {
		tracker.add(placement(index, random.NextNumber(-WORLD_SIDE / 2, WORLD_SIDE / 2), random.NextNumber(-WORLD_SIDE / 2, WORLD_SIDE / 2)));
	}
	const clients: HeadlessClient[] = [];
	for (let index = 0; index < PLAYERS; index++) clients.push(world.join(server, { userId: 8000 + index, name: `Walker${index}`, runScripts: false }));
	const starts = clients.map(() => [random.NextNumber(-1000, 1000), random.NextNumber(-1000, 1000), random.NextNumber(0, math.pi * 2)]);
	const roots = clients.map((client) => client.player.Character!.FindFirstChild("HumanoidRootPart") as BasePart);
	const moveAll = (frame: number) => {
		for (let index = 0; index < PLAYERS; index++) {
			const [x, z, heading] = starts[index];
			// 16 studs a second, as a walking character.
			const walked = (frame * 16) / 60;
			roots[index].CFrame = new CFrame(x + math.cos(heading) * walked, 3, z + math.sin(heading) * walked);
		}
	};
	moveAll(0);
	waitUntil(() => clients.every((client) => streaming.viewerReport(client.player)!.chunksPending === 0), 60, "the initial load");
	const settled = streaming.status();
	streaming.measureWith(
		() => Headless.realClock(),
		() => Headless.engineTime(),
	);
	const startedAt = Headless.now();
	const frameCosts: number[] = [];
	const gameCosts: number[] = [];
	for (let frame = 1; frame <= WALK_FRAMES; frame++) {
		moveAll(frame);
		Headless.frames(1);
		frameCosts.push(streaming.lastFrameMilliseconds());
		gameCosts.push(streaming.lastFrameGameMilliseconds());
	}
	const seconds = Headless.now() - startedAt;
	const status = streaming.status();
	let pending = 0;
	for (const client of clients) pending += streaming.viewerReport(client.player)!.chunksPending;
	const bytesWalking = status.bytesSent - settled.bytesSent;
	const objectsWalking = status.objectsStreamed - settled.objectsStreamed;
	world.stop();
	return {
		frameCosts,
		gameCosts,
		bytesPerObject: status.bytesSent / math.max(status.objectsStreamed, 1),
		objectsPerPlayerSecond: objectsWalking / PLAYERS / seconds,
		perPlayerSecond: bytesWalking / PLAYERS / seconds,
		framesOverBudget: status.framesOverBudget - settled.framesOverBudget,
		sendP50: status.sendMilliseconds.p50,
		sendGameP50: streaming.sendGameMilliseconds().p50,
		pending,
		budget: streaming.currentSettings().serverMillisecondsPerFrame,
	};
}

function streamingCost() {
	// The host is shared: a frame's time includes the moments the OS gave the core to someone else.
	// The runs are deterministic, so the least time each frame took over the runs is its cost.
	const runs: WalkResult[] = [];
	for (let run = 0; run < RUNS; run++) runs.push(walk());
	const sorted = (costs: number[]) => [...costs].sort((a, b) => a < b);
	const leastOf = (costsOf: (run: WalkResult) => number[]) =>
		sorted(costsOf(runs[0]).map((_, frame) => runs.reduce((best, run) => math.min(best, costsOf(run)[frame]), math.huge)));
	const least = leastOf((run) => run.frameCosts);
	const leastGame = leastOf((run) => run.gameCosts);
	const first = runs[0];
	print(`streaming: ${PLAYERS} players x ${OBJECTS} objects, walking ${WALK_FRAMES} frames at 16 studs/s, ${RUNS} identical runs`);
	print(`  server streaming time per frame (least of the runs): p50 ${fmt(percentile(least, 50))} ms, p99 ${fmt(percentile(least, 99))} ms, max ${fmt(least[least.size() - 1])} ms (target p99 <= 1 ms)`);
	print(`    game time alone (least of the runs): p50 ${fmt(percentile(leastGame, 50))} ms, p99 ${fmt(percentile(leastGame, 99))} ms`);
	runs.forEach((run, index) => {
		const single = sorted(run.frameCosts);
		const gameOnly = sorted(run.gameCosts);
		print(
			`  run ${index + 1} as measured (with the host's preemptions): p50 ${fmt(percentile(single, 50))} ms, p99 ${fmt(percentile(single, 99))} ms, max ${fmt(single[single.size() - 1])} ms; game alone p50 ${fmt(percentile(gameOnly, 50))} ms, p99 ${fmt(percentile(gameOnly, 99))} ms`,
		);
	});
	print(`  of which sending the batches (encoding, firing, log trim; run 1): p50 ${fmt(first.sendP50)} ms, game alone p50 ${fmt(first.sendGameP50)} ms; frames over the ${first.budget} ms server budget: ${first.framesOverBudget} of ${WALK_FRAMES}; chunks still pending at the end: ${first.pending} over ${PLAYERS} players`);
	print(`  bytes per streamed object: ${fmt(first.bytesPerObject, 2)} (every batch byte / objects in snapshots)`);
	print(`  traffic per player per second while walking: ${fmt(first.perPlayerSecond / 1024, 2)} KiB (${fmt(first.objectsPerPlayerSecond, 1)} objects/s)`);
	return first;
}

/** Places `count` objects in the chunk at (2048, 2048), spread over it. */
function burstPlacements(first: number, count: number, frame: number): TrackedPlacement[] {
	const list: TrackedPlacement[] = [];
	for (let index = 0; index < count; index++) list.push(placement(first + index, 2049 + index * 3.5, 2049 + frame));
	return list;
}

/**
 * A 1,000-object burst in one chunk in one second (17 a frame) watched by 20 players: remote calls
 * and bytes per player against one call per change (how deltas went out before they were
 * batched), and what following a placement costs the tracker's caller with 0 and 20 watchers.
 */
function deltaBurst() {
	const WATCHERS = 20;
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const streaming = singletonOf<ObjectStreamingService>(server, `${ROOT}.object-streaming.object-streaming-service`, "ObjectStreamingService");
	const tracker = singletonOf<PlacementTracker>(server, `${ROOT}.placement-tracker.placement-tracker`, "PlacementTracker");
	streaming.configure({ serverMillisecondsPerFrame: 1000 });
	const clients: HeadlessClient[] = [];
	for (let index = 0; index < WATCHERS; index++) clients.push(world.join(server, { userId: 8100 + index, name: `Watcher${index}`, runScripts: false }));
	Headless.frames(3);
	clients.forEach((client, index) => {
		(client.player.Character!.FindFirstChild("HumanoidRootPart") as BasePart).CFrame = new CFrame(2040 + index, 3, 2080);
	});
	waitUntil(() => clients.every((client) => streaming.viewerReport(client.player)!.chunksPending === 0), 20, "the watchers' chunks");
	Headless.frames(2);
	const batches = clients.map(() => [] as number[]);
	clients.forEach((client, index) => {
		const remote = client.game.GetService("ReplicatedStorage").FindFirstChild("streamBatch", true) as RemoteEvent;
		remote.OnClientEvent.Connect((payload: buffer) => batches[index].push(buffer.len(payload)));
	});
	// A remote queues what it got before its first listener: those batches arrive now, and do not count.
	Headless.frames(1);
	for (const list of batches) list.clear();
	const before = streaming.status();
	tracker.add(burstPlacements(0, 1, 0)[0]);
	let placed = 1;
	for (let frame = 1; frame < 60; frame++) {
		for (const tracked of burstPlacements(placed, 17, frame)) tracker.add(tracked);
		placed += 17;
		Headless.frames(1);
	}
	Headless.frames(3);
	const after = streaming.status();
	let calls = 0;
	let bytes = 0;
	let largest = 0;
	for (const list of batches) {
		calls += list.size();
		for (const size of list) {
			bytes += size;
			largest = math.max(largest, size);
		}
	}
	const changes = after.deltasQueued - before.deltasQueued;
	const budget = streaming.currentSettings().bytesPerPlayerPerFrame;
	print(`delta burst: ${placed} objects in one chunk in 1 s (17 a frame), ${WATCHERS} players holding it`);
	print(`  remote calls per player: ${fmt(calls / WATCHERS, 1)} (one per change: ${changes}; ratio ${fmt(changes / (calls / WATCHERS), 1)}x fewer)`);
	print(`  bytes per player per frame: mean ${fmt(bytes / calls, 0)}, largest batch ${largest} (budget ${budget}); ${fmt(bytes / WATCHERS / changes, 1)} bytes per change per player`);

	// The tracker's listener only notes a change; the directory follows when read (here, at once,
	// inside the timed section) or at the next frame: one log append per change held by anyone.
	const timeAdds = (x: number) => {
		const rounds: TimeSplit[] = [];
		for (let round = 0; round < 5; round++) {
			const list: TrackedPlacement[] = [];
			for (let index = 0; index < 200; index++) list.push(placement(900000 + round * 1000 + index + x * 100, x + (index % 20) * 3, 2049 + math.floor(index / 20) * 3));
			const split = timeSplit(() => {
				for (const tracked of list) tracker.add(tracked);
				streaming.tracksEverything();
			});
			rounds.push(perCallSplit(split, list.size()));
			for (const tracked of list) tracker.remove(tracked.id);
			Headless.frames(1);
		}
		return fastestSplit(rounds);
	};
	const watched = timeAdds(2049);
	const unwatched = timeAdds(-20000);
	print(`  tracker.add with streaming following it (fastest of 5 rounds of 200): ${splitLabel(watched)} in a chunk 20 players hold, ${splitLabel(unwatched)} in one nobody holds`);
	world.stop();
}

function serverModelsOf(server: HeadlessServer): typeof ServerModelsSetting {
	return (server.requirePath("ReplicatedStorage.TS.config.streaming-config") as { ServerModelsConfig: typeof ServerModelsSetting }).ServerModelsConfig;
}

function instanceReplicationBytes(): number {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const objects = singletonOf<PlacedObjectService>(server, `${ROOT}.builds.placed-object-service`, "PlacedObjectService");
	const plots = singletonOf<PlotService>(server, `${ROOT}.plots.plot-service`, "PlotService");
	const client = world.join(server, { userId: 8999, name: "Watcher", runScripts: false });
	Headless.frames(5);
	const plot = plots.plotOf(client.player)!;
	const before = client.traffic().bytesToClient;
	const count = 2000;
	const ServerModelsConfig = serverModelsOf(server);
	ServerModelsConfig.enabled = true;
	for (let index = 0; index < count; index++) {
		const tracked = placement(index, (index % 40) * 2, math.floor(index / 40) * 2);
		objects.spawn(plot, findItem(tracked.itemId)!, tracked);
	}
	ServerModelsConfig.enabled = false;
	Headless.frames(2);
	const perObject = (client.traffic().bytesToClient - before) / count;
	world.stop();
	return perObject;
}

function heapPerPlacement() {
	const count = 20000;
	// Both measured in one world, one after the other: a world stopped before a measurement can
	// still be letting go of its memory during it.
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const tracker = singletonOf<PlacementTracker>(server, `${ROOT}.placement-tracker.placement-tracker`, "PlacementTracker");
	const objects = singletonOf<PlacedObjectService>(server, `${ROOT}.builds.placed-object-service`, "PlacedObjectService");
	const plots = singletonOf<PlotService>(server, `${ROOT}.plots.plot-service`, "PlotService");
	const client = world.join(server, { userId: 8998, name: "Owner", runScripts: false });
	Headless.frames(3);
	const plot = plots.plotOf(client.player)!;
	client.disconnect();
	Headless.frames(2);
	const ServerModelsConfig = serverModelsOf(server);
	const measure = (withModels: boolean, first: number) => {
		ServerModelsConfig.enabled = withModels;
		const list: TrackedPlacement[] = [];
		for (let index = first; index < first + count; index++) list.push(placement(index, (index % 200) * 3, math.floor(index / 200) * 3));
		Headless.frames(1);
		const before = Headless.settledHeap();
		for (const tracked of list) {
			tracker.add(tracked);
			objects.spawn(plot, findItem(tracked.itemId)!, tracked);
		}
		// Streaming's chunk directory follows the tracker's changes at the next frame.
		Headless.frames(1);
		const after = Headless.settledHeap();
		ServerModelsConfig.enabled = false;
		return ((after - before) * 1024) / count;
	};
	const without = measure(false, 0);
	const withModels = measure(true, count);
	world.stop();
	print(`server heap per tracked placement (tracker + spatial hash + chunk directory): ${fmt(without, 0)} bytes`);
	print(`  with a server Model per placement as well: ${fmt(withModels, 0)} bytes (the emulation's Instances, not Roblox's; ratio ${fmt(withModels / without, 1)}x)`);
}

function poolAgainstCloning() {
	const templates = game.GetService("ReplicatedStorage").WaitForChild("TS").WaitForChild("catalog").WaitForChild("models");
	const template = templates.WaitForChild("chair") as Model;
	const folder = new Instance("Folder");
	folder.Parent = game.GetService("Workspace");
	const rounds = 5000;
	const timeCloning = () =>
		timeSplit(() => {
			for (let index = 0; index < rounds; index++) {
				const model = template.Clone();
				model.Parent = folder;
				model.Destroy();
			}
		});
	const timePool = (parking: Parking) => {
		const pools = new ModelPools((itemId) => templates.WaitForChild(itemId) as Model, {
			parking,
			parkingFolder: folder,
			idleFloor: 8,
			shrinkAfterSeconds: 30,
			leakAfterSeconds: 5,
			now: () => 0,
		});
		pools.prewarm("chair", 8);
		return timeSplit(() => {
			for (let index = 0; index < rounds; index++) {
				const model = pools.acquire("chair", 1);
				model.SetAttribute("PlacementId", "x");
				model.Parent = folder;
				pools.release(model);
			}
		});
	};
	const cloning = timeCloning();
	const parentNil = timePool("parent-nil");
	const cframeFar = timePool("cframe-far");
	print(`pool, ${rounds} rounds of one chair (one run each): Clone+Parent+Destroy ${splitLabel(cloning, rounds)}`);
	print(`  acquire+release parking Parent=nil ${splitLabel(parentNil, rounds)} (${fmt(parentNil.total / cloning.total, 2)}x the time of cloning)`);
	print(`  acquire+release parking CFrame far ${splitLabel(cframeFar, rounds)} (${fmt(cframeFar.total / cloning.total, 2)}x the time of cloning)`);
	folder.Destroy();
}

/** Streaming's server cost, its bytes against replicating Instances, heap per placement and pools against cloning. */
export function run() {
	const streamed = streamingCost();
	deltaBurst();
	const instanceBytes = instanceReplicationBytes();
	print(`replicating a placed object as an Instance (Model + Part, attributes, tag): ${fmt(instanceBytes, 1)} bytes per object`);
	print(`  streamed: ${fmt(streamed.bytesPerObject, 2)} bytes per object, ratio ${fmt(instanceBytes / streamed.bytesPerObject, 1)}x smaller`);
	print(`  per player per second while walking: streamed ${fmt(streamed.perPlayerSecond / 1024, 2)} KiB vs Instances ${fmt((streamed.objectsPerPlayerSecond * instanceBytes) / 1024, 2)} KiB`);
	heapPerPlacement();
	poolAgainstCloning();
}
