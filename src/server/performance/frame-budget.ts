/**
 * Spreads long work across frames: `spend()` yields to the next frame once the work has used
 * its share of the current one, so a large job never causes a frame spike.
 */
export class FrameBudget {
	private frameStartedAt = os.clock();

	/** `secondsPerFrame` of CPU per frame; `enabled` false runs the work in one go. */
	constructor(
		private readonly secondsPerFrame: number,
		private readonly enabled = true,
	) {}

	spend() {
		if (!this.enabled || os.clock() - this.frameStartedAt < this.secondsPerFrame) return;
		task.wait();
		this.frameStartedAt = os.clock();
	}
}
