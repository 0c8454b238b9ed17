import { DataStoreService } from "@rbxts/services";
import { BackupRequests, RequestTally } from "server/data-backup/backup-requests";
import { AuditEntry } from "shared/admin/admin-types";
import { AuditConfig } from "shared/config/admin-config";
import { DataStoreNames } from "shared/config/data-stores";

/** The key holding the number of the newest batch. */
const HEAD_KEY = "head";

function batchKey(sequence: number): string {
	return `batch_${sequence}`;
}

interface StoredBatch {
	readonly entries: AuditEntry[];
}

/** Old batches whose removal failed, kept to be tried again with the next write (at most this many). */
const MAX_REMOVALS_OWED = 64;

/**
 * The audit's own DataStore: batches of entries under `batch_<n>`, with `head` holding the
 * newest n (taken with UpdateAsync, so servers never write the same batch). Only the newest
 * `retainedBatches` are kept: writing batch n removes batch n - retainedBatches. Requests go
 * through the backups' polite runner: they wait while the budget is down to the reserve kept
 * for profile saves, and retry with backoff.
 */
export class AuditStore {
	private readonly store = DataStoreService.GetDataStore(DataStoreNames.adminAudit);
	/** Batches this server should have removed and could not yet, oldest first. */
	private readonly removalsOwed: number[] = [];
	private removed = 0;
	private removalsFailed = 0;

	constructor(
		private readonly requests: BackupRequests,
		private readonly retainedBatches: number = AuditConfig.retainedBatches,
	) {}

	/** Batches removed past the retention, and removals that failed (each is tried again with the next write). */
	retention(): { removed: number; failed: number; owed: number } {
		return { removed: this.removed, failed: this.removalsFailed, owed: this.removalsOwed.size() };
	}

	/** Appends one batch; throws when the DataStore keeps failing. */
	append(batch: AuditEntry[]): number {
		const tally: RequestTally = { requests: 0, retries: 0 };
		const [sequence] = this.requests.run("update", "audit head", "normal", tally, () =>
			this.store.UpdateAsync(HEAD_KEY, (current: unknown) =>
				// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync's transform returns a tuple
				$tuple((typeIs(current, "number") ? current : 0) + 1),
			),
		);
		const taken = sequence as number;
		const stored: StoredBatch = { entries: batch };
		this.requests.run("write", "audit batch", "normal", tally, () => this.store.SetAsync(batchKey(taken), stored));
		if (taken > this.retainedBatches) this.removalsOwed.push(taken - this.retainedBatches);
		this.removeOwed(tally);
		return taken;
	}

	/** Removes the batches past the retention this server owes; a failure keeps the batch owed (the write already succeeded). */
	private removeOwed(tally: RequestTally) {
		while (this.removalsOwed.size() > 0) {
			const sequence = this.removalsOwed[0];
			const [ok] = pcall(() => this.requests.run("write", "audit retention", "normal", tally, () => this.store.RemoveAsync(batchKey(sequence))));
			if (!ok) {
				this.removalsFailed += 1;
				while (this.removalsOwed.size() > MAX_REMOVALS_OWED) this.removalsOwed.shift();
				return;
			}
			this.removalsOwed.shift();
			this.removed += 1;
		}
	}

	/** The newest `count` stored entries, newest last (reads at most the configured batches). */
	readLatest(count: number): AuditEntry[] {
		const tally: RequestTally = { requests: 0, retries: 0 };
		const [head] = this.requests.run("read", "audit head", "normal", tally, () => this.store.GetAsync(HEAD_KEY));
		if (!typeIs(head, "number")) return [];
		const newestFirst: AuditEntry[][] = [];
		let found = 0;
		for (let sequence = head; sequence >= 1 && head - sequence < AuditConfig.maxBatchesRead && found < count; sequence--) {
			const [value] = this.requests.run("read", "audit batch", "normal", tally, () => this.store.GetAsync(batchKey(sequence)));
			// A batch whose write never finished leaves a gap; the ones around it still count.
			if (!typeIs(value, "table")) continue;
			const entries = (value as StoredBatch).entries;
			newestFirst.push(entries);
			found += entries.size();
		}
		const all: AuditEntry[] = [];
		for (let index = newestFirst.size() - 1; index >= 0; index--) for (const entry of newestFirst[index]) all.push(entry);
		return all.size() > count ? all.filter((_, index) => index >= all.size() - count) : all;
	}
}
