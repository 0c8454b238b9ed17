/** MemoryStore request units spent over the last minute, counted as the experience quota counts them. */
export class RequestMeter {
	private readonly spent: Array<[at: number, units: number]> = [];
	private total = 0;

	constructor(private readonly windowSeconds = 60) {}

	add(now: number, units: number) {
		this.spent.push([now, units]);
		this.total += units;
	}

	/** Units spent in the window ending at `now`. */
	lastWindow(now: number): number {
		while (this.spent.size() > 0 && this.spent[0][0] <= now - this.windowSeconds) {
			this.total -= this.spent.shift()![1];
		}
		return this.total;
	}
}
