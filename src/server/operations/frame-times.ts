import { OnTick, Service } from "@flamework/core";
import { RollingSamples } from "server/analytics/rolling-samples";

/** Frames kept: ten seconds at 60 Hz. */
const WINDOW = 600;

/** Server frame durations for the frame-time p99 and the FPS low of the last ten seconds. */
@Service()
export class FrameTimes implements OnTick {
	private readonly samples = new RollingSamples(WINDOW);

	onTick(deltaTime: number) {
		this.samples.record(deltaTime);
	}

	/** The 99th percentile frame duration, seconds. */
	p99(): number {
		return this.samples.percentile(99);
	}

	/** Frames per second of the longest frame in the window (the worst moment). */
	lowestFps(): number {
		const longest = this.samples.percentile(100);
		return longest > 0 ? 1 / longest : 0;
	}
}
