import { RollingSamples } from "server/analytics/rolling-samples";
import { SpatialHash, createLinearIndex, createSpatialHash } from "server/placement-tracker/spatial-hash";
import { TimeSplit, fastestSplit, referenceLine, splitLabel, startSplit, timeSplit } from "../harness/bench-timing";
import { TRACKER_CELL_SIZE } from "server/placement-tracker/placement-tracker";

const AREA = 2000;
const CELL_SIZE = 48;
const RADIUS = 50;
const BOX_SIZE = 100;
const HASH_QUERIES = 5000;
/** Item ids the kind lines give their footprints, as the placement tracker gives its item ids. */
const KINDS = ["wood-wall", "wood-floor", "chair", "table", "lamp", "tree", "fence", "door", "window", "bed", "shelf", "rug"];
/** Runs of each kind line; the least is printed (the host's other load only ever adds time). */
const KIND_RUNS = 3;
/** The world size whose index heap is measured. */
const HEAP_OBJECTS = 100000;

interface Scenario {
	readonly objects: number;
	/** Queries timed on the linear index: a full scan at 100k objects takes milliseconds. */
	readonly linearQueries: number;
}

const SCENARIOS: Scenario[] = [
	{ objects: 1000, linearQueries: 5000 },
	{ objects: 10000, linearQueries: 500 },
	{ objects: 100000, linearQueries: 60 },
];

function microseconds(seconds: number, count: number): number {
	return (seconds / count) * 1e6;
}

// Pure Luau: the engine share is measured all the same (Headless.engineTime around the same work), not assumed to be 0.
function fill(index: SpatialHash, ids: string[], boxes: number[]): TimeSplit {
	const stop = startSplit();
	for (let object = 0; object < ids.size(); object++) {
		const offset = object * 4;
		index.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3]);
	}
	return stop();
}

/** Time of `count` queries; `found` accumulates the result sizes so both indexes can be compared. */
function timeQueries(index: SpatialHash, kind: "radius" | "box", points: number[], count: number, found: { total: number }): TimeSplit {
	const out: string[] = [];
	const stop = startSplit();
	for (let query = 0; query < count; query++) {
		const x = points[query * 2];
		const z = points[query * 2 + 1];
		if (kind === "radius") {
			index.queryRadius(x, z, RADIUS, out);
		} else {
			index.queryBox(x, z, x + BOX_SIZE, z + BOX_SIZE, out);
		}
		found.total += out.size();
	}
	return stop();
}

function benchScenario(scenario: Scenario, random: Random) {
	const ids: string[] = [];
	const boxes: number[] = [];
	for (let object = 0; object < scenario.objects; object++) {
		const x = random.NextNumber(0, AREA);
		const z = random.NextNumber(0, AREA);
		ids.push(`object${object}`);
		boxes.push(x, z, x + random.NextNumber(2, 20), z + random.NextNumber(2, 20));
	}
	const points: number[] = [];
	for (let query = 0; query < HASH_QUERIES; query++) {
		points.push(random.NextNumber(0, AREA), random.NextNumber(0, AREA));
	}

	const hash = createSpatialHash(CELL_SIZE);
	const linear = createLinearIndex();
	const hashInsert = fill(hash, ids, boxes);
	const linearInsert = fill(linear, ids, boxes);
	print(
		string.format(
			"%d objects: insert %s (hash) vs %s (linear), one run each",
			scenario.objects,
			splitLabel(hashInsert, scenario.objects),
			splitLabel(linearInsert, scenario.objects),
		),
	);

	for (const kind of ["radius", "box"] as const) {
		// Warm-up, then the linear index's queries are the first ones the hash also answers.
		timeQueries(hash, kind, points, 50, { total: 0 });
		const hashFound = { total: 0 };
		const hashSeconds = timeQueries(hash, kind, points, HASH_QUERIES, hashFound);
		const sharedFromHash = { total: 0 };
		timeQueries(hash, kind, points, scenario.linearQueries, sharedFromHash);
		const linearFound = { total: 0 };
		const linearSeconds = timeQueries(linear, kind, points, scenario.linearQueries, linearFound);
		assert(
			sharedFromHash.total === linearFound.total,
			`${kind} queries disagree: ${sharedFromHash.total} results (hash) vs ${linearFound.total} (linear)`,
		);
		const hashMicros = microseconds(hashSeconds.total, HASH_QUERIES);
		const linearMicros = microseconds(linearSeconds.total, scenario.linearQueries);
		print(
			string.format(
				"%d objects: %s query %s (hash) vs %s (linear) → %.0fx   [%.1f results/query; %d vs %d queries, one run each]",
				scenario.objects,
				kind,
				splitLabel(hashSeconds, HASH_QUERIES),
				splitLabel(linearSeconds, scenario.linearQueries),
				linearMicros / hashMicros,
				hashFound.total / HASH_QUERIES,
				HASH_QUERIES,
				scenario.linearQueries,
			),
		);
	}
	for (const cellSize of [CELL_SIZE, TRACKER_CELL_SIZE]) benchKinds(scenario.objects, ids, boxes, points, random, cellSize);
}

/**
 * Counting one kind near a point: one index whose entries carry kinds (what the placement
 * tracker keeps) against the former design, the main index plus one more index per kind (every
 * insert went into both). Same footprints, same points, equal counts asserted.
 */
