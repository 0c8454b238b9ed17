import { AuditEntry } from "shared/admin/admin-types";

/** The folding key of a refusal by a player with no role (see AuditLog), or undefined. */
function noRoleKeyOf(entry: AuditEntry): string | undefined {
	return !entry.allowed && entry.role === "none" ? `${entry.userId} ${entry.command} ${entry.result}` : undefined;
}

/** Mutable while it waits in the batch: rate-limited repeats fold into it. */
type PendingEntry = { -readonly [K in keyof AuditEntry]: AuditEntry[K] };

/**
 * The admin audit in memory: the latest entries for reading, and the batch not yet written to
 * the DataStore. A refusal identical to the previous pending entry of the same caller (a
 * rate-limited burst) is folded into it as a repeat, so spam costs one entry, not thousands. A
 * player with no role gets one entry per command and result in each batch, whatever arguments
 * they vary: their calls cannot push staff entries out of the audit.
 */
export class AuditLog {
	private readonly recent: AuditEntry[] = [];
	private pending: PendingEntry[] = [];
	private oldestPendingAt?: number;
	/** The pending refusals of players with no role, by caller, command and result. */
	private readonly pendingOfNoRole = new Map<string, PendingEntry>();
	private droppedCount = 0;

	constructor(
		private readonly capacity: number,
		/** Most entries waiting to be written; while the DataStore is down the oldest are dropped beyond it. */
		private readonly pendingLimit = math.huge,
	) {}

	record(entry: AuditEntry, now: number) {
		const last = this.pending[this.pending.size() - 1];
		if (
			last !== undefined &&
			!entry.allowed &&
			!last.allowed &&
			last.userId === entry.userId &&
			last.command === entry.command &&
			last.args === entry.args &&
			last.result === entry.result
		) {
			last.repeats += 1 + entry.repeats;
			return;
		}
		const noRoleKey = noRoleKeyOf(entry);
		if (noRoleKey !== undefined) {
			const earlier = this.pendingOfNoRole.get(noRoleKey);
			if (earlier !== undefined) {
				earlier.repeats += 1 + entry.repeats;
				return;
			}
		}
		const stored: PendingEntry = { ...entry };
		if (noRoleKey !== undefined) this.pendingOfNoRole.set(noRoleKey, stored);
		this.pending.push(stored);
		if (this.pending.size() > this.pendingLimit) this.dropOldest();
		this.recent.push(stored);
		if (this.recent.size() > this.capacity) this.recent.shift();
		this.oldestPendingAt ??= now;
	}

	/** The newest `count` entries, newest last. */
	latest(count: number): AuditEntry[] {
		const size = this.recent.size();
		const result: AuditEntry[] = [];
		for (let index = math.max(0, size - count); index < size; index++) result.push({ ...this.recent[index] });
		return result;
	}

	/** Entries dropped unwritten because too many were waiting. */
	dropped(): number {
		return this.droppedCount;
	}

	pendingCount(): number {
		return this.pending.size();
	}

	/** Seconds the oldest unwritten entry has waited at `now`. */
	pendingAge(now: number): number {
		return this.oldestPendingAt === undefined ? 0 : now - this.oldestPendingAt;
	}

	/** Hands the pending batch over for writing; `restore` puts it back if the write fails. */
	takeBatch(): AuditEntry[] {
		const batch = this.pending.map((entry) => ({ ...entry }));
		this.pending = [];
		this.pendingOfNoRole.clear();
		this.oldestPendingAt = undefined;
		return batch;
	}

	/** Puts a batch whose write failed back in front of what arrived since. */
	restore(batch: AuditEntry[], now: number) {
		const newer = this.pending;
		this.pending = [...batch.map((entry) => ({ ...entry })), ...newer];
		while (this.pending.size() > this.pendingLimit) this.dropOldest();
		// The restored copies join the folding: one entry per key, the first of them.
		this.pendingOfNoRole.clear();
		for (const pending of this.pending) {
			const key = noRoleKeyOf(pending);
			if (key !== undefined && !this.pendingOfNoRole.has(key)) this.pendingOfNoRole.set(key, pending);
		}
		this.oldestPendingAt = now;
	}

	/** Drops the oldest pending entry unwritten (too many wait), and its place in the folding. */
	private dropOldest() {
		const dropped = this.pending.shift()!;
		this.droppedCount += 1;
		const key = noRoleKeyOf(dropped);
		if (key !== undefined && this.pendingOfNoRole.get(key) === dropped) this.pendingOfNoRole.delete(key);
	}
}
