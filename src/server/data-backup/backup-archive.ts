import { Service } from "@flamework/core";
import { DataStoreService, HttpService } from "@rbxts/services";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { decodePayload } from "./backup-codec";
import { BackupRequests, RequestTally } from "./backup-requests";
import {
	BackupManifest,
	BackupPayload,
	BackupPriority,
	IndexBucket,
	ManifestEntry,
	PlayerBackup,
	RecoveryTarget,
	SkippedBackup,
} from "./backup-types";
import { bucketOf, indexKey, indexKeysBetween, reuseSecondsOf, setsCovering, shardOf, withCoverage } from "./backup-index";
import { BINARY_FORMAT, decodeBinaryPayload, joinBuffers } from "./binary-codec";
import { checksumOf } from "./checksum";
import { isNewerBuild, RankedBuild } from "./build-rank";
import { backupsOf, newestBuildIn, RebuiltBuild, rebuildPlayer } from "./rebuild";

const MANIFEST_KEY = "manifest";
const INDEX_SCOPE = "index";

/** SHA-256 of a binary payload (EncodingService, native), its first 8 bytes as hex: one check of the whole payload. */
export function digestOf(data: buffer): string {
	const hash = game.GetService("EncodingService").ComputeBufferHash(data, "Sha256");
	return string.format("%08x%08x", buffer.readu32(hash, 0), buffer.readu32(hash, 4));
}

function chunkKey(backupId: string, index: number): string {
	return `${backupId}/${index}`;
}

/** A rebuilt build and the server set it came from. */
export interface FoundBuild extends RebuiltBuild {
	readonly setId: string;
}

/** Backup payloads (or why they are unusable) by `<setId>/<backupId>`. */
export type PayloadCache = Map<string, BackupPayload | string>;

export interface FindOutcome {
	readonly build?: FoundBuild;
	readonly skipped: SkippedBackup[];
}

/**
 * The backups' DataStore layout. Each server writes its backups to a scope of its own (its set):
 * a manifest listing them and their chunks under `<backupId>/<n>`. The shared index (scope
 * "index", one key per time bucket and shard) records which players each set covers, written
 * once per backup for every newly covered player at once, so any server can find every set that
 * covered a player in a time range with a handful of reads.
 */
@Service()
export class BackupArchive {
	/** This server's set: its JobId, or a fresh id where there is none (Studio); numbered once it starts a new one. */
	private readonly serverId = game.JobId !== "" ? game.JobId : HttpService.GenerateGUID(false);
	private sets = 1;
	/** The set this server writes to; changed only by startNewSet. */
	setId = this.serverId;

	/** Index reads by key: the bucket as read, when (os.clock), and the bucket open then. */
	private readonly indexCache = new Map<string, { bucket?: IndexBucket; readAt: number; readInBucket: number }>();
	private requests = new BackupRequests(
		() => 0,
		() => false,
	);

	/** Writes every later backup into a new set of this server's (see BackupLimits.newSetAfterSeconds). */
	startNewSet() {
		this.sets += 1;
		this.setId = `${this.serverId}-${this.sets}`;
	}

	/** Installs the request policy (budget reserve, preemption) of the backup service. */
	useRequests(requests: BackupRequests) {
		this.requests = requests;
	}

	writeChunks(backupId: string, chunks: readonly (string | buffer)[], priority: BackupPriority, tally: RequestTally) {
		const store = this.storeOf(this.setId);
		chunks.forEach((chunk, index) => {
			this.requests.run("write", `chunk ${index + 1} of backup ${backupId}`, priority, tally, () =>
				store.SetAsync(chunkKey(backupId, index + 1), chunk),
			);
		});
	}

