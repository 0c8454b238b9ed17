import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import { DefaultStreamingSettings } from "shared/config/streaming-config";
import { readBatch } from "shared/streaming/chunk-codec";
import { chunkKeyAt, chunkX, chunkZ } from "shared/streaming/chunk-grid";
import { waitUntil, World } from "../../harness/world";
import { clientStreamingOf, differences, placeData, populate, serverView, streamingOf, trackerOf, walkTo } from "./streaming-world";

/** Exact views need room in the host-CPU budget (see streaming.spec.ts); bytes are the budget under test here. */
const ROOMY = { serverMillisecondsPerFrame: 1000 };

interface Batch {
	readonly size: number;
	readonly records: number;
	readonly snapshots: number;
}

/** The streaming batches a client receives, as they arrive: bytes and records. */
function batchesOf(client: HeadlessClient): Batch[] {
	const batches: Batch[] = [];
	const remote = client.game.GetService("ReplicatedStorage").FindFirstChild("streamBatch", true) as RemoteEvent;
	const userId = client.player.UserId;
	remote.OnClientEvent.Connect((payload: buffer) => {
		let records = 0;
		let snapshots = 0;
		readBatch(payload, userId, {
			snapshot() {
				records += 1;
				snapshots += 1;
			},
			unload() {
				records += 1;
			},
			place() {
				records += 1;
			},
			remove() {
				records += 1;
			},
		});
		batches.push({ size: buffer.len(payload), records, snapshots });
	});
	return batches;
}

/** Batches over the byte budget, but for a lone snapshot (a chunk bigger than the budget goes alone in a frame). */
function overBudget(batches: readonly Batch[], budget: number): Batch[] {
	return batches.filter((batch) => batch.size > budget && !(batch.records === 1 && batch.snapshots === 1));
}

/**
 * What a client shows against what the server says it sent: every chunk at the sequence number
 * the server recorded, and every chunk the server has no pending change for holding exactly the
 * server's objects (a chunk with deltas still queued is checked once they are sent).
 */
function inStep(streaming: ObjectStreamingService, client: HeadlessClient): string[] {
	const problems: string[] = [];
	const view = clientStreamingOf(client).view;
	const clientChunks = view.heldChunks();
	for (const [key, seq] of streaming.heldChunks(client.player)) {
		const where = `${chunkX(key)},${chunkZ(key)}`;
		if (clientChunks.get(key) !== seq) problems.push(`chunk ${where} at ${clientChunks.get(key)} on the client, ${seq} sent`);
		if (seq !== streaming.chunkSeq(key)) continue;
		const objects = view.objectsIn(key);
		const expected = streaming.chunkObjects(key);
		let count = 0;
		for (const [handle] of expected) {
			count += 1;
			if (objects?.get(handle) === undefined) problems.push(`chunk ${where} lacks ${handle}`);
		}
		let held = 0;
		if (objects !== undefined) for (const [handle] of objects) if (handle > 0) held += 1;
		if (held !== count) problems.push(`chunk ${where} holds ${held} objects, the server ${count}`);
	}
	return problems;
}

