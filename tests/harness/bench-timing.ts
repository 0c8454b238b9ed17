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