	/**
	 * Adds `entry` to this server's manifest; returns the entries retention dropped. The players in
	 * `pinned` (who left while their final build could not be saved to their profile) keep their
	 * newest backed-up build, from its last whole snapshot on, even behind the retained full
	 * backups while none of those holds it. Full backups carry a pinned player's final build (see
	 * ChangeCapture.pending), so this keeps older entries only until one such full backup lands.
	 */
	commitEntry(entry: ManifestEntry, retainFullBackups: number, priority: BackupPriority, tally: RequestTally, pinned: ReadonlySet<number> = new Set()): ManifestEntry[] {
		let dropped: ManifestEntry[] = [];
		this.requests.run("update", `manifest entry of backup ${entry.id}`, priority, tally, () =>
			this.storeOf(this.setId).UpdateAsync<BackupManifest, BackupManifest>(MANIFEST_KEY, (old) => {
				const entries = (old?.entries ?? []).filter((existing) => existing.id !== entry.id);
				entries.push(entry);
				const fullIndexes: number[] = [];
				entries.forEach((existing, index) => existing.kind === "full" && fullIndexes.push(index));
				let cutoff = fullIndexes.size() > retainFullBackups ? fullIndexes[fullIndexes.size() - retainFullBackups] : 0;
				cutoff = math.min(cutoff, pinnedChainStart(entries, cutoff, pinned));
				dropped = entries.filter((_, index) => index < cutoff);
				// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync's transform returns a tuple
				return $tuple({ setId: this.setId, entries: entries.filter((_, index) => index >= cutoff) });
			}),
		);
		return dropped;
	}

	/** Deletes a dropped or abandoned backup's chunks; failures only leave garbage behind. */
	removeChunks(backupId: string, chunks: number, tally: RequestTally) {
		const store = this.storeOf(this.setId);
		for (let index = 1; index <= chunks; index++) {
			pcall(() => this.requests.run("write", `removal of ${chunkKey(backupId, index)}`, "normal", tally, () => store.RemoveAsync(chunkKey(backupId, index))));
		}
	}

	/**
	 * Records in the shared index that this server's set covers `players` (one request for all of
	 * them), in the bucket `at` falls in; returns the bucket recorded last. Merging is idempotent,
	 * so a write stored but reported as failed is simply repeated. A write answered after its
	 * bucket closed may have landed after another server read the closed bucket (kept for the
	 * lookback), so the record is written again in the bucket open now.
	 */
	recordCoverage(players: readonly number[], at: number, priority: BackupPriority, tally: RequestTally): number {
		let bucket = bucketOf(at, BackupLimits.indexBucketSeconds);
		for (;;) {
			this.writeCoverage(players, at, bucket, priority, tally);
			const open = bucketOf(os.time(), BackupLimits.indexBucketSeconds);
			if (open <= bucket) return bucket;
			bucket = open;
		}
	}

	private writeCoverage(players: readonly number[], at: number, bucket: number, priority: BackupPriority, tally: RequestTally) {
		const key = indexKey(bucket, shardOf(this.setId, BackupLimits.indexShards));
		this.requests.run("update", `index ${key}`, priority, tally, () =>
			this.storeOf(INDEX_SCOPE).UpdateAsync<IndexBucket, IndexBucket>(key, (old) =>
				// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync's transform returns a tuple
				$tuple(withCoverage(old, this.setId, players, at)),
			),
		);
		this.indexCache.delete(key);
	}

	/**
	 * Sets whose backups cover the player from `since` (unix seconds) until now, by the shared
	 * index; with `fresh`, the bucket still being written is read again even if read moments ago.
	 */
	setsCovering(userId: number, since: number, tally: RequestTally, fresh = false): string[] {
		const now = os.time();
		const from = math.max(since, now - BackupLimits.indexLookbackSeconds);
		const current = bucketOf(now, BackupLimits.indexBucketSeconds);
		const buckets: IndexBucket[] = [];
		const openSeconds = fresh ? 0 : BackupLimits.indexCacheSeconds;
		for (const { bucket, key } of indexKeysBetween(from, now, BackupLimits.indexBucketSeconds, BackupLimits.indexShards)) {
			const cached = this.indexCache.get(key);
			if (cached !== undefined && os.clock() - cached.readAt < reuseSecondsOf(bucket, cached.readInBucket, current, openSeconds, BackupLimits.indexLookbackSeconds)) {
				if (cached.bucket !== undefined) buckets.push(cached.bucket);
				continue;
			}
			// The bucket open as the read starts: a read that starts before a bucket closes counts as made while it was open.
			const readInBucket = bucketOf(os.time(), BackupLimits.indexBucketSeconds);
			const [bucketValue] = this.requests.run("read", `index ${key}`, "normal", tally, () => this.storeOf(INDEX_SCOPE).GetAsync<IndexBucket>(key));
			this.indexCache.set(key, { bucket: bucketValue, readAt: os.clock(), readInBucket });
			if (bucketValue !== undefined) buckets.push(bucketValue);
		}
		return setsCovering(buckets, userId);
	}

