import { OnInit, OnStart, OnTick, Service } from "@flamework/core";
import { FrameWindow } from "./frame-window";

/** Frames kept for the rolling frame rate: two seconds at 60 Hz. */
const FRAME_WINDOW = 120;

export interface PerformanceSnapshot {
	readonly framesPerSecond: number;
	readonly longestFrameSeconds: number;
	readonly uptimeSeconds: number;
	readonly ticks: number;
}

/** Measures the server's frame rate and uptime from Flamework's tick. */
@Service()
export class ServerPerformanceService implements OnInit, OnStart, OnTick {
	private frames!: FrameWindow;
	private startedAt = 0;
	private started = false;
	private ticks = 0;

	onInit() {
		this.frames = new FrameWindow(FRAME_WINDOW);
	}

	onStart() {
		this.startedAt = time();
		this.started = true;
	}

	onTick(deltaTime: number) {
		this.ticks += 1;
		this.frames.record(deltaTime);
	}

	snapshot(): PerformanceSnapshot {
		return {
			framesPerSecond: this.frames.framesPerSecond(),
			longestFrameSeconds: this.frames.longestFrame(),
			uptimeSeconds: this.started ? time() - this.startedAt : 0,
			ticks: this.ticks,
		};
	}
}
