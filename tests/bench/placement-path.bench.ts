import { RollingSamples } from "server/analytics/rolling-samples";
import type { BuildService } from "server/builds/build-service";
import type { BuildJournalService } from "server/build-journal/build-journal-service";
import type { PlayerDataService } from "server/player-data/player-data-service";
import type * as GatedServer from "server/inbound-gate/gated-server";
import type { ModerationService } from "server/moderation/moderation-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { SystemManager } from "server/system-manager/system-manager";
import { encodedSize, encodedSizeByJson } from "server/builds/build-size";
import { SplitSamples, TimeSplit, perCallSplit, referenceLine, splitLabel, splitMinus, startSplit, timeSplit } from "../harness/bench-timing";
import { addChair, fillWorld, startBenchBuilder } from "../harness/bench-builder";
import { singletonOf, waitUntil, World } from "../harness/world";

const TIMED_CALLS = 400;
/**
 * Each timed placement is made (and undone) this many times and its fastest run kept: the
 * machine's other load preempts single runs for milliseconds, which says nothing about the code.
 * The runs of one placement are spread over the whole measurement (see the passes in run), and
 * every run's figure is reported too.
 */
const REPEATS = 5;
const SCENARIOS = [1000, 10000, 100000];
/** A busy plot: this many objects within the moderation check radius of every placement. */
const BUSY_NEIGHBOURS = 64;
const CHECK_RADIUS = 50;

function micros(seconds: number): string {
	return string.format("%.1f µs", seconds * 1e6);
}

function kilobytes(kb: number): string {
	return string.format("%.2f KB", kb);
}


/**
 * placeObject with the game's own time separated from the emulated engine's (Headless.engineTime:
 * real time inside engine calls such as Clone, parenting, remotes and MemoryStore requests), at
 * 1k/10k/100k objects with an empty and a busy plot; then server CPU per malformed and per
 * rate-limited call against a valid one.
 *
 * A placement waits for the journal's batch write of its resumption cycle (JournalBatchWriter):
 * the call's own work is its time minus the time it waited (JournalBatchWriter.lastWaitTime), and
 * the flush's cost per change is reported beside it, so nothing of a placement's CPU goes
 * unreported. The journal is kept within its memory budget (a profile save lands between calls,
 * untimed; see keepJournalInBudget).
 */