describe("object streaming: place/remove deltas are queued, batched and budgeted per player", () => {
	const world = new World();
	let server: HeadlessServer;
	const watchers: HeadlessClient[] = [];
	let far: HeadlessClient;
	const batches = new Map<HeadlessClient, Batch[]>();
	/** The chunk the bursts go into (the builder watching is its objects' owner). */
	const burstKey = chunkKeyAt(2048, 2048, DefaultStreamingSettings.chunkSize);

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		populate(trackerOf(server), 600, 1900, 1900, 300, 21);
		expect(streamingOf(server).configure(ROOMY).success).toBe(true);
		for (let index = 0; index < 3; index++) watchers.push(world.join(server, { userId: 7300 + index, name: `Watcher${index}` }));
		far = world.join(server, { userId: 7310, name: "FarAway" });
		Headless.frames(5);
		for (let index = 0; index < watchers.size(); index++) walkTo(watchers[index], 2040 + index * 20, 2060);
		walkTo(far, -3000, -3000);
		const streaming = streamingOf(server);
		waitUntil(
			() => [...watchers, far].every((client) => streaming.viewerReport(client.player)!.chunksPending === 0 && streaming.focusOf(client.player)!.kind === "character"),
			10,
			"the watchers' chunks",
		);
		Headless.frames(2);
		for (const client of [...watchers, far]) batches.set(client, batchesOf(client));
		for (const watcher of watchers) expect(streaming.heldChunks(watcher.player).has(burstKey)).toBe(true);
	});
	afterAll(() => world.stop());

	it("a 1,000-object burst in one chunk in one second: every batch within the byte budget, a few dozen remote calls, every client converges to the server's data", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		// A tight budget: the burst makes 17 places a frame, 30 bytes each (more for the owner), about twice what fits.
		const budget = 256;
		expect(streaming.configure({ bytesPerPlayerPerFrame: budget }).success).toBe(true);
		const before = streaming.status();
		const farBytes = clientStreamingOf(far).report().bytesReceived;
		const batchesBefore = watchers.map((watcher) => clientStreamingOf(watcher).report().batchesReceived);
		for (const [, list] of batches) list.clear();
		const owner = watchers[0].player.UserId;
		const placed = [];
		let frames = 0;
		let deferred = 0;
		for (let frame = 0; frame < 59; frame++) {
			for (let index = 0; index < 17; index++) placed.push(placeData(tracker, owner, 2049 + (index % 17) * 3.5, 2049 + frame));
			// The builder takes some back as they go.
			if (frame % 4 === 3) tracker.remove(placed[frame * 10].id);
			Headless.frames(1);
			frames += 1;
			for (const watcher of watchers) {
				expect(inStep(streaming, watcher)).toEqual([]);
				if (streaming.heldChunks(watcher.player).get(burstKey)! < streaming.chunkSeq(burstKey)) deferred += 1;
			}
		}
		// What did not fit waited for a later frame.
		expect(deferred).toBeGreaterThan(30);
		waitUntil(
			() => {
				frames += 1;
				for (const watcher of watchers) expect(inStep(streaming, watcher)).toEqual([]);
				return watchers.every((watcher) => streaming.heldChunks(watcher.player).get(burstKey) === streaming.chunkSeq(burstKey));
			},
			10,
			"the watchers to catch up",
		);
		Headless.frames(2);
		expect(streaming.countIn(burstKey)).toBeGreaterThanOrEqual(1000 - 15);
		const after = streaming.status();
		expect(after.deltasQueued - before.deltasQueued).toBe(placed.size() + 14);
		for (const watcher of watchers) {
			const client = clientStreamingOf(watcher);
			expect(differences(client, serverView(streaming, watcher.player))).toEqual([]);
			expect(client.report().outOfStep).toBe(0);
			expect(client.report().inconsistencies).toBe(0);
			// One batch a frame at most, each within the budget (a lone snapshot replacing a backlog excepted).
			const list = batches.get(watcher)!;
			expect(list.size() <= frames + 2).toBe(true);
			expect(list.size()).toBeGreaterThan(0);
			expect(overBudget(list, budget)).toEqual([]);
			let records = 0;
			for (const batch of list) records += batch.records;
			// Many changes per remote call.
			expect(records / list.size()).toBeGreaterThan(4);
		}
		// Far below one remote call per change: about one a frame for as long as the burst lasts.
		const calls = watchers.map((watcher, index) => clientStreamingOf(watcher).report().batchesReceived - batchesBefore[index]);
		for (const count of calls) expect(count < 200).toBe(true);
		// The owner's objects carry their placement ids; nobody else's do.
		for (const [, object] of clientStreamingOf(watchers[0]).heldObjects()) {
			if (object.ownerId === owner) expect(object.placementId).toBeDefined();
		}
		for (const [, object] of clientStreamingOf(watchers[1]).heldObjects()) expect(object.placementId).toBeUndefined();
		// Nobody else heard of it.
		expect(clientStreamingOf(far).report().bytesReceived).toBe(farBytes);
		expect(streaming.configure({ bytesPerPlayerPerFrame: DefaultStreamingSettings.bytesPerPlayerPerFrame }).success).toBe(true);
	});

	it("a backlog that costs more than the chunk itself is dropped for a fresh snapshot, within the budget", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		const budget = DefaultStreamingSettings.bytesPerPlayerPerFrame;
		const before = streaming.status();
		for (const [, list] of batches) list.clear();
		const key = chunkKeyAt(2130, 2130, DefaultStreamingSettings.chunkSize);
		const objectsBefore = streaming.countIn(key);
		// 1,000 objects in one frame (a build loading): 25 KB of deltas against a snapshot of about 13 KB.
		for (let index = 0; index < 1000; index++) placeData(tracker, 951000, 2120 + (index % 40) * 0.5, 2120 + math.floor(index / 40) * 0.5);
		Headless.frames(3);
		const after = streaming.status();
		expect(streaming.countIn(key)).toBe(objectsBefore + 1000);
		expect(after.backlogSnapshots - before.backlogSnapshots).toBe(watchers.size());
		expect(after.deltasSent).toBe(before.deltasSent);
		for (const watcher of watchers) {
			const client = clientStreamingOf(watcher);
			expect(inStep(streaming, watcher)).toEqual([]);
			expect(differences(client, serverView(streaming, watcher.player))).toEqual([]);
			expect(client.report().inconsistencies).toBe(0);
			const list = batches.get(watcher)!;
			expect(list.size()).toBe(1);
			expect(list[0].snapshots).toBe(1);
			expect(list[0].size > 13000 && list[0].size <= budget).toBe(true);
		}
	});

	it("backlog snapshots count toward the chunks a player gets in a frame: backlogs in four chunks at once go two a frame when that is the limit", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		expect(streaming.configure({ chunksPerPlayerPerFrame: 2 }).success).toBe(true);
		const corners = [
			[1986, 2050],
			[2050, 1986],
			[2114, 2050],
			[2050, 2114],
		];
		const keys = corners.map(([x, z]) => chunkKeyAt(x, z, DefaultStreamingSettings.chunkSize));
		for (const watcher of watchers) for (const key of keys) expect(streaming.heldChunks(watcher.player).has(key)).toBe(true);
		const before = streaming.status();
		for (const [, list] of batches) list.clear();
		// 150 placed and taken back in each chunk in one frame: far more deltas than the chunk's snapshot.
		for (const [x, z] of corners) {
			const placed = [];
			for (let index = 0; index < 150; index++) placed.push(placeData(tracker, 951004, x + (index % 10) * 2, z + math.floor(index / 10) * 2));
			for (const placement of placed) tracker.remove(placement.id);
		}
		Headless.frames(4);
		const after = streaming.status();
		expect(after.backlogSnapshots - before.backlogSnapshots).toBe(keys.size() * watchers.size());
		for (const watcher of watchers) {
			const list = batches.get(watcher)!;
			expect(list.filter((batch) => batch.snapshots > 2)).toEqual([]);
			expect(list.size()).toBeGreaterThanOrEqual(2);
			expect(inStep(streaming, watcher)).toEqual([]);
			expect(differences(clientStreamingOf(watcher), serverView(streaming, watcher.player))).toEqual([]);
		}
		expect(streaming.configure({ chunksPerPlayerPerFrame: DefaultStreamingSettings.chunksPerPlayerPerFrame }).success).toBe(true);
	});

	it("with the server-wide time budget spent, players get their deltas in rotation, one a frame, and each converges in sequence", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		// A clock that moves 10 s at every reading (the budget is 1 s): after the first player, every frame is over budget.
		let ticks = 0;
		streaming.measureWith(() => {
			ticks += 10;
			return ticks;
		});
		const overBefore = streaming.status().framesOverBudget;
		const key = chunkKeyAt(2060, 2180, DefaultStreamingSettings.chunkSize);
		for (const watcher of watchers) expect(streaming.heldChunks(watcher.player).has(key)).toBe(true);
		for (let index = 0; index < 5; index++) placeData(tracker, 951002, 2050 + index * 4, 2180);
		Headless.frames(1);
		// One player served this frame: the others wait for their turn.
		const current = streaming.chunkSeq(key);
		const upToDate = watchers.filter((watcher) => streaming.heldChunks(watcher.player).get(key) === current);
		expect(upToDate.size()).toBe(1);
		waitUntil(() => watchers.every((watcher) => streaming.heldChunks(watcher.player).get(key) === current), 2, "every watcher's turn");
		Headless.frames(1);
		expect(streaming.status().framesOverBudget).toBeGreaterThan(overBefore);
		for (const watcher of watchers) {
			expect(inStep(streaming, watcher)).toEqual([]);
			expect(differences(clientStreamingOf(watcher), serverView(streaming, watcher.player))).toEqual([]);
			expect(clientStreamingOf(watcher).report().outOfStep).toBe(0);
		}
		streaming.measureWith(os.clock);
	});

	it("a player who leaves with a backlog and comes back starts from fresh snapshots and converges exactly", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		expect(streaming.configure({ bytesPerPlayerPerFrame: 64 }).success).toBe(true);
		let flaky = world.join(server, { userId: 7320, name: "Flaky" });
		walkTo(flaky, 2060, 2060);
		waitUntil(() => streaming.viewerReport(flaky.player)?.chunksPending === 0 && streaming.heldChunks(flaky.player).has(burstKey), 10, "the chunk");
		for (let frame = 0; frame < 5; frame++) {
			for (let index = 0; index < 10; index++) placeData(tracker, 951003, 2052 + index, 2100 + frame);
			Headless.frames(1);
		}
		// Behind on the chunk when it leaves; the changes go on while it is away.
		expect(streaming.heldChunks(flaky.player).get(burstKey)! < streaming.chunkSeq(burstKey)).toBe(true);
		flaky.disconnect();
		for (let index = 0; index < 10; index++) placeData(tracker, 951003, 2052 + index, 2106);
		Headless.frames(2);
		expect(streaming.configure({ bytesPerPlayerPerFrame: DefaultStreamingSettings.bytesPerPlayerPerFrame }).success).toBe(true);
		flaky = world.join(server, { userId: 7320, name: "Flaky" });
		walkTo(flaky, 2060, 2060);
		Headless.frames(5);
		waitUntil(() => streaming.viewerReport(flaky.player)?.chunksPending === 0 && streaming.heldChunks(flaky.player).has(burstKey), 10, "the chunk again");
		Headless.frames(2);
		const client = clientStreamingOf(flaky);
		expect(inStep(streaming, flaky)).toEqual([]);
		expect(differences(client, serverView(streaming, flaky.player))).toEqual([]);
		expect(client.report().outOfStep).toBe(0);
		expect(client.report().inconsistencies).toBe(0);
		// The players who stayed are unaffected.
		for (const watcher of watchers) expect(differences(clientStreamingOf(watcher), serverView(streaming, watcher.player))).toEqual([]);
	});

	it("the tracker's listener only queues: one entry per change however many players hold the chunk, sent in the frame's batch to each of them", () => {
		const streaming = streamingOf(server);
		const tracker = trackerOf(server);
		const holding = server.game
			.GetService("Players")
			.GetPlayers()
			.filter((player) => streaming.heldChunks(player).has(burstKey));
		expect(holding.size() >= watchers.size()).toBe(true);
		const before = streaming.status();
		placeData(tracker, 951001, 2050, 2050);
		// Queued once, nothing sent until the frame's batch.
		expect(streaming.status().deltasQueued - before.deltasQueued).toBe(1);
		expect(streaming.status().deltasSent).toBe(before.deltasSent);
		Headless.frames(1);
		expect(streaming.status().deltasSent - before.deltasSent).toBe(holding.size());
	});
});

