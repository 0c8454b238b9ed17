import { Service } from "@flamework/core";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { ConflictResolver } from "./conflict-resolver";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		conflictResolver: ConflictResolverSystem;
	}
}

export interface ConflictResolverReport {
	readonly frame: number;
}

/** The conflict resolver as a critical system: healthy while its frame counter advances. */
@Service()
export class ConflictResolverSystem implements CriticalSystem {
	readonly systemName = "conflictResolver";
	readonly servesPlacements = true;
	readonly isolates: readonly object[];
	private seenFrame = -1;
	private seenAt = 0;

	constructor(readonly resolver: ConflictResolver) {
		this.isolates = [resolver];
	}

	/** Same-frame conflicts are told apart by the frame counter: a counter that stops is a fault. */
	status(): SystemStatus {
		const frame = this.resolver.currentFrame();
		if (frame !== this.seenFrame) {
			this.seenFrame = frame;
			this.seenAt = time();
		}
		const stalled = time() - this.seenAt;
		if (stalled > 1) return { state: "DEGRADED", reason: `its frame counter has not advanced for ${string.format("%.1f", stalled)} s` };
		return { state: "OPERATIONAL", reason: `frame ${frame}` };
	}

	report(): ConflictResolverReport {
		return { frame: this.resolver.currentFrame() };
	}

	/** The frame counter stays; a restart resets the stall check and forgets this frame's placements. */
	restart() {
		this.resolver.forgetPlacedThisFrame();
		this.seenFrame = this.resolver.currentFrame();
		this.seenAt = time();
	}
}