export function run() {
	print(referenceLine());
	for (const objects of SCENARIOS) {
		for (const busy of [false, true]) {
			const builder = startBenchBuilder(CHECK_RADIUS);
			const { world, server, systems, tracker, plot, player } = builder;
			const journal = singletonOf<BuildJournalService>(server, "ServerScriptService.TS.build-journal.build-journal-service", "BuildJournalService");
			const playerData = singletonOf<PlayerDataService>(server, "ServerScriptService.TS.player-data.player-data-service", "PlayerDataService");
			const writer = journal.batchWriter();
			writer.measureWith(() => Headless.realClock(), () => Headless.engineTime());

			fillWorld(builder, objects - (busy ? BUSY_NEIGHBOURS : 0), objects);
			if (busy) {
				// 64 of the builder's own objects on the far rows of their plot, all within the radius of
				// every timed placement: a plot is busy with what its owner built there.
				for (let index = 0; index < BUSY_NEIGHBOURS; index++) {
					const position = plot.origin.add(new Vector3(30 + (index % 16) * 2.5, 0, 60 + math.floor(index / 16) * 2.5));
					addChair(tracker, `busy-${index}`, player.UserId, position);
				}
			}

			// The world's setup (and the scenarios before it) left garbage the collector has yet to walk:
			// driven through it now, untimed, so the timed calls do not pay for it.
			Headless.settledHeap();
			const whole = new RollingSamples(TIMED_CALLS);
			const gameLogic = new RollingSamples(TIMED_CALLS);
			const flushWhole = new RollingSamples(TIMED_CALLS);
			const flushGame = new RollingSamples(TIMED_CALLS);
			// Every run's time, slow ones included (after the bench's upkeep, preempted by the host, or
			// paying a collector step).
			const everyRunGame = new RollingSamples(TIMED_CALLS * REPEATS);
			const everyRunWhole = new RollingSamples(TIMED_CALLS * REPEATS);
			let done = 0;
			let durable = 0;
			// A call that yields (the journal waiting for its write) would count the frames it
			// waited through as its own time: those calls are counted and reported, never hidden.
			let yielded = 0;
			// Heap growth of each timed run (the wait taken out), and of each flush per change: what the
			// collector later has to walk, which is where the slowest calls spend their extra time.
			const callHeap = new RollingSamples(TIMED_CALLS * REPEATS);
			const flushHeap = new RollingSamples(TIMED_CALLS * REPEATS);
			// Each placement's runs are spread over the whole measurement (one pass after another over
			// every placement, each pass in its own shuffled order), not made back to back: a stall of
			// the host, or the slow stretch after the bench's own upkeep, then slows one run of a
			// placement, not all of them, and never the same placements pass after pass.
			const order: number[] = [];
			for (let call = 0; call < TIMED_CALLS; call++) order.push(call);
			const shuffler = new Random(objects + (busy ? 1 : 0));
			const fastestWhole: number[] = table.create(TIMED_CALLS, math.huge);
			const fastestGame: number[] = table.create(TIMED_CALLS, math.huge);
			const fastestFlushWhole: number[] = table.create(TIMED_CALLS, math.huge);
			const fastestFlushGame: number[] = table.create(TIMED_CALLS, math.huge);
			for (let pass = 0; pass < REPEATS; pass++) {
				for (let index = TIMED_CALLS - 1; index > 0; index--) {
					const other = shuffler.NextInteger(0, index);
					[order[index], order[other]] = [order[other], order[index]];
				}
				for (const call of order) {
					const position = new Vector3(30 + (call % 20) * 2, 0, 30 + (math.floor(call / 20) % 10) * 2);
					let result: ReturnType<SystemManager["placeObject"]> | undefined;
					const frameBefore = Headless.frame();
					const batchesBefore = writer.counts().batches;
					const writtenBefore = journal.usage().entriesWritten;
					const heapBeforeCall = collectgarbage("count");
					const split = timeSplit(() => (result = systems.placeObject(player, "lamp", position, 0)));
					const heapAfterCall = collectgarbage("count");
					// The call waited for its batch write: what ran meanwhile (that flush, other threads) is
					// taken out, and the flush is reported on its own.
					const flushed = writer.counts().batches !== batchesBefore;
					const flush = flushed ? writer.lastFlushCost() : undefined;
					const wait = flushed ? writer.lastWaitTime() : undefined;
					const waitSeconds = wait !== undefined ? wait.seconds : 0;
					const waitGameSeconds = wait !== undefined ? wait.seconds - wait.engineSeconds : 0;
					const flushSeconds = flush !== undefined ? flush.seconds : 0;
					const flushGameSeconds = flush !== undefined ? flush.seconds - flush.engineSeconds : 0;
					// Only a placement that went through counts: a refused one does less work.
					if (result !== undefined && result.success) {
						done += 1;
						if (result.saved === "durable") durable += 1;
						if (Headless.frame() !== frameBefore) yielded += 1;
						callHeap.record(heapAfterCall - heapBeforeCall - (wait !== undefined ? wait.heapKb : 0));
						if (flush !== undefined) flushHeap.record(flush.heapKb / flush.entries);
						const callSeconds = split.total - waitSeconds;
						const callGameSeconds = split.game - waitGameSeconds;
						fastestWhole[call] = math.min(fastestWhole[call], callSeconds);
						fastestGame[call] = math.min(fastestGame[call], callGameSeconds);
						everyRunWhole.record(callSeconds);
						everyRunGame.record(callGameSeconds);
						if (flush !== undefined && journal.usage().entriesWritten > writtenBefore) {
							fastestFlushWhole[call] = math.min(fastestFlushWhole[call], flushSeconds / flush.entries);
							fastestFlushGame[call] = math.min(fastestFlushGame[call], flushGameSeconds / flush.entries);
						}
						systems.removeObject(player, result.placementId);
					}
					const heapBefore = collectgarbage("count");
					keepJournalInBudget(journal, playerData, player);
					keepRequestUnits(server);
					collectUpkeepGarbage(heapBefore);
				}
			}
			for (let call = 0; call < TIMED_CALLS; call++) {
				if (fastestGame[call] === math.huge) continue;
				whole.record(fastestWhole[call]);
				gameLogic.record(fastestGame[call]);
				if (fastestFlushWhole[call] < math.huge) {
					flushWhole.record(fastestFlushWhole[call]);
					flushGame.record(fastestFlushGame[call]);
				}
			}
			const inRadius = tracker.near(plot.origin.X + 40, plot.origin.Z + 40, CHECK_RADIUS, []).size();
			const wholeSummary = whole.summary();
			const gameSummary = gameLogic.summary();
			const flushWholeSummary = flushWhole.summary();
			const flushGameSummary = flushGame.summary();
			const everyRunSummary = everyRunGame.summary();
			const everyRunWholeSummary = everyRunWhole.summary();
			print(
				`${objects} objects, ${busy ? `busy plot (${inRadius} within ${CHECK_RADIUS} studs)` : "empty plot"}, fastest of ${REPEATS} per call: placeObject game logic (emulated engine time taken out) p50 ${micros(gameSummary.p50)} p99 ${micros(gameSummary.p99)} (target ≤ 50 µs; every run: p50 ${micros(everyRunSummary.p50)} p99 ${micros(everyRunSummary.p99)})` +
					` | whole call p50 ${micros(wholeSummary.p50)} p99 ${micros(wholeSummary.p99)} (target ≤ 150 µs; every run: p50 ${micros(everyRunWholeSummary.p50)} p99 ${micros(everyRunWholeSummary.p99)})` +
					` | its journal batch write (1 change per frame, entry + claim; ${flushGameSummary.count} calls wrote) game p50 ${micros(flushGameSummary.p50)} p99 ${micros(flushGameSummary.p99)}, whole p50 ${micros(flushWholeSummary.p50)} p99 ${micros(flushWholeSummary.p99)}` +
					` | heap growth per call ${kilobytes(callHeap.percentile(50))}, per change written ${kilobytes(flushHeap.percentile(50))} (medians)` +
					` [${done}/${TIMED_CALLS * REPEATS} runs placed, ${durable} answered durable, ${gameSummary.count}/${TIMED_CALLS} placements timed, ${yielded} runs yielded]`,
			);
			if (objects === 1000 && !busy) inboundCosts(world, server, systems, tracker);
			if (objects === 100000 && busy) againstNaive(server, tracker, plot.origin.add(new Vector3(40, 0, 40)));
			world.stop();
		}
	}
	batchedJournal();
}