describe("object streaming: snapshots of a player's own objects, which carry their ids, within the byte budget", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("weighs each snapshot at what it writes: a builder walking into chunks full of their own objects gets no batch over the budget", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		const budget = 2048;
		const streaming = streamingOf(server);
		expect(streaming.configure({ ...ROOMY, bytesPerPlayerPerFrame: budget }).success).toBe(true);
		// Chunks of 20 to 30 of the builder's own objects (about 55 bytes each with their ids) around
		// where they walk: two or three of them fill a batch.
		const tracker = trackerOf(server);
		const random = new Random(31);
		for (let index = 0; index < 400; index++) placeData(tracker, 7320, 3000 + random.NextInteger(0, 255), 3000 + random.NextInteger(0, 255));
		const builder = world.join(server, { userId: 7320, name: "OwnBuilder" });
		const batches = batchesOf(builder);
		Headless.frames(5);
		walkTo(builder, 3128, 3128);
		waitUntil(
			() => streaming.focusOf(builder.player)!.kind === "character" && streaming.viewerReport(builder.player)!.chunksPending === 0,
			20,
			"the builder's chunks",
		);
		Headless.frames(2);
		expect(batches.filter((batch) => batch.snapshots > 0).size()).toBeGreaterThan(3);
		expect(overBudget(batches, budget)).toEqual([]);
		expect(differences(clientStreamingOf(builder), serverView(streaming, builder.player))).toEqual([]);
	});
});
