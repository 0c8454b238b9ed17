/**
 * Rolling window of frame durations in a fixed ring buffer, so recording a frame never
 * allocates.
 */
export class FrameWindow {
	private readonly durations: number[] = [];
	private next = 0;
	private count = 0;
	private total = 0;

	constructor(private readonly capacity: number) {
		assert(capacity >= 1, "FrameWindow needs room for at least one frame");
		for (let index = 0; index < capacity; index++) {
			this.durations[index] = 0;
		}
	}

	record(duration: number) {
		if (this.count === this.capacity) {
			this.total -= this.durations[this.next];
		} else {
			this.count += 1;
		}
		this.durations[this.next] = duration;
		this.total += duration;
		this.next = (this.next + 1) % this.capacity;
	}

	/** Average frames per second over the window; 0 before the first frame. */
	framesPerSecond(): number {
		return this.total > 0 ? this.count / this.total : 0;
	}

	/** The longest frame in the window, in seconds. */
	longestFrame(): number {
		let longest = 0;
		for (let index = 0; index < this.count; index++) {
			longest = math.max(longest, this.durations[index]);
		}
		return longest;
	}

	size(): number {
		return this.count;
	}
}
