import { BackupLimits } from "shared/config/backup-config";
import { BackupArchive } from "./backup-archive";
import { bucketOf, indexKey, oldestReadBucketStart } from "./backup-index";
import { RequestTally } from "./backup-requests";

/** What one retention run did. */
export interface RetentionReport {
	/** Chunks of this server's set that no manifest entry lists any more. */
	readonly orphansDeleted: number;
	/** Sets of servers gone longer than the lookback whose backups were deleted (fully or in part). */
	readonly setsDeleted: number;
	readonly keysDeleted: number;
	/** Index keys past the lookback that were removed once every gone set in them was deleted. */
	readonly indexKeysRemoved: number;
	readonly requests: number;
	/** True when the run stopped at its deletion cap; the next run carries on. */
	readonly capped: boolean;
}

/** The unix seconds a backup id (`<unixSeconds>_<sequence>`) was taken at, from a chunk key. */
function backupTimeOf(chunkKey: string): number | undefined {
	const [seconds] = chunkKey.match("^(%d+)_%d+/%d+$");
	return seconds !== undefined ? tonumber(seconds) : undefined;
}

/**
 * Deletes what no one can need, and never anything a stored record still points at:
 * - chunks of this server's set that its manifest does not list, once their backup is older
 *   than a backup usually takes to commit (chunks are written before the manifest entry) and is
 *   not still being written (its manifest write may be retrying for longer);
 * - the sets of servers whose newest backup is older than the lookback (no load looks at them
 *   any more, and a live server with players takes a full backup every interval): the manifest
 *   first, then the chunks it listed, then the set's record in the index past the lookback.
 * Each run reads a few index keys (`retentionBucketsPerRun` x shards) and stops at a deletion cap; its requests
 * wait for budget above the reserve kept for profile saves.
 */
export class BackupRetention {
	constructor(private readonly archive: BackupArchive) {}

	/** `writing`: this server's backup still being written as the run starts (its manifest entry may not have landed yet). */
	run(now: number, tally: RequestTally, writing?: string): RetentionReport {
		let deletes = 0;
		const cap = BackupLimits.retentionDeletesPerRun;
		let orphansDeleted = 0;
		let setsDeleted = 0;
		let indexKeysRemoved = 0;

		// Orphans of this server's own set.
		const ownSet = this.archive.setId;
		const manifest = this.archive.readManifest(ownSet, tally);
		const listed = new Set<string>();
		for (const entry of manifest?.entries ?? []) listed.add(entry.id);
		for (const key of this.archive.listKeys(ownSet, cap * 2, tally)) {
			if (deletes >= cap) break;
			const takenAt = backupTimeOf(key);
			if (takenAt === undefined || now - takenAt < BackupLimits.orphanGraceSeconds) continue;
			const [backupId] = key.match("^([^/]+)/");
			if (listed.has(backupId as string) || backupId === writing) continue;
			this.archive.removeKey(ownSet, key, tally);
			deletes += 1;
			orphansDeleted += 1;
		}

		// Gone sets in the buckets just past the lookback.
		const newestOld = bucketOf(now - BackupLimits.indexLookbackSeconds, BackupLimits.indexBucketSeconds) - 1;
		const oldestRead = oldestReadBucketStart(now, BackupLimits.indexLookbackSeconds, BackupLimits.indexBucketSeconds);
		const keys: string[] = [];
		for (let bucket = newestOld; bucket > newestOld - BackupLimits.retentionBucketsPerRun; bucket--) {
			for (let shard = 0; shard < BackupLimits.indexShards; shard++) keys.push(indexKey(bucket, shard));
		}
		for (const key of keys) {
			if (deletes >= cap) break;
			const index = this.archive.readIndex(key, tally);
			if (index === undefined) continue;
			let allDeleted = true;
			for (const [setId] of pairs(index.sets)) {
				if (setId === ownSet) continue;
				const setManifest = this.archive.readManifest(setId as string, tally);
				let newest = 0;
				for (const entry of setManifest?.entries ?? []) newest = math.max(newest, entry.createdAt);
				// A live set: its newer records are in newer buckets; this old record is no longer read.
				// A set whose newest backup is anywhere in the oldest bucket a load reads may still be the newest build it finds.
				if (newest >= oldestRead) continue;
				if (setManifest !== undefined) {
					this.archive.removeManifest(setId as string, tally);
					deletes += 1;
				}
				for (const chunk of this.archive.listKeys(setId as string, cap - deletes + 1, tally)) {
					if (deletes >= cap) break;
					this.archive.removeKey(setId as string, chunk, tally);
					deletes += 1;
				}
				setsDeleted += 1;
				if (deletes >= cap) {
					allDeleted = false;
					break;
				}
			}
			if (allDeleted) {
				this.archive.removeIndexKey(key, tally);
				indexKeysRemoved += 1;
			}
		}
		return { orphansDeleted, setsDeleted, keysDeleted: deletes, indexKeysRemoved, requests: tally.requests, capped: deletes >= cap };
	}
}
