/** The delays a backoff takes from the journal's settings (read at each retry: settings may change). */
export interface BackoffDelays {
	readonly retryBaseSeconds: number;
	readonly retryMaxSeconds: number;
}

/** The wait before retry number `attempt` (from 0): the base, doubling, up to the cap. */
export function backoffSeconds(delays: BackoffDelays, attempt: number): number {
	return math.min(delays.retryMaxSeconds, delays.retryBaseSeconds * 2 ** attempt);
}

/**
 * One job's retries: at most one waiting at a time, each after twice the previous wait, up to a
 * cap; `reset` once the job succeeds starts the next failure from the shortest wait again.
 */
export class RetryBackoff {
	private waiting = false;
	/** Retries under way (one yields on its requests; the next may start before it is over). */
	private running = 0;
	private attempt = 0;
	/** When the waiting retry runs (time()). */
	private dueAt = 0;

	constructor(private readonly delays: () => BackoffDelays) {}

	isWaiting(): boolean {
		return this.waiting;
	}

	isRunning(): boolean {
		return this.running > 0;
	}

	/** Whether a retry is running, or waiting to run by `deadline` (time()). */
	underWayBy(deadline: number): boolean {
		return this.running > 0 || (this.waiting && this.dueAt <= deadline);
	}

	reset() {
		this.attempt = 0;
	}

	/** Runs `retry` after the next wait, unless a retry is already waiting; then `over`, once it no longer counts as running. */
	schedule(retry: () => void, over?: () => void) {
		if (this.waiting) return;
		this.waiting = true;
		const seconds = backoffSeconds(this.delays(), this.attempt);
		this.attempt += 1;
		this.dueAt = time() + seconds;
		task.delay(seconds, () => {
			this.waiting = false;
			this.running += 1;
			const [ok, problem] = pcall(retry);
			this.running -= 1;
			over?.();
			if (!ok) error(problem, 0);
		});
	}
}
