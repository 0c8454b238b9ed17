import type { ObjectStreamingController } from "client/object-streaming/object-streaming-controller";
import type { ObjectPoolingController } from "client/object-pooling/object-pooling-controller";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { chunkX, chunkZ, distanceToChunk } from "shared/streaming/chunk-grid";
import { singletonOf, waitUntil } from "../../harness/world";

export function streamingOf(server: HeadlessServer): ObjectStreamingService {
	return singletonOf(server, "ServerScriptService.TS.object-streaming.object-streaming-service", "ObjectStreamingService");
}

export function trackerOf(server: HeadlessServer): PlacementTracker {
	return singletonOf(server, "ServerScriptService.TS.placement-tracker.placement-tracker", "PlacementTracker");
}

export function clientStreamingOf(client: HeadlessClient): ObjectStreamingController {
	const name = client.localPlayer()!.Name;
	return singletonOf(client, `Players.${name}.PlayerScripts.TS.object-streaming.object-streaming-controller`, "ObjectStreamingController");
}

export function clientPoolsOf(client: HeadlessClient): ObjectPoolingController {
	const name = client.localPlayer()!.Name;
	return singletonOf(client, `Players.${name}.PlayerScripts.TS.object-pooling.object-pooling-controller`, "ObjectPoolingController");
}

const ITEMS = ["chair", "lamp", "table", "tree", "wood-floor", "wood-wall"];
let nextId = 0;

/** A placement straight into the server's data (a builder who is not online), at a world position. */
export function placeData(tracker: PlacementTracker, ownerId: number, x: number, z: number, itemId = ITEMS[nextId % ITEMS.size()]): TrackedPlacement {
	nextId += 1;
	const worldPosition = new Vector3(x, 0, z);
	const placement: TrackedPlacement = {
		id: `data-${nextId}`,
		ownerId,
		itemId,
		position: worldPosition,
		rotation: (nextId % 4) * 90,
		placedAt: 0,
		worldPosition,
	};
	tracker.add(placement);
	return placement;
}

/** Scatters `count` objects over a square of `side` studs from (originX, originZ), deterministically. */
export function populate(tracker: PlacementTracker, count: number, originX: number, originZ: number, side: number, seed: number) {
	const random = new Random(seed);
	for (let index = 0; index < count; index++) {
		placeData(tracker, 900000 + (index % 20), originX + random.NextInteger(0, side - 1), originZ + random.NextInteger(0, side - 1));
	}
}

/** What the server says a player holds: handle → chunk key, from the chunks it sent and their data. */
export function serverView(streaming: ObjectStreamingService, player: Player): Map<number, number> {
	const view = new Map<number, number>();
	for (const [key] of streaming.heldChunks(player)) {
		for (const [handle] of streaming.chunkObjects(key)) view.set(handle, key);
	}
	return view;
}

/** Differences between a client's objects and an expected view; empty when they match exactly. */
export function differences(client: ObjectStreamingController, expected: Map<number, number>): string[] {
	const problems: string[] = [];
	const held = client.heldObjects();
	for (const [handle, key] of expected) {
		if (!held.has(handle)) problems.push(`missing ${handle} in chunk ${chunkX(key)},${chunkZ(key)}`);
	}
	for (const [handle] of held) {
		if (!expected.has(handle)) problems.push(`extra ${handle}`);
	}
	if (client.renderedCount() !== held.size()) problems.push(`${client.renderedCount()} models for ${held.size()} objects`);
	return problems;
}

export function rootOf(player: Player | undefined): BasePart {
	const root = player?.Character?.FindFirstChild("HumanoidRootPart");
	assert(root !== undefined, "no character root");
	return root as BasePart;
}

/** Moves a client's own character, as its scripts would. */
export function walkTo(client: HeadlessClient, x: number, z: number) {
	rootOf(client.localPlayer()).CFrame = new CFrame(x, 3, z);
}

/** Chunks within `radius` of a point that hold objects on the server. */
export function chunksWithin(streaming: ObjectStreamingService, keys: readonly number[], x: number, z: number, radius: number): number[] {
	const size = streaming.currentSettings().chunkSize;
	const result: number[] = [];
	for (const key of keys) {
		if (distanceToChunk(x, z, chunkX(key), chunkZ(key), size) <= radius) result.push(key);
	}
	return result;
}

/** Lets every player's interest settle: nothing pending for any of `clients` (recomputed on each one's next turn after a move or a settings change). */
export function settled(streaming: ObjectStreamingService, clients: HeadlessClient[]) {
	Headless.frames(2);
	waitUntil(() => clients.every((client) => streaming.viewerReport(client.player)!.chunksPending === 0), 20, "streaming to settle");
	Headless.frames(2);
}
