import { RollingSamples } from "server/analytics/rolling-samples";
import { SpatialHash, createLinearIndex, createSpatialHash } from "server/placement-tracker/spatial-hash";
import { TimeSplit, splitLabel, startSplit } from "../harness/bench-timing";

const AREA = 2000;
const CELL_SIZE = 48;
const RADIUS = 50;
const BOX_SIZE = 100;
const HASH_QUERIES = 5000;

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

/** Spatial hash against the linear scan (radius 50 and 100×100 box queries, 2000×2000 studs), and RollingSamples. */
export function run() {
	const random = new Random(20260101);
	for (const scenario of SCENARIOS) {
		benchScenario(scenario, random);
	}
	benchRollingSamples(random);
}