/**
 * The journal's batch write against one write and one claim per change: one player makes K
 * changes in one resumption cycle (K placements from their own threads, as K requests delivered
 * in one frame are handled), and the MemoryStore requests of that cycle's flush are counted.
 */
function batchedJournal() {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const root = "ServerScriptService.TS";
	const systems = singletonOf<SystemManager>(server, `${root}.system-manager.system-manager`, "SystemManager");
	const builds = singletonOf<BuildService>(server, `${root}.builds.build-service`, "BuildService");
	const journal = singletonOf<BuildJournalService>(server, `${root}.build-journal.build-journal-service`, "BuildJournalService");
	const moderation = singletonOf<ModerationService>(server, `${root}.moderation.moderation-service`, "ModerationService");
	moderation.configure({ maxObjectsPerMinute: 1e6, maxObjectsInRadius: 1e6, maxSameItemType: 1e6, checkRadius: CHECK_RADIUS });
	world.join(server, { userId: 7003, name: "Batcher", runScripts: false });
	waitUntil(() => builds.isLoaded(7003), 60, "the build to load");
	const player = server.game.GetService("Players").GetPlayerByUserId(7003)!;
	const writer = journal.batchWriter();
	writer.measureWith(
		() => Headless.realClock(),
		() => Headless.engineTime(),
	);
	const parts: string[] = [];
	let perChangeRequests = 0;
	let placed = 0;
	for (const changes of [1, 4, 16]) {
		const unitsBefore = journal.status().requestUnitsLastMinute;
		const answers: string[] = [];
		for (let index = 0; index < changes; index++) {
			const position = new Vector3(4 + (placed % 40) * 2, 0, 4 + math.floor(placed / 40) * 2);
			placed += 1;
			task.spawn(() => {
				const result = systems.placeObject(player, "lamp", position, 0);
				answers.push(result.success ? (result.saved ?? "none") : result.reason);
			});
		}
		waitUntil(() => answers.size() === changes, 10, "the batch's answers");
		const requests = journal.status().requestUnitsLastMinute - unitsBefore;
		if (changes === 1) perChangeRequests = requests;
		const flush = writer.lastFlushCost();
		const durable = answers.filter((answer) => answer === "durable").size();
		parts.push(
			`${changes} change(s): ${requests} requests vs ${perChangeRequests * changes} one write and claim per change (${string.format("%.1f×", (perChangeRequests * changes) / requests)}), ` +
				`flush ${micros((flush.seconds - flush.engineSeconds) / flush.entries)} game + ${micros(flush.engineSeconds / flush.entries)} engine per change, ${durable}/${changes} durable`,
		);
	}
	print(`journal batch write, one player's changes in one frame: ${parts.join("; ")}`);
	world.stop();
}

