import { SplitSamples, splitLabel, splitText, startSplit, timeSplit } from "../harness/bench-timing";
import { fillWorld, startBenchBuilder } from "../harness/bench-builder";

const TIMED_CALLS = 600;
const SCENARIOS = [1000, 10000, 100000];

/** Server time per placeObject and removeObject with 1k, 10k and 100k objects already in the world. */
export function run() {
	for (const objects of SCENARIOS) {
		const builder = startBenchBuilder(50);
		const { world, systems, player } = builder;
		fillWorld(builder, objects, objects);

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
