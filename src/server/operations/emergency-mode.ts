import { OnStart, Service } from "@flamework/core";
import { DataBackupService } from "server/data-backup/data-backup-service";
import { BackupResult } from "server/data-backup/backup-types";
import { MemoryManager } from "server/memory-manager/memory-manager";
import { SystemRegistry } from "server/system-manager/system-registry";
import { EmergencyConfig, EmergencyPolicy } from "shared/config/operations-config";
import { BackupOutcome } from "shared/admin/admin-types";
import { AlertService } from "./alert-service";

export type EmergencyCause = "admin" | "failedSystems" | "memory";

/** One emergency: in force until `ended` is set. */
export interface EmergencyState {
	/** Why it is on; an admin entering during an automatic emergency makes it theirs (see enter). */
	reason: string;
	cause: EmergencyCause;
	/** Unix seconds. */
	readonly since: number;
	/** Unix seconds it ended, once it has (its backup may still finish afterwards). */
	ended?: number;
	/** What this emergency's backup did, once it finished. */
	backup?: BackupOutcome;
	/** MB before and after the pools were force-cleaned and caches dropped. */
	cleanup?: { readonly beforeMb: number; readonly afterMb: number };
}

export interface EmergencyExit {
	readonly success: boolean;
	readonly message: string;
	/** Seconds emergency mode lasted. */
	readonly seconds: number;
	/** The automatic causes that still held at an admin's exit: none starts an emergency until it has cleared. */
	readonly heldOff?: string;
}

/**
 * Emergency mode: placements and removals refused with EmergencyMode, an emergency backup, pools
 * force-cleaned, streaming radii turned down and admins alerted. Entered by an admin, or on its
 * own when `failedSystemsToEnter` systems have FAILED or memory reaches the emergency level;
 * left by an admin, or (policy "auto") once an automatic cause has been gone for `stableSeconds`.
 */
@Service()
export class EmergencyModeService implements OnStart {
	private policy: EmergencyPolicy = { ...EmergencyConfig };
	private current?: EmergencyState;
	private clearSince?: number;
	/** Automatic causes an admin's exit overrode: each starts no emergency until it has cleared once. */
	private readonly heldOff = new Set<EmergencyCause>();
	/** Emergencies that ended; a backup finishing late is recorded in its own. */
	private readonly history: EmergencyState[] = [];

	constructor(
		private readonly registry: SystemRegistry,
		private readonly memory: MemoryManager,
		private readonly backups: DataBackupService,
		private readonly alerts: AlertService,
	) {}

	onStart() {
		this.registry.stateChanged.Connect(() => this.checkAutomaticEntry());
		this.memory.levelChanged.Connect(() => this.checkAutomaticEntry());
		task.spawn(() => {
			for (;;) {
				task.wait(1);
				this.checkAutomaticExit();
			}
		});
	}

	/** Replaces the entry and exit policy (config by default). */
	configure(policy: Partial<EmergencyPolicy>) {
		this.policy = { ...this.policy, ...policy };
	}

	state(): Readonly<EmergencyState> | undefined {
		return this.current;
	}

	isActive(): boolean {
		return this.current !== undefined;
	}

	/**
	 * Enters emergency mode (a second call while it is on changes nothing). Building stops at
	 * once; the cleanup follows, then the backup, which yields until it is stored: the state
	 * returned may have `ended` by then.
	 */
	enter(reason: string, cause: EmergencyCause = "admin"): EmergencyState {
		const current = this.current;
		if (current !== undefined) {
			// An admin entering during an automatic emergency takes it over: it then ends only by an exit.
			if (cause === "admin" && current.cause !== "admin") {
				current.reason = `${reason} (during: ${current.reason})`;
				current.cause = "admin";
				this.clearSince = undefined;
			}
			return current;
		}
		const state: EmergencyState = { reason, cause, since: os.time() };
		this.current = state;
		this.clearSince = undefined;
		this.alerts.raise("critical", "emergency", `Emergency mode: ${reason}. Building is paused.`);
		const cleanup = this.memory.emergencyCleanup();
		state.cleanup = { beforeMb: cleanup.beforeMb, afterMb: cleanup.afterMb };
		this.memory.runAction("reduceStreamingRadius", "apply", "emergencyMode");
		this.recordBackup(state, this.backups.emergencyBackup());
		return state;
	}

