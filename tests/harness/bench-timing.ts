/** Real time of a measured section and the emulated engine's share of it (see Headless.engineTime). */
export interface TimeSplit {
	readonly total: number;
	readonly engine: number;
	readonly game: number;
}

/** Runs `fn` and splits the real seconds it took into the game's and the emulated engine's. */
export function timeSplit(fn: () => void): TimeSplit {
	const engineBefore = Headless.engineTime();
	const startedAt = Headless.realClock();
	fn();
	const total = Headless.realClock() - startedAt;
	const engine = math.min(Headless.engineTime() - engineBefore, total);
	return { total, engine, game: total - engine };
}

/** "game X + engine Y per call" in the unit that suits benchmarks of this size. */
export function splitText(split: TimeSplit, calls = 1): string {
	const per = (seconds: number) => seconds / calls;
	const unit = (seconds: number) =>
		seconds >= 1e-3 ? string.format("%.3f ms", seconds * 1e3) : string.format("%.2f µs", seconds * 1e6);
	return `game ${unit(per(split.game))} + emulated engine ${unit(per(split.engine))}${calls > 1 ? " per call" : ""}`;
}

/** A split from a total and the engine's share of it (the share clamped to 0..total: the two clocks are read a moment apart). */
export function splitOf(total: number, engine: number): TimeSplit {
	const clamped = math.clamp(engine, 0, math.max(total, 0));
	return { total, engine: clamped, game: total - clamped };
}

/** Starts timing now; the returned function, called when the work is done, gives its split. */
export function startSplit(): () => TimeSplit {
	const engineBefore = Headless.engineTime();
	const startedAt = Headless.realClock();
	return () => {
		const total = Headless.realClock() - startedAt;
		return splitOf(total, Headless.engineTime() - engineBefore);
	};
}

/** The split of one call out of `calls`. */
export function perCallSplit(split: TimeSplit, calls: number): TimeSplit {
	return { total: split.total / calls, engine: split.engine / calls, game: split.game / calls };
}

/** `a` without `b` (e.g. frames with work sent, less the same frames idle), game and engine each. */
export function splitMinus(a: TimeSplit, b: TimeSplit): TimeSplit {
	return { total: a.total - b.total, engine: a.engine - b.engine, game: a.game - b.game };
}

/** The split whose total is least (fastest-of-N). */
export function fastestSplit(splits: readonly TimeSplit[]): TimeSplit {
	let best = splits[0];
	for (const split of splits) if (split.total < best.total) best = split;
	return best;
}

function timeUnit(seconds: number): [number, string, string] {
	const size = math.abs(seconds);
	if (size >= 1) return [1, "s", "%.2f"];
	if (size >= 1e-3) return [1e3, "ms", "%.3f"];
	return [1e6, "µs", "%.2f"];
}

/** "12.30 µs (game 10.10 + engine 2.20)": the total per call (of `calls`) in the unit that suits it, and its split in the same unit. */
export function splitLabel(split: TimeSplit, calls = 1): string {
	const [factor, unit, format] = timeUnit(split.total / calls);
	const shown = (seconds: number) => string.format(format, (seconds / calls) * factor);
	return `${shown(split.total)} ${unit} (game ${shown(split.game)} + engine ${shown(split.engine)})`;
}

/**
 * Per-call splits for percentiles: the call at a nearest-rank percentile of the totals (as
 * RollingSamples ranks them) is reported with its own game and engine time.
 */
export class SplitSamples {
	private readonly samples: TimeSplit[] = [];

	record(split: TimeSplit) {
		this.samples.push(split);
	}

	count(): number {
		return this.samples.size();
	}

	/** The sample at the `p`th nearest-rank percentile of the totals; a zero split when empty. */
	at(p: number): TimeSplit {
		const count = this.samples.size();
		if (count === 0) return { total: 0, engine: 0, game: 0 };
		const sorted = [...this.samples].sort((a, b) => a.total < b.total);
		return sorted[math.clamp(math.ceil((p * count) / 100), 1, count) - 1];
	}
}

/**
 * The clock is wall time: on a loaded machine every figure stretches. One add and one multiply in
 * a loop, timed: "reference: 17.0 ns (game 17.0 + engine 0.0) per plain Luau loop step …", so
 * runs can be compared.
 */
export function referenceLine(): string {
	const steps = 5e6;
	let sum = 0;
	const loop = timeSplit(() => {
		for (let index = 0; index < steps; index++) sum += index * 2;
	});
	const ns = (seconds: number) => string.format("%.1f", (seconds / steps) * 1e9);
	return `reference: ${ns(loop.total)} ns (game ${ns(loop.game)} + engine ${ns(loop.engine)}) per plain Luau loop step on this machine right now (${sum > 0 ? "measured" : ""})`;
}