	/** Reads one index key as stored (retention and specs). */
	readIndex(key: string, tally: RequestTally): IndexBucket | undefined {
		const [bucket] = this.requests.run("read", `index ${key}`, "normal", tally, () => this.storeOf(INDEX_SCOPE).GetAsync<IndexBucket>(key));
		return bucket;
	}

	/** Removes an index key no load reads any more (past the lookback). */
	removeIndexKey(key: string, tally: RequestTally) {
		this.requests.run("write", `index ${key}`, "normal", tally, () => this.storeOf(INDEX_SCOPE).RemoveAsync(key));
		this.indexCache.delete(key);
	}

	/** Deletes a whole set's manifest (its chunks are then unreferenced and go with the orphans). */
	removeManifest(setId: string, tally: RequestTally) {
		this.requests.run("write", `manifest of set ${setId}`, "normal", tally, () => this.storeOf(setId).RemoveAsync(MANIFEST_KEY));
	}

	/** Keys of one set's scope, a page at a time (at most `limit`). */
	listKeys(setId: string, limit: number, tally: RequestTally): string[] {
		const keys: string[] = [];
		const [pages] = this.requests.run("read", `keys of set ${setId}`, "normal", tally, () => [this.storeOf(setId).ListKeysAsync(undefined, math.min(limit, 100), undefined, true)] as const);
		for (;;) {
			for (const key of pages.GetCurrentPage() as DataStoreKey[]) keys.push(key.KeyName);
			if (pages.IsFinished || keys.size() >= limit) break;
			this.requests.run("read", `keys of set ${setId}`, "normal", tally, () => pages.AdvanceToNextPageAsync());
		}
		return keys;
	}

	/** Deletes one key of a set (an orphaned chunk). */
	removeKey(setId: string, key: string, tally: RequestTally) {
		assert(key !== MANIFEST_KEY, "the manifest is removed with removeManifest");
		this.requests.run("write", `removal of ${key} in set ${setId}`, "normal", tally, () => this.storeOf(setId).RemoveAsync(key));
	}

	readManifest(setId: string, tally: RequestTally): BackupManifest | undefined {
		const [manifest] = this.requests.run("read", `manifest of set ${setId}`, "normal", tally, () =>
			this.storeOf(setId).GetAsync<BackupManifest>(MANIFEST_KEY),
		);
		return manifest;
	}

	/** The whole payload of one backup, verified against its manifest entry, or why it is unusable. */
	readPayload(setId: string, entry: ManifestEntry, tally: RequestTally): BackupPayload | string {
		const store = this.storeOf(setId);
		const binary = entry.format === BINARY_FORMAT;
		const texts: string[] = [];
		const pieces: buffer[] = [];
		for (let index = 1; index <= entry.chunks; index++) {
			const [ok, result] = pcall(() =>
				this.requests.run("read", `chunk ${index} of backup ${entry.id}`, "normal", tally, () => store.GetAsync<unknown>(chunkKey(entry.id, index))),
			);
			if (!ok) return `chunk ${index} could not be read (${tostring(result)})`;
			// pcall passes on the first value GetAsync returns: the chunk.
			const chunk = result as unknown;
			if (binary ? !typeIs(chunk, "buffer") : !typeIs(chunk, "string")) return `chunk ${index} is missing`;
			if (binary) pieces.push(chunk as buffer);
			else texts.push(chunk as string);
		}
		if (binary) {
			const data = joinBuffers(pieces);
			if (buffer.len(data) !== entry.size) return `its size is ${buffer.len(data)}, the manifest says ${entry.size}`;
			if (entry.digest !== undefined) {
				const digest = digestOf(data);
				if (digest !== entry.digest) return `its digest ${digest} does not match ${entry.digest} (checksum)`;
			}
			return decodeBinaryPayload(data, entry.id, entry.checksum);
		}
		const text = texts.join("");
		if (text.size() !== entry.size) return `its size is ${text.size()}, the manifest says ${entry.size}`;
		const checksum = checksumOf(text);
		if (checksum !== entry.checksum) return `checksum ${checksum} does not match ${entry.checksum}`;
		return decodePayload(text, entry.id);
	}

