import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { DefaultStreamingSettings } from "shared/config/streaming-config";
import { chunkKeyAt } from "shared/streaming/chunk-grid";
import { waitUntil, World } from "../../harness/world";
import { placeData, populate, streamingOf, trackerOf, walkTo } from "./streaming-world";

/** Churn in the chunks next to a player: each frame, objects placed and taken back in each. */
function churn(tracker: ReturnType<typeof trackerOf>, corners: number[][], frames: number) {
	for (let frame = 0; frame < frames; frame++) {
		for (const [x, z] of corners) {
			const placed = [];
			for (let index = 0; index < 6; index++) placed.push(placeData(tracker, 951100, x + index * 2, z));
			for (const placement of placed) tracker.remove(placement.id);
		}
		Headless.frames(1);
	}
}

describe("object streaming: snapshots that replace backlogs leave new chunks their share of the per-frame limit", () => {
	const world = new World();
	let server: HeadlessServer;
	let watcher: HeadlessClient;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		populate(trackerOf(server), 600, 1700, 1700, 700, 21);
		expect(streamingOf(server).configure({ serverMillisecondsPerFrame: 1000 }).success).toBe(true);
		watcher = world.join(server, { userId: 7400, name: "Watcher" });
		Headless.frames(5);
		walkTo(watcher, 2048, 2048);
		const streaming = streamingOf(server);
		waitUntil(() => streaming.viewerReport(watcher.player)!.chunksPending === 0 && streaming.focusOf(watcher.player)!.kind === "character", 10, "the chunks");
		Headless.frames(2);
	});
	afterAll(() => world.stop());

	for (const [limit, churning] of [
		[2, 2],
		[1, 1],
	]) {
		it(`a player still gets new chunks while ${churning} held chunk(s) need a backlog snapshot every frame (limit ${limit})`, () => {
			const streaming = streamingOf(server);
			const size = DefaultStreamingSettings.chunkSize;
			const corners = [
				[2053, 2053],
				[1989, 2053],
			].filter((_, index) => index < churning);
			for (const [x, z] of corners) expect(streaming.heldChunks(watcher.player).has(chunkKeyAt(x, z, size))).toBe(true);
			// A wider interest: many new chunks to send.
			const radius = 320 + limit * 64;
			expect(streaming.configure({ chunksPerPlayerPerFrame: limit, streamInRadius: radius, streamOutRadius: radius + 80 }).success).toBe(true);
			const before = streaming.viewerReport(watcher.player)!.chunksHeld;
			const backlogsBefore = streaming.status().backlogSnapshots;
			churn(trackerOf(server), corners, 60);
			// The churning chunks were snapshotted again and again, and new chunks still came.
			expect(streaming.status().backlogSnapshots - backlogsBefore).toBeGreaterThan(20);
			expect(streaming.viewerReport(watcher.player)!.chunksHeld - before).toBeGreaterThan(20);
		});
	}
});
