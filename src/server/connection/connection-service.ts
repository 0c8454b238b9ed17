import { OnStart, Service } from "@flamework/core";
import { Workspace } from "@rbxts/services";
import { inboundGate } from "server/inbound-gate/gated-server";
import { Events } from "server/network";
import { ServerPerformanceService } from "server/performance/server-performance-service";

/** Largest sequence number a client may send; anything else is not a real probe. */
const MAX_SEQUENCE = 2 ** 31;

export function isValidSequence(sequence: number): boolean {
	return sequence === sequence && sequence >= 0 && sequence <= MAX_SEQUENCE && sequence % 1 === 0;
}

/** Answers clients' latency probes. */
@Service()
export class ConnectionService implements OnStart {
	private rejectedProbes = 0;

	constructor(private readonly performance: ServerPerformanceService) {}

	onStart() {
		Events.ping.connect((player, sequence) => {
			if (!isValidSequence(sequence)) {
				this.rejectedProbes += 1;
				// No real client sends one: counted by the gate as malformed, and a strike.
				inboundGate.reportMalformed(player, "ping", os.clock());
				return;
			}
			Events.pong.fire(player, sequence, Workspace.GetServerTimeNow(), this.performance.snapshot().framesPerSecond);
		});
	}

	/** Probes refused because their sequence number was out of range. */
	rejectedProbeCount(): number {
		return this.rejectedProbes;
	}
}
