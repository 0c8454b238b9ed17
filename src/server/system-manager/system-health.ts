import { SlidingWindow } from "server/moderation/sliding-window";
import { SystemState, SystemStatus, STATE_SEVERITY } from "./critical-system";

export interface HealthLimits {
	readonly failedAfterErrors: number;
	readonly errorWindowSeconds: number;
	readonly recentErrors: number;
}

/** What SystemManager knows about one system beyond its own status: errors and restarts. */
export interface SystemHealthFigures {
	readonly totalErrors: number;
	readonly errorsInWindow: number;
	readonly restarts: number;
	readonly recentErrors: readonly string[];
}

/**
 * One system's health as SystemManager tracks it: errors caught by isolation make it DEGRADED,
 * `failedAfterErrors` within the window make it FAILED until a restart, a restart in progress
 * makes it RESTARTING. Combined with the system's own status, the worst wins. Engine-free.
 */
export class SystemHealth {
	private readonly errors: SlidingWindow;
	private readonly recent: string[] = [];
	private totalErrors = 0;
	private restarts = 0;
	private failedReason?: string;
	private restarting = false;

	constructor(private readonly limits: HealthLimits) {
		this.errors = new SlidingWindow(limits.errorWindowSeconds, limits.failedAfterErrors);
	}

	/** Counts an error caught in `where` at time `now`. */
	recordError(now: number, where: string, message: string) {
		this.totalErrors += 1;
		this.errors.record(now);
		this.recent.push(`${where}: ${message}`);
		if (this.recent.size() > this.limits.recentErrors) this.recent.remove(0);
		if (this.failedReason === undefined && this.errors.count(now) >= this.limits.failedAfterErrors) {
			this.failedReason = `${this.limits.failedAfterErrors} errors within ${this.limits.errorWindowSeconds} s (last in ${where}: ${message})`;
		}
	}

	beginRestart() {
		this.restarting = true;
	}

	/** A finished restart clears the failure and the error window; totals are kept. */
	endRestart(succeeded: boolean) {
		this.restarting = false;
		if (!succeeded) return;
		this.restarts += 1;
		this.failedReason = undefined;
		this.errors.clear();
	}

	isRestarting(): boolean {
		return this.restarting;
	}

	/** The state shown for the system: the worst of its own status and what isolation saw. */
	combine(own: SystemStatus, now: number): SystemStatus {
		const candidates: SystemStatus[] = [own];
		if (this.restarting) candidates.push({ state: "RESTARTING", reason: "restart in progress" });
		if (this.failedReason !== undefined) candidates.push({ state: "FAILED", reason: this.failedReason });
		const inWindow = this.errors.count(now);
		if (inWindow > 0) {
			const last = this.recent[this.recent.size() - 1];
			candidates.push({ state: "DEGRADED", reason: `${inWindow} error(s) in the last ${this.limits.errorWindowSeconds} s (last: ${last})` });
		}
		let worst = candidates[0];
		for (const candidate of candidates) if (STATE_SEVERITY[candidate.state] > STATE_SEVERITY[worst.state]) worst = candidate;
		return worst;
	}

	figures(now: number): SystemHealthFigures {
		return { totalErrors: this.totalErrors, errorsInWindow: this.errors.count(now), restarts: this.restarts, recentErrors: [...this.recent] };
	}
}

export type { SystemState };
