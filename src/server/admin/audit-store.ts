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
	/** Removals earned by numbers whose batch write failed, owed once a later write lands. */
	private readonly removalsWaiting: number[] = [];
	private removed = 0;
	private removalsFailed = 0;
	private removalsGivenUp = 0;
	private removing = false;

	constructor(
		private readonly requests: BackupRequests,
		private readonly retainedBatches: number = AuditConfig.retainedBatches,
	) {}

	/**
	 * Batches removed past the retention; removals that failed (each stays owed and is tried again
	 * by the next `removeOwed`); owed ones given up past MAX_REMOVALS_OWED (left stored).
	 */
	retention(): { removed: number; failed: number; owed: number; givenUp: number } {
		return { removed: this.removed, failed: this.removalsFailed, owed: this.removalsOwed.size(), givenUp: this.removalsGivenUp };
	}

	/**
	 * Appends one batch; throws when the DataStore keeps failing. Once it lands, the batch
	 * `retainedBatches` before it is owed for removal (call `removeOwed` after). A batch whose write
	 * failed used up its number all the same, but the removal it would have earned waits for the
	 * next write that lands: a store that keeps failing erases no history.
	 */
	append(batch: AuditEntry[]): number {
		const tally: RequestTally = { requests: 0, retries: 0 };
		const [sequence] = this.requests.run("update", "audit head", "normal", tally, () =>
			this.store.UpdateAsync(HEAD_KEY, (current: unknown) =>
				// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync's transform returns a tuple
				$tuple((typeIs(current, "number") ? current : 0) + 1),
			),
		);
		const taken = sequence as number;
		if (taken > this.retainedBatches) {
			this.removalsWaiting.push(taken - this.retainedBatches);
			this.giveUpPast(this.removalsWaiting);
		}
		const stored: StoredBatch = { entries: batch };
		this.requests.run("write", "audit batch", "normal", tally, () => this.store.SetAsync(batchKey(taken), stored));
		for (const removal of this.removalsWaiting) this.removalsOwed.push(removal);
		this.removalsWaiting.clear();
		this.giveUpPast(this.removalsOwed);
		return taken;
	}

	/** Leaves the oldest removals of `removals` past MAX_REMOVALS_OWED stored, counted as given up. */
	private giveUpPast(removals: number[]) {
		while (removals.size() > MAX_REMOVALS_OWED) {
			removals.shift();
			this.removalsGivenUp += 1;
		}
	}

	/** Removes the batches past the retention this server owes, oldest first; the first failure stops it (that batch stays owed). */
	removeOwed() {
		if (this.removing) return;
		this.removing = true;
		const tally: RequestTally = { requests: 0, retries: 0 };
		while (this.removalsOwed.size() > 0) {
			const sequence = this.removalsOwed[0];
			const [ok] = pcall(() => this.requests.run("write", "audit retention", "normal", tally, () => this.store.RemoveAsync(batchKey(sequence))));
			if (!ok) {
				this.removalsFailed += 1;
				break;
			}
			this.removalsOwed.shift();
			this.removed += 1;
		}
		this.removing = false;
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