	/**
	 * The player's build as of `target`, from every set the index lists for them since `since`:
	 * for LATEST the newest (newest session, then highest revision), for an id the set that holds it. Corrupt
	 * backups are skipped and reported; the build falls back to the newest good state.
	 * `payloads` lets one recovery of many players read and verify each backup once.
	 */
	findBuild(userId: number, target: RecoveryTarget, tally: RequestTally, payloads: PayloadCache = new Map(), since = 0): FindOutcome {
		const skipped: SkippedBackup[] = [];
		let best: FoundBuild | undefined;
		for (const setId of this.orderedSets(userId, since, tally)) {
			const outcome = this.rebuildInSet(userId, setId.setId, setId.manifest, target, tally, payloads);
			if (outcome === undefined) continue;
			for (const problem of outcome.skipped) skipped.push(problem);
			// An older session's copy never outranks a newer session's (see isNewerBuild).
			if (outcome.build !== undefined && (best === undefined || isNewerBuild(outcome.build, best))) best = outcome.build;
			// A specific backup lives in one set.
			if (target !== "LATEST" && outcome.build !== undefined) break;
		}
		return { build: best, skipped };
	}

	/**
	 * The player's newest backed-up build when its revision is above `revision` (what a crash or a
	 * failed save kept out of the profile), searching every set that covered them since `since`.
	 * Payloads are only read for sets whose manifest shows a newer revision, newest build first
	 * (newest session, then highest revision: see isNewerBuild); the first build `accept` takes
	 * (any, without it) is returned.
	 */
	newerBuildThan(
		userId: number,
		revision: number,
		since: number,
		tally: RequestTally,
		accept?: (build: RankedBuild) => boolean,
		freshIndex = false,
	): FoundBuild | undefined {
		const payloads: PayloadCache = new Map();
		let best: FoundBuild | undefined;
		for (const { setId, manifest, latest } of this.orderedSets(userId, since, tally, freshIndex)) {
			// Sets come newest latest build first: none further on can outrank the best so far.
			if (best !== undefined && !isNewerBuild(latest, best)) break;
			if (latest.revision <= revision) continue;
			// A set's build can be older than its latest backup (a corrupt one is passed over).
			const latestBuild = this.rebuildInSet(userId, setId, manifest, "LATEST", tally, payloads)?.build;
			if (latestBuild === undefined || latestBuild.revision <= revision) continue;
			// `accept` passes over a copy the load path knows is not the player's build (an older session's
			// past the point a newer session took the player over): an earlier backup of the set may be.
			const build = accept === undefined || accept(latestBuild) ? latestBuild : this.earlierAccepted(userId, setId, manifest, latestBuild, revision, accept, tally, payloads);
			if (build !== undefined && (best === undefined || isNewerBuild(build, best))) best = build;
		}
		return best;
	}

