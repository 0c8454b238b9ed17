import { RollingSamples } from "server/analytics/rolling-samples";
import type { BuildService } from "server/builds/build-service";
import type { PlacedObjectService } from "server/builds/placed-object-service";
import type * as GatedServer from "server/inbound-gate/gated-server";
import type { ModerationService } from "server/moderation/moderation-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { SystemManager } from "server/system-manager/system-manager";
import { footprintBox } from "shared/placement/footprint";
import { singletonOf, waitUntil, World } from "../harness/world";

const WORLD_AREA = 3000;
const TIMED_CALLS = 400;
/**
 * Each timed placement is made (and undone) this many times and its fastest run kept: the
 * machine's other load preempts single runs for milliseconds, which says nothing about the code.
 */
const REPEATS = 3;
const SCENARIOS = [1000, 10000, 100000];
/** A busy plot: this many objects within the moderation check radius of every placement. */
const BUSY_NEIGHBOURS = 64;
const CHECK_RADIUS = 50;

function micros(seconds: number): string {
	return string.format("%.1f µs", seconds * 1e6);
}

interface PromiseLike {
	catch(handler: () => void): void;
}

interface NetworkModule {
	/** Flamework's sender method, called with the sender as self. */
	Events: { objectPlaced: { broadcast: (sender: unknown, ...args: unknown[]) => void } };
	Functions: { placeObject: { predict(player: Player, ...args: unknown[]): PromiseLike } };
}

/**
 * placeObject with the game's own time separated from the emulated engine's (spawning the model
 * and broadcasting it are timed apart and subtracted), at 1k/10k/100k objects with an empty and
 * a busy plot; then server CPU per malformed and per rate-limited call against a valid one.
 */
export function run() {
	for (const objects of SCENARIOS) {
		for (const busy of [false, true]) {
			const world = new World();
			const server = world.startServer({ dataStore: Headless.newDataStore() });
			const root = "ServerScriptService.TS";
			const systems = singletonOf<SystemManager>(server, `${root}.system-manager.system-manager`, "SystemManager");
			const tracker = singletonOf<PlacementTracker>(server, `${root}.placement-tracker.placement-tracker`, "PlacementTracker");
			const builds = singletonOf<BuildService>(server, `${root}.builds.build-service`, "BuildService");
			const moderation = singletonOf<ModerationService>(server, `${root}.moderation.moderation-service`, "ModerationService");
			const placed = singletonOf<PlacedObjectService>(server, `${root}.builds.placed-object-service`, "PlacedObjectService");
			const network = server.requirePath(`${root}.network`) as NetworkModule;
			// Public limits on the radius rules (so the busy plot's counts matter), none on the pace.
			moderation.configure({ maxObjectsPerMinute: 1e6, maxObjectsInRadius: 1e6, maxSameItemType: 1e6, checkRadius: CHECK_RADIUS });
			world.join(server, { userId: 7001, name: "Bencher", runScripts: false });
			waitUntil(() => builds.isLoaded(7001), 60, "the build to load");
			const player = server.game.GetService("Players").GetPlayerByUserId(7001)!;
			const plot = builds.plotOf(7001)!;

			const random = new Random(objects);
			const size = new Vector3(2, 4, 2);
			const addNeighbour = (id: string, ownerId: number, worldPosition: Vector3) =>
				tracker.add({
					id,
					ownerId,
					itemId: "chair",
					position: worldPosition,
					rotation: 0,
					placedAt: 0,
					worldPosition,
					worldBox: footprintBox(worldPosition, size, 0),
					placedFrame: -1,
				});
			for (let index = 0; index < objects - (busy ? BUSY_NEIGHBOURS : 0); index++) {
				let x = random.NextNumber(-WORLD_AREA / 2, WORLD_AREA / 2);
				const z = random.NextNumber(-WORLD_AREA / 2, WORLD_AREA / 2);
				if (math.abs(x - plot.origin.X) < 150 && math.abs(z - plot.origin.Z) < 150) x += 400;
				addNeighbour(`neighbour-${index}`, -1 - (index % 50), new Vector3(x, 0, z));
			}
			if (busy) {
				// 64 objects on the far rows of the builder's plot, all within the radius of every timed placement.
				for (let index = 0; index < BUSY_NEIGHBOURS; index++) {
					const position = plot.origin.add(new Vector3(30 + (index % 16) * 2.5, 0, 60 + math.floor(index / 16) * 2.5));
					addNeighbour(`busy-${index}`, -99, position);
				}
			}

			let engineTime = 0;
			type Spawn = (self: PlacedObjectService, ...args: Parameters<PlacedObjectService["spawn"]>) => Model;
			const originalSpawn = placed.spawn as unknown as Spawn;
			(placed as unknown as { spawn: Spawn }).spawn = (service, ...args) => {
				const startedAt = Headless.realClock();
				const model = originalSpawn(service, ...args);
				engineTime += Headless.realClock() - startedAt;
				return model;
			};
			const broadcastHolder = network.Events.objectPlaced;
			const originalBroadcast = broadcastHolder.broadcast;
			broadcastHolder.broadcast = (sender: unknown, ...args: unknown[]) => {
				const startedAt = Headless.realClock();
				originalBroadcast(sender, ...args);
				engineTime += Headless.realClock() - startedAt;
			};

			const whole = new RollingSamples(TIMED_CALLS);
			const gameLogic = new RollingSamples(TIMED_CALLS);
			let done = 0;
			for (let call = 0; call < TIMED_CALLS; call++) {
				const position = new Vector3(30 + (call % 20) * 2, 0, 30 + (math.floor(call / 20) % 10) * 2);
				let fastestWhole = math.huge;
				let fastestGame = math.huge;
				for (let attempt = 0; attempt < REPEATS; attempt++) {
					engineTime = 0;
					const startedAt = Headless.realClock();
					const result = systems.placeObject(player, "lamp", position, 0);
					const elapsed = Headless.realClock() - startedAt;
					fastestWhole = math.min(fastestWhole, elapsed);
					fastestGame = math.min(fastestGame, elapsed - engineTime);
					if (!result.success) continue;
					if (attempt === 0) done += 1;
					systems.removeObject(player, result.placementId);
				}
				whole.record(fastestWhole);
				gameLogic.record(fastestGame);
			}
			(placed as unknown as { spawn: Spawn }).spawn = originalSpawn;
			broadcastHolder.broadcast = originalBroadcast;
			const inRadius = tracker.near(plot.origin.X + 40, plot.origin.Z + 40, CHECK_RADIUS, []).size();
			const wholeSummary = whole.summary();
			const gameSummary = gameLogic.summary();
			print(
				`${objects} objects, ${busy ? `busy plot (${inRadius} within ${CHECK_RADIUS} studs)` : "empty plot"}, fastest of ${REPEATS} per call: placeObject game logic p50 ${micros(gameSummary.p50)} p99 ${micros(gameSummary.p99)} (target ≤ 50 µs)` +
					` | whole call p50 ${micros(wholeSummary.p50)} p99 ${micros(wholeSummary.p99)} (target ≤ 150 µs) [${done}/${TIMED_CALLS} placed]`,
			);
			if (objects === 10000 && !busy) inboundCosts(server, network, player, systems, tracker);
			world.stop();
		}
	}
}

