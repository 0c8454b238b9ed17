import type { BuildService } from "server/builds/build-service";
import type { ModerationService } from "server/moderation/moderation-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { SystemManager } from "server/system-manager/system-manager";
import { footprintBox } from "shared/placement/footprint";
import { SplitSamples, splitLabel, splitText, startSplit, timeSplit } from "../harness/bench-timing";
import { singletonOf, waitUntil, World } from "../harness/world";

/** Other players' objects fill a square this wide around the builder's plot. */
const WORLD_AREA = 3000;
const TIMED_CALLS = 600;
const SCENARIOS = [1000, 10000, 100000];

/** Server time per placeObject and removeObject with 1k, 10k and 100k objects already in the world. */
export function run() {
	for (const objects of SCENARIOS) {
		const world = new World();
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		const root = "ServerScriptService.TS";
		const systems = singletonOf<SystemManager>(server, `${root}.system-manager.system-manager`, "SystemManager");
		const tracker = singletonOf<PlacementTracker>(server, `${root}.placement-tracker.placement-tracker`, "PlacementTracker");
		const builds = singletonOf<BuildService>(server, `${root}.builds.build-service`, "BuildService");
		const moderation = singletonOf<ModerationService>(server, `${root}.moderation.moderation-service`, "ModerationService");
		moderation.configure({ maxObjectsPerMinute: 1e6, maxObjectsInRadius: 1e6, maxSameItemType: 1e6, checkRadius: 50 });
		world.join(server, { userId: 7001, name: "Bencher", runScripts: false });
		waitUntil(() => builds.isLoaded(7001), 60, "the build to load");
		const player = server.game.GetService("Players").GetPlayerByUserId(7001)!;
		const plot = builds.plotOf(7001)!;

		// Synthetic neighbours everywhere except the builder's own plot.
		const random = new Random(objects);
		const size = new Vector3(2, 4, 2);
		for (let index = 0; index < objects; index++) {
			let x = random.NextNumber(-WORLD_AREA / 2, WORLD_AREA / 2);
			const z = random.NextNumber(-WORLD_AREA / 2, WORLD_AREA / 2);
			if (math.abs(x - plot.origin.X) < 150 && math.abs(z - plot.origin.Z) < 150) x += 400;
			const worldPosition = new Vector3(x, 0, z);
			tracker.add({
				id: `neighbour-${index}`,
				ownerId: -1 - (index % 50),
				itemId: "chair",
				position: worldPosition,
				rotation: 0,
				placedAt: 0,
				worldPosition,
				worldBox: footprintBox(worldPosition, size, 0),
				placedFrame: -1,
			});
		}

		const placeTimes = new SplitSamples();
		const removeTimes = new SplitSamples();
		let placed = 0;
		const split = timeSplit(() => {
			for (let call = 0; call < TIMED_CALLS; call++) {
				const position = new Vector3(2 + (call % 30) * 3, 0, 2 + (math.floor(call / 30) % 30) * 3);
				let stop = startSplit();
				const result = systems.placeObject(player, "lamp", position, 0);
				placeTimes.record(stop());
				if (!result.success) continue;
				placed += 1;
				stop = startSplit();
				systems.removeObject(player, result.placementId);
				removeTimes.record(stop());
			}
		});
		print(
			`${objects} objects in the world (one run; each percentile is one call's time, split): placeObject p50 ${splitLabel(placeTimes.at(50))} p99 ${splitLabel(placeTimes.at(99))}` +
				` | removeObject p50 ${splitLabel(removeTimes.at(50))} p99 ${splitLabel(removeTimes.at(99))} [${placed}/${TIMED_CALLS} placed]`,
		);
		print(`  place + remove: ${splitText(split, TIMED_CALLS)}`);
		world.stop();
	}
}