	/** The newest build of the set's backups older than `rejected` that is above `revision` and that `accept` takes. */
	private earlierAccepted(
		userId: number,
		setId: string,
		manifest: BackupManifest | undefined,
		rejected: FoundBuild,
		revision: number,
		accept: (build: RankedBuild) => boolean,
		tally: RequestTally,
		payloads: PayloadCache,
	): FoundBuild | undefined {
		for (const backup of backupsOf(manifest?.entries ?? [], userId)) {
			// What the manifest lists is enough to pass over most (an older session's, say): nothing read for them.
			if (!isNewerBuild(rejected, backup.build) || backup.build.revision <= revision || !accept(backup.build)) continue;
			const build = this.rebuildInSet(userId, setId, manifest, backup.id, tally, payloads)?.build;
			if (build !== undefined && build.revision > revision && accept(build)) return build;
		}
		return undefined;
	}

	/**
	 * The sets covering the player with their manifests, newest latest build first (its session,
	 * then its revision): a set's order never depends on where the index happened to list it.
	 */
	private orderedSets(userId: number, since: number, tally: RequestTally, freshIndex = false) {
		const sets: { setId: string; manifest?: BackupManifest; latest: RankedBuild }[] = [];
		for (const setId of this.setsCovering(userId, since, tally, freshIndex)) {
			const manifest = this.readManifest(setId, tally);
			sets.push({ setId, manifest, latest: newestBuildIn(manifest?.entries ?? [], userId) ?? NO_BUILD });
		}
		sets.sort((a, b) => isNewerBuild(a.latest, b.latest));
		return sets;
	}

	/** The player's build as of `target` from one set, or undefined when the set does not hold the target. */
	private rebuildInSet(
		userId: number,
		setId: string,
		manifest: BackupManifest | undefined,
		target: RecoveryTarget,
		tally: RequestTally,
		payloads: PayloadCache,
	): FindOutcome | undefined {
		const entries = entriesUpTo(manifest?.entries ?? [], userId, target);
		if (entries === undefined) return undefined;
		const outcome = rebuildPlayer(userId, entries, (entry) => {
			const key = `${setId}/${entry.id}`;
			let payload = payloads.get(key);
			if (payload === undefined) {
				payload = this.readPayload(setId, entry, tally);
				payloads.set(key, payload);
			}
			return playerBackupIn(payload, userId);
		});
		return { build: outcome.build && { ...outcome.build, setId }, skipped: outcome.skipped };
	}

	private storeOf(scope: string): DataStore {
		return DataStoreService.GetDataStore(DataStoreNames.backups, scope);
	}
}

/** Entries covering the player up to the target, or undefined when the target is not in them. */
function entriesUpTo(entries: readonly ManifestEntry[], userId: number, target: RecoveryTarget): ManifestEntry[] | undefined {
	const covering: ManifestEntry[] = [];
	for (const entry of entries) {
		if (entry.players.includes(userId)) covering.push(entry);
		if (entry.id === target) return entry.players.includes(userId) ? covering : undefined;
	}
	return target === "LATEST" && covering.size() > 0 ? covering : undefined;
}

/**
 * The first entry to keep so that each pinned player backed up only before `cutoff` keeps their
 * newest build: the last whole snapshot of theirs before it (the incrementals after it chain on
 * it). `cutoff` when none needs more.
 */
function pinnedChainStart(entries: readonly ManifestEntry[], cutoff: number, pinned: ReadonlySet<number>): number {
	if (cutoff === 0 || pinned.size() === 0) return cutoff;
	const kept = new Set<number>();
	for (let index = cutoff; index < entries.size(); index++) for (const userId of entries[index].players) kept.add(userId);
	let start = cutoff;
	for (const userId of pinned) {
		if (kept.has(userId)) continue;
		for (let index = cutoff - 1; index >= 0; index--) {
			if (entries[index].snapshots.includes(userId)) {
				start = math.min(start, index);
				break;
			}
		}
	}
	return start;
}

/** Ranks below every backed-up build (a set whose manifest lists none of the player's). */
const NO_BUILD: RankedBuild = { revision: -1, session: -1 };

function playerBackupIn(payload: BackupPayload | string, userId: number): PlayerBackup | string {
	if (typeIs(payload, "string")) return payload;
	const backup = payload.players[tostring(userId)];
	if (!typeIs(backup, "table") || !typeIs(backup.revision, "number")) return `it has no readable entry for player ${userId}`;
	return backup;
}