	/**
	 * Leaves emergency mode: building resumes and streaming radii come back. Every automatic
	 * cause that persists is held off: it starts no new emergency until it has cleared once (an
	 * automatic exit happens only once no cause that is not held off remains).
	 */
	exit(): EmergencyExit {
		const state = this.current;
		if (state === undefined) return { success: false, message: "emergency mode is not on", seconds: 0 };
		this.current = undefined;
		this.clearSince = undefined;
		const persisting = this.automaticCauses();
		this.heldOff.clear();
		for (const found of persisting) this.heldOff.add(found.cause);
		state.ended = os.time();
		this.memory.runAction("reduceStreamingRadius", "undo", "emergencyMode");
		const seconds = state.ended - state.since;
		this.history.push(state);
		this.alerts.raise("info", "emergency", `Emergency mode ended after ${seconds} s. Building is back on.`);
		const pending = state.backup === undefined ? "; its emergency backup is still being stored and is reported when it finishes" : "";
		const heldOff = persisting.size() > 0 ? persisting.map((found) => found.reason).join("; ") : undefined;
		const held = heldOff !== undefined ? `; ${heldOff} still ${persisting.size() > 1 ? "hold" : "holds"}, and starts no new emergency until it has cleared` : "";
		return { success: true, message: `emergency mode ended after ${seconds} s${pending}${held}`, seconds, heldOff };
	}

	/** Every cause that warrants an automatic emergency right now. */
	automaticCauses(): { cause: EmergencyCause; reason: string }[] {
		const causes: { cause: EmergencyCause; reason: string }[] = [];
		const failed: string[] = [];
		for (const [name, status] of this.registry.statuses()) if (status.state === "FAILED") failed.push(name);
		if (failed.size() >= this.policy.failedSystemsToEnter) {
			causes.push({ cause: "failedSystems", reason: `${failed.size()} systems FAILED (${failed.join(", ")})` });
		}
		if (this.policy.enterOnEmergencyMemory && this.memory.currentLevel() === "emergency") {
			causes.push({ cause: "memory", reason: `memory at the emergency level (${this.memory.generateMemoryReport().currentMemory} MB)` });
		}
		return causes;
	}

	/**
	 * The backup's result goes into the emergency that took it. The backup yields, so that
	 * emergency may have ended meanwhile (and another begun): a failure is then reported as its
	 * own, never as the current emergency's.
	 */
	private recordBackup(state: EmergencyState, backup: BackupResult) {
		state.backup = { success: backup.success, id: backup.id, error: backup.error };
		if (backup.success) return;
		const problem = backup.error ?? "unknown error";
		if (this.current === state) this.alerts.raise("critical", "emergency", `Emergency backup failed: ${problem}`);
		else this.alerts.raise("warning", "emergency", `The emergency backup of "${state.reason}", which has ended, failed: ${problem}`);
	}

	/** The automatic causes present now that no admin's exit holds off (a held cause that cleared is held no longer). */
	private activeCauses(): { cause: EmergencyCause; reason: string }[] {
		const causes = this.automaticCauses();
		for (const held of [...this.heldOff]) if (!causes.some((found) => found.cause === held)) this.heldOff.delete(held);
		return causes.filter((found) => !this.heldOff.has(found.cause));
	}

	private checkAutomaticEntry() {
		if (this.current !== undefined) return;
		const found = this.activeCauses()[0];
		if (found !== undefined) task.spawn(() => this.enter(found.reason, found.cause));
	}

	private checkAutomaticExit() {
		const state = this.current;
		if (state === undefined) {
			this.checkAutomaticEntry();
			return;
		}
		if (state.cause === "admin" || this.policy.exit !== "auto") return;
		if (this.activeCauses().size() > 0) {
			this.clearSince = undefined;
			return;
		}
		this.clearSince ??= time();
		if (time() - this.clearSince >= this.policy.stableSeconds) this.exit();
	}
}