/**
 * Lands a profile save (untimed) once the journal holds more than a quarter of its budget, so the
 * trim keeps it within the budget: without saves landing, a few hundred changes fill it and every
 * later placement skips its write.
 */
function keepJournalInBudget(journal: BuildJournalService, playerData: PlayerDataService, player: Player) {
	// usage(), not status(): status walks every player's journal and reads the quotas, work the timed calls should not share.
	const usage = journal.usage();
	if (usage.bytesUsed <= usage.memoryBudgetBytes / 4) return;
	playerData.loadedProfiles().get(player)!.Save();
	// The trim spends a request unit per entry: when the minute's units are nearly spent it waits for
	// the next minute, so the wait allows more than a minute.
	waitUntil(() => journal.usage().bytesUsed <= usage.memoryBudgetBytes / 8, 150, "a save to trim the journal");
}

/**
 * The untimed upkeep between calls (a profile save, a virtual minute of frames) allocates; Luau's
 * collector pays for garbage as later code allocates, so that bill would land on the next timed
 * calls. Allocating as much short-lived garbage again (untimed) drives the collector through it first.
 */
function collectUpkeepGarbage(heapBeforeKb: number) {
	const grown = collectgarbage("count") - heapBeforeKb;
	if (grown <= 0) return;
	let sink: unknown;
	// About 90 bytes per four-slot table.
	for (let index = 0; index < (grown * 1024) / 90; index++) sink = [1, 2, 3, 4];
	assert(sink !== undefined);
}

/** Request units one timed run can spend: its placement and removal, each an entry and a claim. */
const RUN_REQUEST_UNITS = 4;

/**
 * The timed calls make changes far faster than any player (two per run, no virtual time
 * passing): before the experience's MemoryStore request units for the minute run out, the clock
 * jumps a minute (untimed), so every timed change is written and answered durable as in play.
 */
function keepRequestUnits(server: HeadlessServer) {
	const usage = server.memoryStoreUsage();
	// Twice what the next run spends, to spare.
	if (usage.requestUnitsLastMinute + 2 * RUN_REQUEST_UNITS <= usage.requestUnitsPerMinute) return;
	Headless.skipTime(61);
}

/**
 * Server CPU for one call as it arrives from a client: a client peer fires a batch of calls at
 * the placeObject remote, and the frames that deliver and handle them are timed against the
 * same frames with nothing sent. The sender's gate state is reset before each batch so every
 * call of a batch meets the same verdict (valid, malformed) and nobody is kicked mid-run.
 */
function inboundCosts(world: World, server: HeadlessServer, systems: SystemManager, tracker: PlacementTracker) {
	const gated = server.requirePath("ServerScriptService.TS.inbound-gate.gated-server") as typeof GatedServer;
	const gate = gated.inboundGate;
	const contract = gated.gatedRemotes().find((candidate) => candidate.name === "placeObject")!;
	const client = world.join(server, { userId: 7002, name: "Caller", runScripts: false });
	Headless.frames(2);
	const player = client.player;
	const folder = client.game
		.GetService("ReplicatedStorage")
		.GetChildren()
		.find((child) => child.GetAttribute("id") === contract.folderId)!;
	const remote = folder.GetChildren().find((child) => child.GetAttribute("id") === contract.remoteId) as RemoteEvent;
	const BATCH = 10;
	const ROUNDS = 30;
	const FRAMES = 3;
	let requestId = 0;
	const batchCost = (send: (index: number) => void, cleanUp: () => void) => {
		const costs: TimeSplit[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			gate.reset(player);
			let stop = startSplit();
			Headless.frames(FRAMES);
			const idle = stop();
			gate.reset(player);
			for (let index = 0; index < BATCH; index++) send(round * BATCH + index);
			stop = startSplit();
			Headless.frames(FRAMES);
			costs.push(perCallSplit(splitMinus(stop(), idle), BATCH));
			cleanUp();
		}
		costs.sort((a, b) => a.total < b.total);
		return costs[math.floor(ROUNDS / 2)];
	};
	const removeAll = () => {
		const ids: string[] = [];
		for (const [id] of tracker.ownedBy(7002)) ids.push(id);
		for (const id of ids) systems.removeObject(player, id);
	};
	const positionOf = (index: number) => new Vector3(4 + (index % 40) * 2, 0, 4 + (math.floor(index / 40) % 40) * 2);
	const valid = batchCost((index) => remote.FireServer(requestId++, "lamp", positionOf(index), 0), removeAll);
	const malformed = batchCost(() => remote.FireServer(requestId++, 5, "not a vector", {}, "extra"), () => undefined);
	const rateLimited = batchCost(
		(index) => {
			// The batch's first calls drain the bucket; these are all refused by the rate limit.
			if (index % BATCH === 0) for (let drain = 0; drain < contract.budget.burst; drain++) gate.check(player, contract, ["lamp"], 1, os.clock());
			remote.FireServer(requestId++, "lamp", positionOf(index), 0);
		},
		removeAll,
	);
	const decideMalformed = timeDecision(() => gate.check(player, contract, [5, "not a vector", {}, "extra"], 4, os.clock()), () => gate.reset(player));
	print(
		`server CPU per call from a client (engine delivery, Flamework's chain, the gate, the handler, the answer; median of ${ROUNDS} batches of ${BATCH}):` +
			` valid placement ${splitLabel(valid)}, malformed ${splitLabel(malformed)} (${string.format("%.2f", malformed.total / valid.total)}× a valid one),` +
			` rate-limited ${splitLabel(rateLimited)} (${string.format("%.2f", rateLimited.total / valid.total)}×); the gate's own decision on a malformed call ${splitLabel(decideMalformed)} (median of 1000)`,
	);
	client.disconnect();
}

