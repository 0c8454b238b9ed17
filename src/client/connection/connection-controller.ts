import { Controller, OnStart } from "@flamework/core";
import Signal from "@rbxts/signal";
import { Events } from "client/network";

export interface LatencySample {
	readonly sequence: number;
	readonly roundTripSeconds: number;
	readonly serverTime: number;
	readonly serverFramesPerSecond: number;
}

/** Seconds between latency probes. */
const PROBE_INTERVAL = 5;

/** Measures the round trip to the server with `ping`/`pong` probes. */
@Controller()
export class ConnectionController implements OnStart {
	/** Fires for every answered probe. */
	readonly sampled = new Signal<(sample: LatencySample) => void>();
	private readonly sentAt = new Map<number, number>();
	private nextSequence = 0;
	private latest?: LatencySample;

	onStart() {
		Events.pong.connect((sequence, serverTime, serverFramesPerSecond) => {
			const sentAt = this.sentAt.get(sequence);
			if (sentAt === undefined) return;
			this.sentAt.delete(sequence);
			const sample = { sequence, roundTripSeconds: time() - sentAt, serverTime, serverFramesPerSecond };
			this.latest = sample;
			this.sampled.Fire(sample);
		});
		task.spawn(() => {
			for (;;) {
				this.probe();
				task.wait(PROBE_INTERVAL);
			}
		});
	}

	/** Sends one probe now; returns its sequence number. */
	probe(): number {
		const sequence = this.nextSequence++;
		this.sentAt.set(sequence, time());
		Events.ping.fire(sequence);
		return sequence;
	}

	latestSample(): LatencySample | undefined {
		return this.latest;
	}
}