/** Server CPU for one call as the gate and Flamework's handler chain run it, per kind of call. */
function inboundCosts(server: HeadlessServer, network: NetworkModule, player: Player, systems: SystemManager, tracker: PlacementTracker) {
	const gate = (server.requirePath("ServerScriptService.TS.inbound-gate.gated-server") as typeof GatedServer).inboundGate;
	const calls = 400;
	// The median of each kind, the lowest of three rounds (see REPEATS).
	const time = (prepare: (index: number) => void, call: (index: number) => void, after?: (index: number) => void) => {
		let best = math.huge;
		for (let round = 0; round < REPEATS; round++) {
			const samples = new RollingSamples(calls);
			for (let index = 0; index < calls; index++) {
				prepare(index);
				const startedAt = Headless.realClock();
				call(index);
				samples.record(Headless.realClock() - startedAt);
				after?.(index);
			}
			best = math.min(best, samples.summary().p50);
		}
		return best;
	};
	const place = network.Functions.placeObject;
	const positionOf = (index: number) => new Vector3(30 + (index % 20) * 2, 0, 30 + (math.floor(index / 20) % 20) * 2);
	const valid = time(
		() => gate.forget(player),
		(index) => place.predict(player, "lamp", positionOf(index), 0).catch(() => {}),
		() => {
			const ids: string[] = [];
			for (const [id] of tracker.ownedBy(player.UserId)) ids.push(id);
			for (const id of ids) systems.removeObject(player, id);
		},
	);
	const malformed = time(
		() => gate.forget(player),
		() => place.predict(player, 5, "not a vector", {}, "extra").catch(() => {}),
	);
	for (let index = 0; index < 40; index++) place.predict(player, 5, "x").catch(() => {});
	const rateLimited = time(
		() => undefined,
		(index) => place.predict(player, "lamp", positionOf(index), 0).catch(() => {}),
	);
	print(
		`server CPU per call through the gate and Flamework's chain (p50): valid placement ${micros(valid)}, malformed ${micros(malformed)} (${string.format("%.2f", malformed / valid)}× a valid one), rate-limited ${micros(rateLimited)} (${string.format("%.2f", rateLimited / valid)}×)`,
	);
}
