import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import { chunkKeyAt, chunkX, chunkZ, distanceToChunk } from "shared/streaming/chunk-grid";
import { waitUntil, World } from "../../harness/world";
import { clientStreamingOf, differences, placeData, serverView, streamingOf, trackerOf, walkTo } from "./streaming-world";

const ROOMY = { serverMillisecondsPerFrame: 1000 };

describe("object streaming: a resync of a held chunk between the stream-in and stream-out radii", () => {
	const world = new World();
	let server: HeadlessServer;
	let streaming: ObjectStreamingService;
	let tracker: PlacementTracker;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		streaming = streamingOf(server);
		tracker = trackerOf(server);
		expect(streaming.configure(ROOMY).success).toBe(true);
	});
	afterAll(() => world.stop());

	it("is answered with the chunk (or its unload): the client never keeps a copy the server stopped following", () => {
		// Far from every plot, so no chunk here is pinned.
		const key = chunkKeyAt(1300, 1300, streaming.currentSettings().chunkSize);
		const inChunk = [];
		for (let index = 0; index < 6; index++) inChunk.push(placeData(tracker, 980000, 1284 + index * 8, 1300, "chair"));
		const client = world.join(server, { userId: 7701, name: "Wanderer" });
		Headless.frames(3);
		walkTo(client, 1300, 1300);
		waitUntil(() => streaming.heldChunks(client.player).has(key) && streaming.viewerReport(client.player)!.chunksPending === 0, 10, "the chunk");
		Headless.frames(2);
		const view = clientStreamingOf(client);
		expect(differences(view, serverView(streaming, client.player))).toEqual([]);

		// 200 studs from the chunk: past the stream-in radius (160, looked for 16 beyond), within the drop radius (224 - 8).
		walkTo(client, 1080, 1300);
		Headless.frames(3);
		const settings = streaming.currentSettings();
		const distance = distanceToChunk(1080, 1300, chunkX(key), chunkZ(key), settings.chunkSize);
		expect(distance > settings.streamInRadius + 16 && distance < settings.streamOutRadius - 8).toBe(true);
		expect(streaming.heldChunks(client.player).has(key)).toBe(true);

		// What the client's out-of-step handler sends for the chunk.
		const remote = client.game.GetService("ReplicatedStorage").FindFirstChild("streamResync", true) as RemoteEvent;
		remote.FireServer(chunkX(key), chunkZ(key));
		Headless.frames(3);
		const afterResync = differences(view, serverView(streaming, client.player));

		// A removal and a placement in that chunk, then the player walks far away.
		tracker.remove(inChunk[0].id);
		placeData(tracker, 980001, 1330, 1330, "lamp");
		Headless.frames(3);
		const afterChanges = differences(view, serverView(streaming, client.player));
		walkTo(client, 600, 1300);
		Headless.frames(5);
		expect(streaming.heldChunks(client.player).has(key)).toBe(false);
		expect({ afterResync, afterChanges, walkedAway: differences(view, serverView(streaming, client.player)), stillHeld: view.view.objectsIn(key)?.size() }).toEqual({
			afterResync: [],
			afterChanges: [],
			walkedAway: [],
			stillHeld: undefined,
		});
	});
});
