import { OnStart, Service } from "@flamework/core";
import { Workspace } from "@rbxts/services";
import { BackupRequests, profileSaveReserve } from "server/data-backup/backup-requests";
import { PlayerDataService } from "server/player-data/player-data-service";
import { AuditEntry } from "shared/admin/admin-types";
import { AuditConfig } from "shared/config/admin-config";
import { AuditLog } from "./audit-log";
import { AuditStore } from "./audit-store";
import { storableText } from "shared/text/utf8-text";

/** Longest command name kept (a command's chat name, or "?"). */
const MAX_COMMAND_LENGTH = 20;

/**
 * Every admin call, allowed or refused: kept in memory and appended in batches to the audit's
 * own DataStore (when a batch is full, when its oldest entry is `flushIntervalSeconds` old,
 * and on shutdown), never ahead of profile saves.
 */
@Service()
export class AuditService implements OnStart {
	private readonly log = new AuditLog(AuditConfig.memoryEntries, AuditConfig.maxPending);
	private readonly store: AuditStore;
	private inFlight: AuditEntry[] = [];
	private writing = false;
	private batchesWritten = 0;
	private failedWrites = 0;

	constructor(private readonly playerData: PlayerDataService) {
		this.store = new AuditStore(
			new BackupRequests(
				() => profileSaveReserve(this.playerData.loadedProfiles().size()),
				() => false,
			),
		);
	}

	onStart() {
		task.spawn(() => {
			for (;;) {
				task.wait(1);
				const now = os.clock();
				if (this.log.pendingCount() >= AuditConfig.batchSize || this.log.pendingAge(now) >= AuditConfig.flushIntervalSeconds) {
					this.flush();
				}
			}
		});
		game.BindToClose(() => this.flush());
	}

	/**
	 * Records an entry; its texts are stored as valid UTF-8 cut between characters (a client's
	 * bytes reach them unchecked, and a DataStore refuses a batch holding invalid UTF-8).
	 */
	record(entry: AuditEntry) {
		const limit = AuditConfig.maxArgsLength;
		this.log.record(
			{
				...entry,
				userName: storableText(entry.userName, limit),
				command: storableText(entry.command, MAX_COMMAND_LENGTH),
				args: storableText(entry.args, limit),
				result: storableText(entry.result, limit),
			},
			os.clock(),
		);
	}

	/** Writes what is pending now; a failed batch goes back to be written with the next one. */
	flush(): boolean {
		if (this.writing || this.log.pendingCount() === 0) return true;
		this.writing = true;
		const batch = this.log.takeBatch();
		this.inFlight = batch;
		const [ok] = pcall(() => this.store.append(batch));
		this.inFlight = [];
		this.writing = false;
		if (ok) this.batchesWritten += 1;
		else {
			this.failedWrites += 1;
			this.log.restore(batch, os.clock());
		}
		// Old batches past the retention go after the write, outside it: reads and flushes need not wait.
		this.store.removeOwed();
		return ok;
	}

	/**
	 * The newest `count` entries of every server, newest last: the stored ones plus those not
	 * written yet. When the DataStore cannot be read, this server's memory answers instead.
	 */
	read(count: number): AuditEntry[] {
		const [ok, stored] = pcall(() => this.store.readLatest(count));
		const unwritten = [...this.inFlight, ...this.log.latest(this.log.pendingCount())];
		const all = ok ? [...stored, ...unwritten] : this.log.latest(count);
		return all.size() > count ? all.filter((_, index) => index >= all.size() - count) : all;
	}

	/** Entries this server holds in memory, newest last. */
	recent(count: number): AuditEntry[] {
		return this.log.latest(count);
	}

	stats() {
		const retention = this.store.retention();
		return {
			pending: this.log.pendingCount(),
			dropped: this.log.dropped(),
			batchesWritten: this.batchesWritten,
			failedWrites: this.failedWrites,
			batchesRemoved: retention.removed,
			removalsFailed: retention.failed,
			removalsGivenUp: retention.givenUp,
		};
	}

	/** Unix seconds, the server clock every entry uses. */
	static now(): number {
		return math.floor(Workspace.GetServerTimeNow());
	}
}