function benchKinds(objects: number, ids: string[], boxes: number[], points: number[], random: Random, cellSize: number) {
	const kinds: string[] = [];
	for (let object = 0; object < objects; object++) kinds.push(KINDS[random.NextInteger(0, KINDS.size() - 1)]);
	let merged = createSpatialHash(cellSize);
	let main = createSpatialHash(cellSize);
	let byKind = new Map<string, SpatialHash>();
	const mergedFills: TimeSplit[] = [];
	const separateFills: TimeSplit[] = [];
	for (let run = 0; run < KIND_RUNS; run++) {
		merged = createSpatialHash(cellSize);
		main = createSpatialHash(cellSize);
		byKind = new Map();
		for (const kind of KINDS) byKind.set(kind, createSpatialHash(cellSize));
		const into = merged;
		mergedFills.push(
			timeSplit(() => {
				for (let object = 0; object < objects; object++) {
					const offset = object * 4;
					into.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3], kinds[object]);
				}
			}),
		);
		const intoMain = main;
		const intoKinds = byKind;
		separateFills.push(
			timeSplit(() => {
				for (let object = 0; object < objects; object++) {
					const offset = object * 4;
					intoMain.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3]);
					intoKinds.get(kinds[object])!.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3]);
				}
			}),
		);
	}
	const count = (variant: "all" | "merged" | "separate", found: { total: number }) =>
		timeSplit(() => {
			for (let query = 0; query < HASH_QUERIES; query++) {
				const x = points[query * 2];
				const z = points[query * 2 + 1];
				const kind = KINDS[query % KINDS.size()];
				if (variant === "all") found.total += merged.countRadius(x, z, RADIUS, math.huge);
				else if (variant === "merged") found.total += merged.countRadius(x, z, RADIUS, math.huge, kind);
				else found.total += byKind.get(kind)!.countRadius(x, z, RADIUS, math.huge);
			}
		});
	const least = (variant: "all" | "merged" | "separate") => {
		const runs: TimeSplit[] = [];
		const found = { total: 0 };
		for (let run = 0; run < KIND_RUNS; run++) {
			found.total = 0;
			runs.push(count(variant, found));
		}
		return { split: fastestSplit(runs), found: found.total };
	};
	const all = least("all");
	const ofKindMerged = least("merged");
	const ofKindSeparate = least("separate");
	assert(
		ofKindMerged.found === ofKindSeparate.found,
		`kind counts disagree: ${ofKindMerged.found} (one index) vs ${ofKindSeparate.found} (index per kind)`,
	);
	const mergedFill = fastestSplit(mergedFills);
	const separateFill = fastestSplit(separateFills);
	print(
		string.format(
			"%d objects, %d kinds, cell size %d: insert with a kind %s (one index) vs %s (main index + index per kind) → %.2fx; count of one kind within %d %s (one index) vs %s (index per kind) → %.2fx [%.1f of %.1f counted/query]; count of all %s; least of %d runs; %s",
			objects,
			KINDS.size(),
			cellSize,
			splitLabel(mergedFill, objects),
			splitLabel(separateFill, objects),
			separateFill.total / mergedFill.total,
			RADIUS,
			splitLabel(ofKindMerged.split, HASH_QUERIES),
			splitLabel(ofKindSeparate.split, HASH_QUERIES),
			ofKindSeparate.split.total / ofKindMerged.split.total,
			ofKindMerged.found / HASH_QUERIES,
			all.found / HASH_QUERIES,
			splitLabel(all.split, HASH_QUERIES),
			KIND_RUNS,
			// A settled heap drives a whole collection cycle, which is slow: measured once, at the largest world and the tracker's cell size.
			cellSize === TRACKER_CELL_SIZE && objects === HEAP_OBJECTS ? heapOfKinds(objects, ids, boxes, kinds, cellSize) : "heap not measured",
		),
	);
}

/** Live heap per footprint of one index with kinds against the main index plus one index per kind (both kept alive until measured). */
function heapOfKinds(objects: number, ids: string[], boxes: number[], kinds: string[], cellSize: number): string {
	const before = Headless.settledHeap();
	const merged = createSpatialHash(cellSize);
	for (let object = 0; object < objects; object++) {
		const offset = object * 4;
		merged.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3], kinds[object]);
	}
	const afterMerged = Headless.settledHeap();
	const main = createSpatialHash(cellSize);
	const byKind = new Map<string, SpatialHash>();
	for (let object = 0; object < objects; object++) {
		const offset = object * 4;
		main.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3]);
		let index = byKind.get(kinds[object]);
		if (index === undefined) {
			index = createSpatialHash(cellSize);
			byKind.set(kinds[object], index);
		}
		index.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3]);
	}
	const afterSeparate = Headless.settledHeap();
	assert(merged.size() === main.size() && byKind.size() > 0);
	const perObject = (kb: number) => (kb * 1024) / objects;
	return string.format(
		"heap %.0f bytes per footprint (one index) vs %.0f (main index + index per kind)",
		perObject(afterMerged - before),
		perObject(afterSeparate - afterMerged),
	);
}

function benchRollingSamples(random: Random) {
	const capacity = 1000;
	const samples = new RollingSamples(capacity);
	const recordCount = 100000;
	let stop = startSplit();
	for (let sample = 0; sample < recordCount; sample++) {
		samples.record(random.NextNumber(0, 100));
	}
	const recordSeconds = stop();
	const summaries = 500;
	stop = startSplit();
	for (let round = 0; round < summaries; round++) {
		samples.summary();
	}
	const summarySeconds = stop();
	print(
		string.format(
			"RollingSamples(%d): record %s (with a Random:NextNumber per sample), summary() %s, one run each",
			capacity,
			splitLabel(recordSeconds, recordCount),
			splitLabel(summarySeconds, summaries),
		),
	);
}

/** Spatial hash against the linear scan (radius 50 and 100×100 box queries, 2000×2000 studs), counts by kind, and RollingSamples. */
export function run() {
	print(referenceLine());
	const random = new Random(20260101);
	for (const scenario of SCENARIOS) {
		benchScenario(scenario, random);
	}
	benchRollingSamples(random);
}