/** Each faster step of the placement path against the way it was done before, in the same run. */
function againstNaive(server: HeadlessServer, tracker: PlacementTracker, at: Vector3) {
	const stored = { id: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", itemId: "lamp", x: 40, y: 0, z: 40, rotation: 90, placedAt: 1767225600 };
	const byJson = timeDecision(() => {
		encodedSizeByJson(stored);
		encodedSizeByJson(stored);
	}, () => undefined);
	const byArithmetic = timeDecision(() => encodedSize(stored), () => undefined);
	// The placement path's call: the id is one the server just made, so it is not scanned.
	const serverMade = timeDecision(() => encodedSize(stored, true), () => undefined);
	const scratch: string[] = [];
	let same = 0;
	const listed = timeDecision(() => {
		const nearby = tracker.near(at.X, at.Z, CHECK_RADIUS, scratch);
		same = 0;
		for (const id of nearby) if (tracker.get(id)?.itemId === "lamp") same += 1;
	}, () => undefined);
	assert(same >= 0);
	const counted = timeDecision(() => {
		tracker.countNear(at.X, at.Z, CHECK_RADIUS, 60);
		tracker.countNear(at.X, at.Z, CHECK_RADIUS, 12, "lamp");
	}, () => undefined);
	const storage = server.game.GetService("ReplicatedStorage");
	const templates = new Map<string, Instance>();
	const waited = timeDecision(() => storage.WaitForChild("TS").WaitForChild("catalog").WaitForChild("models").FindFirstChild("lamp"), () => undefined);
	const cached = timeDecision(() => {
		let template = templates.get("lamp");
		if (template === undefined) {
			template = storage.WaitForChild("TS").WaitForChild("catalog").WaitForChild("models").FindFirstChild("lamp")!;
			templates.set("lamp", template);
		}
		return template.Parent !== undefined;
	}, () => undefined);
	const ratio = (naive: TimeSplit, fast: TimeSplit) => string.format("%.1f×", naive.total / fast.total);
	print(
		`against the naive steps (100k objects, busy plot, medians of 1000): build size ${splitLabel(byArithmetic)} by arithmetic (${splitLabel(serverMade)} for an id the server just made) vs ${splitLabel(byJson)} for two JSON encodes (${ratio(byJson, byArithmetic)}; ${ratio(byJson, serverMade)});` +
			` density ${splitLabel(counted)} counting to the private preset's limits vs ${splitLabel(listed)} listing, sorting and looking up every hit (${ratio(listed, counted)});` +
			` catalog template ${splitLabel(cached)} cached vs ${splitLabel(waited)} by WaitForChild (${ratio(waited, cached)})`,
	);
}

/** The median call of `decide` (by its time, with its game and engine split), with `reset` (untimed) before each. */
function timeDecision(decide: () => void, reset: () => void): TimeSplit {
	const samples = new SplitSamples();
	for (let index = 0; index < 1000; index++) {
		reset();
		const stop = startSplit();
		decide();
		samples.record(stop());
	}
	return samples.at(50);
}
