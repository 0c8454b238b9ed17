import { IndexBucket, IndexRecord } from "./backup-types";

/** The bucket a unix time falls in. */
export function bucketOf(unixSeconds: number, bucketSeconds: number): number {
	return math.floor(unixSeconds / bucketSeconds);
}

/**
 * The start (unix seconds) of the oldest index bucket a load at `now` reads: loads read whole
 * buckets, from the one `lookbackSeconds` before `now` falls in.
 */
export function oldestReadBucketStart(now: number, lookbackSeconds: number, bucketSeconds: number): number {
	return bucketOf(now - lookbackSeconds, bucketSeconds) * bucketSeconds;
}

/**
 * Whether a server's next backup must go into a new set: its set last showed it alive at
 * `aliveAt` (its newest committed backup, or the first one tried in it), `newSetAfter` or more
 * seconds before `now`.
 */
export function needsNewSet(aliveAt: number | undefined, now: number, newSetAfter: number): boolean {
	return aliveAt !== undefined && now - aliveAt >= newSetAfter;
}

/** A stable shard for a set id (sum of its bytes), so one server always writes the same shard. */
export function shardOf(setId: string, shards: number): number {
	let sum = 0;
	for (let index = 1; index <= setId.size(); index++) sum += string.byte(setId, index)[0];
	return sum % shards;
}

export function indexKey(bucket: number, shard: number): string {
	return `${bucket}/${shard}`;
}

/**
 * Seconds a read of `bucket`, made while `readInBucket` was open, may serve a load while `current`
 * is open. A read made after the bucket closed holds every record it will get (a record whose write
 * was answered after the close is written again in the bucket open then: see
 * BackupArchive.recordCoverage), so it serves the whole lookback. A read made while the bucket was
 * open serves `openSeconds` while it stays open, and nothing once it has closed: records may have
 * landed in it since.
 */
export function reuseSecondsOf(bucket: number, readInBucket: number, current: number, openSeconds: number, lookbackSeconds: number): number {
	if (readInBucket > bucket) return lookbackSeconds;
	return bucket < current ? 0 : openSeconds;
}

/** Every index key a load must read to see sets active from `since` to `now`, newest bucket first. */
export function indexKeysBetween(since: number, now: number, bucketSeconds: number, shards: number): { bucket: number; key: string }[] {
	const keys: { bucket: number; key: string }[] = [];
	for (let bucket = bucketOf(now, bucketSeconds); bucket >= bucketOf(since, bucketSeconds); bucket--) {
		for (let shard = 0; shard < shards; shard++) keys.push({ bucket, key: indexKey(bucket, shard) });
	}
	return keys;
}

/** `bucket` with `players` added to `setId`'s record (a stored-then-failed retry merges to the same value). */
export function withCoverage(bucket: IndexBucket | undefined, setId: string, players: readonly number[], now: number): IndexBucket {
	const sets: Record<string, IndexRecord> = { ...(bucket?.sets ?? {}) };
	const previous = sets[setId];
	const covered = new Set<number>(previous?.players ?? []);
	for (const userId of players) covered.add(userId);
	const merged: number[] = [];
	for (const userId of covered) merged.push(userId);
	merged.sort();
	sets[setId] = { players: merged, first: previous?.first ?? now, last: now };
	return { sets };
}

/** Sets whose records in `buckets` cover the player. */
export function setsCovering(buckets: readonly IndexBucket[], userId: number): string[] {
	const found: string[] = [];
	const seen = new Set<string>();
	for (const bucket of buckets) {
		for (const [setId, record] of pairs(bucket.sets ?? {})) {
			if (seen.has(setId as string) || !typeIs(record, "table") || !typeIs(record.players, "table")) continue;
			if (record.players.includes(userId)) {
				seen.add(setId as string);
				found.push(setId as string);
			}
		}
	}
	return found;
}
