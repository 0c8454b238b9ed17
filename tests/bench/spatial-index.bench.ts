import { RollingSamples } from "server/analytics/rolling-samples";
import { SpatialHash, createLinearIndex, createSpatialHash } from "server/placement-tracker/spatial-hash";


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

function fill(index: SpatialHash, ids: string[], boxes: number[]): number {
	const startedAt = Headless.realClock();
	for (let object = 0; object < ids.size(); object++) {
		const offset = object * 4;
		index.insert(ids[object], boxes[offset], boxes[offset + 1], boxes[offset + 2], boxes[offset + 3]);
	}
	return Headless.realClock() - startedAt;
}

/** Seconds for `count` queries; `found` accumulates the result sizes so both indexes can be compared. */
function timeQueries(index: SpatialHash, kind: "radius" | "box", points: number[], count: number, found: { total: number }): number {
	const out: string[] = [];
	const startedAt = Headless.realClock();
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
	return Headless.realClock() - startedAt;
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
			"%d objects: insert %.2f µs (hash) vs %.2f µs (linear)",
			scenario.objects,
			microseconds(hashInsert, scenario.objects),
			microseconds(linearInsert, scenario.objects),
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
		const hashMicros = microseconds(hashSeconds, HASH_QUERIES);
		const linearMicros = microseconds(linearSeconds, scenario.linearQueries);
		print(
			string.format(
				"%d objects: %s query %.1f µs (hash) vs %.0f µs (linear) → %.0fx   [%.1f results/query; %d vs %d queries]",
				scenario.objects,
				kind,
				hashMicros,
				linearMicros,
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
	let startedAt = Headless.realClock();
	for (let sample = 0; sample < recordCount; sample++) {
		samples.record(random.NextNumber(0, 100));
	}
	const recordSeconds = Headless.realClock() - startedAt;
	const summaries = 500;
	startedAt = Headless.realClock();
	for (let round = 0; round < summaries; round++) {
		samples.summary();
	}
	const summarySeconds = Headless.realClock() - startedAt;
	print(
		string.format(
			"RollingSamples(%d): record %.2f µs, summary() %.1f µs",
			capacity,
			microseconds(recordSeconds, recordCount),
			microseconds(summarySeconds, summaries),
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
