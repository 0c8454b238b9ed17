import { DataStoreService } from "@rbxts/services";
import { BackupLimits } from "shared/config/backup-config";
import { BackupPriority } from "./backup-types";
import { yieldUntil } from "shared/threads/yield-until";

/** Budgets each kind of DataStore call draws from (UpdateAsync needs a read and a write). */
const BUDGETS = {
	read: [Enum.DataStoreRequestType.GetAsync],
	write: [Enum.DataStoreRequestType.SetIncrementAsync],
	update: [Enum.DataStoreRequestType.GetAsync, Enum.DataStoreRequestType.SetIncrementAsync],
} as const;

export type RequestKind = keyof typeof BUDGETS;

/** Emergency backups run inside the shutdown window, so they retry sooner and give up sooner. */
const EMERGENCY_RETRY_MAX_SECONDS = 4;

/** Hooks nothing: a runner whose work is never preempted. */
const NEVER = () => () => {};

/** Raised inside a backup when an emergency backup takes over. */
export const PREEMPTED = "preempted by an emergency backup";

/** Requests of each budget to leave to ProfileStore while `loadedProfiles` profiles are loaded. */
export function profileSaveReserve(loadedProfiles: number): number {
	return BackupLimits.reserveFloor + BackupLimits.reservePerProfile * loadedProfiles;
}

/** Counts what one backup's requests cost. */
export interface RequestTally {
	requests: number;
	retries: number;
}

/**
 * Runs backup DataStore requests politely: a normal request waits while its budget is down to
 * what ProfileStore needs for the loaded profiles, and every failure is retried with exponential
 * backoff and jitter until the attempts run out.
 */
export class BackupRequests {
	private readonly jitter = new Random();

	constructor(
		/** Requests of each budget to leave untouched for profile saves. */
		private readonly reserve: () => number,
		/** True once an emergency backup wants the DataStore; normal work then stops. */
		private readonly preempted: () => boolean,
		/** Hooks `wake` to an emergency backup starting to want the DataStore; returns how to unhook it. */
		private readonly whenPreempted: (wake: () => void) => () => void = NEVER,
	) {}

	run<T>(kind: RequestKind, what: string, priority: BackupPriority, tally: RequestTally, request: () => T): T {
		if (priority === "normal") this.waitForBudget(kind);
		const retryMax = priority === "emergency" ? EMERGENCY_RETRY_MAX_SECONDS : BackupLimits.retryMaxSeconds;
		let lastProblem = "";
		for (let attempt = 1; attempt <= BackupLimits.maxAttempts; attempt++) {
			if (priority === "normal" && this.preempted()) error(PREEMPTED, 0);
			tally.requests += 1;
			const [ok, result] = pcall(request);
			if (ok) return result;
			lastProblem = tostring(result);
			if (attempt === BackupLimits.maxAttempts) break;
			tally.retries += 1;
			const backoff = math.min(retryMax, BackupLimits.retryBaseSeconds * 2 ** (attempt - 1));
			this.pause(backoff * this.jitter.NextNumber(0.75, 1.25), priority);
		}
		error(`${what} failed after ${BackupLimits.maxAttempts} attempts: ${lastProblem}`, 0);
	}

	/**
	 * Waits out a retry's backoff. A normal request's wait ends early once an emergency backup
	 * wants the DataStore (at shutdown it has only the rest of the 30 s).
	 */
	private pause(seconds: number, priority: BackupPriority) {
		if (priority !== "normal") task.wait(seconds);
		else if (!this.preempted()) yieldUntil(seconds, this.whenPreempted);
	}

	/** Waits (bounded) until every budget the request uses is above the reserve. */
	private waitForBudget(kind: RequestKind) {
		const deadline = os.clock() + BackupLimits.budgetWaitSeconds;
		while (os.clock() < deadline && !this.preempted()) {
			let enough = true;
			for (const budget of BUDGETS[kind]) {
				if (DataStoreService.GetRequestBudgetForRequestType(budget) <= this.reserve()) enough = false;
			}
			if (enough) return;
			task.wait(1);
		}
	}
}
