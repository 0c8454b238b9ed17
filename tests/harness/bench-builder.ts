import type { BuildService } from "server/builds/build-service";
import type { ModerationService } from "server/moderation/moderation-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { PlotService } from "server/plots/plot-service";
import type { SystemManager } from "server/system-manager/system-manager";
import { singletonOf, waitUntil, World } from "./world";

const ROOT = "ServerScriptService.TS";
/** Other players' objects fill a square this wide around the builder's plot. */
const WORLD_AREA = 3000;

type Plot = NonNullable<ReturnType<PlotService["plotOf"]>>;

/** A server with one builder (user 7001) whose build has loaded, for the placement benches. */
export interface BenchBuilder {
	readonly world: World;
	readonly server: HeadlessServer;
	readonly systems: SystemManager;
	readonly tracker: PlacementTracker;
	readonly builds: BuildService;
	readonly player: Player;
	readonly plot: Plot;
}

/** Starts the server and the builder; moderation keeps its radius rules at `checkRadius` and puts no limit on the pace. */
export function startBenchBuilder(checkRadius: number): BenchBuilder {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const systems = singletonOf<SystemManager>(server, `${ROOT}.system-manager.system-manager`, "SystemManager");
	const tracker = singletonOf<PlacementTracker>(server, `${ROOT}.placement-tracker.placement-tracker`, "PlacementTracker");
	const builds = singletonOf<BuildService>(server, `${ROOT}.builds.build-service`, "BuildService");
	const moderation = singletonOf<ModerationService>(server, `${ROOT}.moderation.moderation-service`, "ModerationService");
	moderation.configure({ maxObjectsPerMinute: 1e6, maxObjectsInRadius: 1e6, maxSameItemType: 1e6, checkRadius });
	world.join(server, { userId: 7001, name: "Bencher", runScripts: false });
	waitUntil(() => builds.isLoaded(7001), 60, "the build to load");
	const player = server.game.GetService("Players").GetPlayerByUserId(7001)!;
	return { world, server, systems, tracker, builds, player, plot: builds.plotOf(7001)! };
}

/** Tracks a chair of `ownerId` at `worldPosition` (no model, no profile: a neighbour for the checks to count). */
export function addChair(tracker: PlacementTracker, id: string, ownerId: number, worldPosition: Vector3) {
	tracker.add({
		id,
		ownerId,
		itemId: "chair",
		position: worldPosition,
		rotation: 0,
		placedAt: 0,
		worldPosition,
	});
}

/** `count` chairs of 50 other owners scattered over the world, none on the builder's plot; the same ones for the same `seed`. */
export function fillWorld(builder: BenchBuilder, count: number, seed: number) {
	const random = new Random(seed);
	const origin = builder.plot.origin;
	for (let index = 0; index < count; index++) {
		let x = random.NextNumber(-WORLD_AREA / 2, WORLD_AREA / 2);
		const z = random.NextNumber(-WORLD_AREA / 2, WORLD_AREA / 2);
		if (math.abs(x - origin.X) < 150 && math.abs(z - origin.Z) < 150) x += 400;
		addChair(builder.tracker, `neighbour-${index}`, -1 - (index % 50), new Vector3(x, 0, z));
	}
}
