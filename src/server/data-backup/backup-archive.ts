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
	ManifestEntry,
	PlayerBackup,
	PlayerLocator,
	RecoveryTarget,
	SkippedBackup,
} from "./backup-types";
import { checksumOf } from "./checksum";
import { RebuiltBuild, rebuildPlayer } from "./rebuild";

const MANIFEST_KEY = "manifest";
const LOCATOR_SCOPE = "players";

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
 * a manifest listing them and their chunks under `<backupId>/<n>`. A player's locator, in the
 * "players" scope, lists the sets that covered them, so any server can find their backups.
 */
@Service()
export class BackupArchive {
	/** This server's set: its JobId, or a fresh id where there is none (Studio). */
	readonly setId = game.JobId !== "" ? game.JobId : HttpService.GenerateGUID(false);

	private requests = new BackupRequests(
		() => 0,
		() => false,
	);

	/** Installs the request policy (budget reserve, preemption) of the backup service. */
	useRequests(requests: BackupRequests) {
		this.requests = requests;
	}

	writeChunks(backupId: string, chunks: readonly string[], priority: BackupPriority, tally: RequestTally) {
		const store = this.storeOf(this.setId);
		chunks.forEach((chunk, index) => {
			this.requests.run("write", `chunk ${index + 1} of backup ${backupId}`, priority, tally, () =>
				store.SetAsync(chunkKey(backupId, index + 1), chunk),
			);
		});
	}

	/** Adds `entry` to this server's manifest; returns the entries retention dropped. */
	commitEntry(entry: ManifestEntry, retainFullBackups: number, priority: BackupPriority, tally: RequestTally): ManifestEntry[] {
		let dropped: ManifestEntry[] = [];
		this.requests.run("update", `manifest entry of backup ${entry.id}`, priority, tally, () =>
			this.storeOf(this.setId).UpdateAsync<BackupManifest, BackupManifest>(MANIFEST_KEY, (old) => {
				const entries = (old?.entries ?? []).filter((existing) => existing.id !== entry.id);
				entries.push(entry);
				const fullIndexes: number[] = [];
				entries.forEach((existing, index) => existing.kind === "full" && fullIndexes.push(index));
				const cutoff = fullIndexes.size() > retainFullBackups ? fullIndexes[fullIndexes.size() - retainFullBackups] : 0;
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

	/** Records in the player's locator that this server's set covers them. */
	locate(userId: number, priority: BackupPriority, tally: RequestTally) {
		this.requests.run("update", `locator of ${userId}`, priority, tally, () =>
			this.storeOf(LOCATOR_SCOPE).UpdateAsync<PlayerLocator, PlayerLocator>(tostring(userId), (old) => {
				const sets = (old?.sets ?? []).filter((set) => set.setId !== this.setId);
				sets.unshift({ setId: this.setId, since: os.time() });
				while (sets.size() > BackupLimits.locatorSets) sets.pop();
				// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync's transform returns a tuple
				return $tuple({ sets });
			}),
		);
	}

	readLocator(userId: number, tally: RequestTally): PlayerLocator | undefined {
		const [locator] = this.requests.run("read", `locator of ${userId}`, "normal", tally, () =>
			this.storeOf(LOCATOR_SCOPE).GetAsync<PlayerLocator>(tostring(userId)),
		);
		return locator;
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
		const parts: string[] = [];
		for (let index = 1; index <= entry.chunks; index++) {
			const [ok, result] = pcall(() =>
				this.requests.run("read", `chunk ${index} of backup ${entry.id}`, "normal", tally, () => store.GetAsync<string>(chunkKey(entry.id, index))),
			);
			if (!ok) return `chunk ${index} could not be read (${tostring(result)})`;
			const chunk = result;
			if (!typeIs(chunk, "string")) return `chunk ${index} is missing`;
			parts.push(chunk);
		}
		const text = parts.join("");
		if (text.size() !== entry.size) return `its size is ${text.size()}, the manifest says ${entry.size}`;
		const checksum = checksumOf(text);
		if (checksum !== entry.checksum) return `checksum ${checksum} does not match ${entry.checksum}`;
		return decodePayload(text, entry.id);
	}

	/**
	 * The player's build as of `target`, searching the sets their locator lists, newest first.
	 * Corrupt backups are skipped and reported; the build falls back to the newest good state.
	 * `payloads` lets one recovery of many players read and verify each backup once.
	 */
	findBuild(userId: number, target: RecoveryTarget, tally: RequestTally, payloads: PayloadCache = new Map()): FindOutcome {
		const skipped: SkippedBackup[] = [];
		for (const { setId } of this.readLocator(userId, tally)?.sets ?? []) {
			const outcome = this.rebuildInSet(userId, setId, this.readManifest(setId, tally), target, tally, payloads);
			if (outcome === undefined) continue;
			for (const problem of outcome.skipped) skipped.push(problem);
			if (outcome.build !== undefined) return { build: outcome.build, skipped };
			// A specific backup lives in one set; only LATEST may continue into older sets.
			if (target !== "LATEST") break;
		}
		return { skipped };
	}

	/**
	 * The player's newest backed-up build when its revision is above `revision` (what a crash kept
	 * out of the profile). Payloads are only read when the manifest shows a newer revision.
	 */
	newerBuildThan(userId: number, revision: number, tally: RequestTally): FoundBuild | undefined {
		const newest = this.readLocator(userId, tally)?.sets[0];
		if (newest === undefined) return undefined;
		const manifest = this.readManifest(newest.setId, tally);
		const latest = latestRevisionIn(manifest?.entries ?? [], userId);
		if (latest === undefined || latest <= revision) return undefined;
		const build = this.rebuildInSet(userId, newest.setId, manifest, "LATEST", tally, new Map())?.build;
		return build !== undefined && build.revision > revision ? build : undefined;
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

/** The build revision of the player's newest backup in `entries`. */
function latestRevisionIn(entries: readonly ManifestEntry[], userId: number): number | undefined {
	for (let index = entries.size() - 1; index >= 0; index--) {
		const position = entries[index].players.indexOf(userId);
		if (position !== -1) return entries[index].revisions[position];
	}
	return undefined;
}

function playerBackupIn(payload: BackupPayload | string, userId: number): PlayerBackup | string {
	if (typeIs(payload, "string")) return payload;
	const backup = payload.players[tostring(userId)];
	if (!typeIs(backup, "table") || !typeIs(backup.revision, "number")) return `it has no readable entry for player ${userId}`;
	return backup;
}
