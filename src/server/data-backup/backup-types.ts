import { BackupConfig } from "shared/config/backup-config";
import type { DecodedRows } from "server/builds/build-rows";
import { StoredPlacement } from "server/player-data/player-data";
import { SaveState } from "shared/placement/placement-types";

export type BackupKind = "full" | "incremental";

/** Whether the request may leave budget to ProfileStore (normal) or must go now (emergency). */
export type BackupPriority = "normal" | "emergency";

/** One placement as a backup row: id, item, plot-relative x/y/z, rotation, placedAt. */
export type BackupRow = [string, string, number, number, number, number, number];

/** What one backup holds for one player: the whole build, or what changed since the previous backup. */
export interface PlayerBackup {
	/** The build's revision (PlayerData.buildRevision) when it was captured. */
	revision: number;
	/** For changes: the revision of the backup they apply on top of. */
	base?: number;
	snapshot?: BackupRow[];
	/** A whole build decoded from a binary payload (in place of `snapshot`; never stored as JSON). */
	placements?: StoredPlacement[];
	/** The rows `placements` were decoded from (binary payloads only), so a restored build keeps them as they are. */
	decoded?: DecodedRows;
	added?: BackupRow[];
	removed?: string[];
}

/** The document one backup stores, split into chunks. Players are keyed by user id as text. */
export interface BackupPayload {
	format: number;
	id: string;
	kind: BackupKind;
	players: Record<string, PlayerBackup>;
}

/** One backup as the manifest lists it. */
export interface ManifestEntry {
	/** `<unixSeconds>_<sequence>`. */
	id: string;
	kind: BackupKind;
	/** Unix seconds. */
	createdAt: number;
	/** User ids the backup covers. */
	players: number[];
	/** Build revision of each covered player, in the order of `players`. */
	revisions: number[];
	/** User ids whose whole build it holds (every player for a full backup). */
	snapshots: number[];
	/**
	 * For each covered player, in the order of `players`: the revision their changes apply on top
	 * of (-1 for a whole build). A later backup may carry the same changes again on the same base
	 * (after a write reported as failed), so rebuilding follows bases rather than list order.
	 */
	bases?: number[];
	/**
	 * For each covered player, in the order of `players`: ProfileStore's SessionLoadCount of the
	 * session whose build it copied (absent in backups taken before it was recorded: 0).
	 */
	sessions?: number[];
	/** Payload layout: 2 binary rows (chunks are buffers), absent for 1 (JSON text). */
	format?: number;
	/** Bytes of a binary payload, characters of a JSON one. */
	size: number;
	/** Binary: the per-player row checksums combined; JSON: FNV-1a of the text. Eight hex digits. */
	checksum: string;
	/** Binary: SHA-256 of the whole payload (EncodingService), first 8 bytes as hex. */
	digest?: string;
	chunks: number;
}

/** Every backup one server took, oldest first. */
export interface BackupManifest {
	setId: string;
	entries: ManifestEntry[];
}

/** What one server set wrote into one index bucket: who it covered, and when. */
export interface IndexRecord {
	/** User ids the set's backups in this bucket cover. */
	players: number[];
	/** Unix seconds of the set's first and latest index write in this bucket. */
	first: number;
	last: number;
}

/** One shard of one time bucket of the shared backup index, keyed by set id. */
export interface IndexBucket {
	sets: Record<string, IndexRecord>;
}

/** What a backup attempt did. */
export interface BackupResult {
	readonly success: boolean;
	readonly kind: BackupKind;
	/** Set when something was written; unset when there was nothing to back up. */
	readonly id?: string;
	readonly players: number;
	readonly placements: number;
	readonly size: number;
	readonly chunks: number;
	/** DataStore requests made, retries included. */
	readonly requests: number;
	readonly retries: number;
	/** Virtual seconds from start to finish. */
	readonly seconds: number;
	readonly error?: string;
}

export type BackupHealth = "healthy" | "degraded" | "failing";

/** What the backup system reports to SystemManager. */
export interface BackupStatus {
	readonly health: BackupHealth;
	readonly config: Readonly<BackupConfig>;
	readonly setId: string;
	readonly consecutiveFailures: number;
	readonly backupsTaken: number;
	readonly failedBackups: number;
	readonly retries: number;
	readonly inProgress: boolean;
	readonly lastBackupId?: string;
	/** Unix seconds of the latest successful backup. */
	readonly lastSuccessAt?: number;
	readonly lastError?: string;
	/** Backups taken by this server, oldest first. */
	readonly history: readonly BackupResult[];
	/** The latest retention run over orphaned chunks and gone servers' sets. */
	readonly lastRetention?: {
		readonly orphansDeleted: number;
		readonly setsDeleted: number;
		readonly keysDeleted: number;
		readonly indexKeysRemoved: number;
		readonly requests: number;
		readonly capped: boolean;
	};
}

/** Which backup to recover from: the newest, or one by id. */
export type RecoveryTarget = "LATEST" | string;

/** Whose build to recover: one online player or every online player. */
export type RecoveryScope = { readonly kind: "player"; readonly userId: number } | { readonly kind: "everyone" };

/** A backup that recovery passed over, and why. */
export interface SkippedBackup {
	readonly id: string;
	readonly problem: string;
}

export type PlayerRecoveryStatus = "recovered" | "preview" | "noBackup" | "notLoaded" | "failed";

/** What recovery did, or would do in a preview, to one player's build. */
export interface PlayerRecovery {
	readonly userId: number;
	readonly status: PlayerRecoveryStatus;
	/** The backup the build was rebuilt to (the requested one, or an earlier good one). */
	readonly usedBackupId?: string;
	readonly skipped: readonly SkippedBackup[];
	/** Objects the recovery adds back and takes away, and how many the build then has. */
	readonly added: number;
	readonly removed: number;
	readonly objectsAfter: number;
	readonly message: string;
	/** Once recovered: whether the recovered build is saved ("pending": a crash before its save lands undoes it). */
	readonly saved?: SaveState;
}

export interface RecoveryReport {
	readonly target: RecoveryTarget;
	readonly preview: boolean;
	readonly players: readonly PlayerRecovery[];
}

/** What a rollback to a point in the profile's version history did. */
export type ProfileRollback =
	| {
			readonly success: true;
			readonly added: number;
			readonly removed: number;
			readonly objectsAfter: number;
			readonly message: string;
			/** Whether the rolled-back build is saved ("pending": a crash before its save lands undoes it). */
			readonly saved: SaveState;
	  }
	| { readonly success: false; readonly message: string };
