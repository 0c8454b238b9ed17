/** Admin roles, strongest first: each role may do everything the roles after it may. */
export type AdminRole = "owner" | "admin" | "moderator";

/** A caller's standing: one of the roles, or none (every other player). */
export type AdminStanding = AdminRole | "none";

/** Every admin command by its chat name. */
export type AdminCommandName =
	| "systemstatus"
	| "systemreport"
	| "forcecleanup"
	| "forcebackup"
	| "recover"
	| "rollback"
	| "restartsystem"
	| "emergency"
	| "maintenance"
	| "modlog"
	| "fleet"
	| "preflight"
	| "alerts"
	| "audit"
	| "announce";

/** Where a command runs: this server, or every server of the experience. */
export type AdminScope = "server" | "all";

/**
 * One admin command with its arguments, as the client sends it. Flamework's generated guard
 * checks the shape; the server range-checks the values before anything runs.
 */
export type AdminCommand =
	| { readonly name: "systemstatus" }
	| { readonly name: "systemreport" }
	| { readonly name: "forcecleanup" }
	| { readonly name: "forcebackup"; readonly full: boolean; readonly scope: AdminScope }
	| { readonly name: "recover"; readonly target: string; readonly userId?: number; readonly preview: boolean }
	| { readonly name: "rollback"; readonly userId: number; readonly unixTime: number }
	| { readonly name: "restartsystem"; readonly system: string }
	| { readonly name: "emergency"; readonly on: boolean; readonly reason?: string; readonly scope: AdminScope }
	| { readonly name: "maintenance"; readonly message?: string; readonly scope: AdminScope }
	| { readonly name: "modlog"; readonly userId?: number }
	| { readonly name: "fleet" }
	| { readonly name: "preflight" }
	| { readonly name: "alerts" }
	| { readonly name: "audit"; readonly count?: number }
	| { readonly name: "announce"; readonly message: string; readonly scope: AdminScope };

/** Why the server did not run a command. */
export enum AdminRefusal {
	/** The caller's role is below the command's minimum (or they have none). */
	NotAllowed = "NotAllowed",
	/** The caller sent commands faster than their rate limit. */
	RateLimited = "RateLimited",
	/** The payload failed the networking guard or an argument is out of range. */
	InvalidArguments = "InvalidArguments",
	/** The command's system is not available on this server yet. */
	Unavailable = "Unavailable",
	/** The command ran and failed; the message says why. */
	Failed = "Failed",
	/** A command that conflicts with this one is still under way here; this one was not run. */
	Busy = "Busy",
	/** The server did not answer within the client's wait; the command may still have run (see `audit`). */
	NoAnswer = "NoAnswer",
}

const REFUSAL_MESSAGES: Record<AdminRefusal, string> = {
	[AdminRefusal.NotAllowed]: "You are not allowed to run this command.",
	[AdminRefusal.RateLimited]: "Too many admin commands; wait a moment.",
	[AdminRefusal.InvalidArguments]: "The command's arguments are not valid.",
	[AdminRefusal.Unavailable]: "This command is not available on this server yet.",
	[AdminRefusal.Failed]: "The command failed.",
	[AdminRefusal.Busy]: "A command like this one is still under way; try again once it has finished.",
	[AdminRefusal.NoAnswer]: "The server did not answer in time; the command may still have run (see audit).",
};

export function refusalMessage(refusal: AdminRefusal): string {
	return REFUSAL_MESSAGES[refusal];
}

/** One system's line in a status: its name, its state and a short detail. */
export interface SystemLine {
	readonly name: string;
	readonly state: "healthy" | "degraded" | "failing";
	/** Its state in the deployment guide's words (OPERATIONAL, …), where the system reports one. */
	readonly operationsState?: OperationsState;
	readonly detail: string;
}

export interface SystemStatusResult {
	readonly overall: "healthy" | "degraded" | "failing";
	/** SystemManager's overall status in the deployment guide's words (`GetSystemStatus().overall`). */
	readonly operationsState: OperationsState;
	readonly jobId: string;
	readonly players: number;
	readonly objects: number;
	readonly systems: readonly SystemLine[];
}

/** A titled group of label/value lines. */
export interface ReportSection {
	readonly title: string;
	readonly lines: readonly { readonly label: string; readonly value: string }[];
}

/** The operations states: each system's, and EMERGENCY for a server in emergency mode. */
export type OperationsState = "OPERATIONAL" | "DEGRADED" | "FAILED" | "RESTARTING" | "EMERGENCY";

/** One system in the report's `systemHealth.systems`. */
export interface SystemHealthLine {
	readonly state: OperationsState;
	readonly reason: string;
	readonly errors: number;
	readonly restarts: number;
}

/** The report's `performanceMetrics`; response times in seconds as the spec compares them (0.1 = 100 ms). */
export interface PerformanceFigures {
	readonly averageResponseTime: number;
	readonly p95ResponseTime: number;
	readonly p99ResponseTime: number;
	readonly serverFps: number;
	/** Seconds. */
	readonly frameTimeP99: number;
	/** Seconds. */
	readonly uptime: number;
	readonly players: number;
	readonly objects: number;
}

/** `generateSystemReport()` in the spec's shape, as an admin receives it. */
export interface SystemReportResult {
	/** Unix seconds. */
	readonly generatedAt: number;
	readonly jobId: string;
	readonly systemHealth: {
		readonly overall: OperationsState;
		readonly reason: string;
		readonly systems: Readonly<Record<string, SystemHealthLine>>;
	};
	readonly performanceMetrics: PerformanceFigures;
	/** Each system's own report, its figures as label/value lines (e.g. memoryManager's currentMemory). */
	readonly systemReports: Readonly<Record<string, ReportSection>>;
	/** Systems whose report could not be included, and why. */
	readonly omittedReports: Readonly<Record<string, string>>;
}

export interface CleanupResult {
	readonly memoryBeforeMb: number;
	readonly memoryAfterMb: number;
	readonly actions: readonly string[];
}

export interface BackupCommandResult {
	readonly kind: "full" | "incremental";
	/** Set when something was written. */
	readonly backupId?: string;
	readonly players: number;
	readonly placements: number;
	readonly size: number;
}

export interface RecoverCommandResult {
	readonly target: string;
	readonly preview: boolean;
	readonly players: readonly {
		readonly userId: number;
		readonly status: string;
		readonly usedBackupId?: string;
		readonly added: number;
		readonly removed: number;
		readonly objectsAfter: number;
		readonly message: string;
	}[];
}

export interface RollbackCommandResult {
	readonly userId: number;
	readonly added: number;
	readonly removed: number;
	readonly objectsAfter: number;
	readonly message: string;
}

export interface RestartResult {
	readonly system: string;
	readonly restarted: boolean;
	readonly detail: string;
}

/** What one backup did, as an admin is told. */
export interface BackupOutcome {
	readonly success: boolean;
	readonly id?: string;
	readonly error?: string;
}

export interface EmergencyResult {
	readonly active: boolean;
	readonly reason?: string;
	/** After an exit: the automatic causes that still hold (none starts an emergency until it has cleared). */
	readonly heldOff?: string;
	/** The emergency backup of the emergency entered, once it finished. */
	readonly backup?: BackupOutcome;
}

export interface MaintenanceResult {
	readonly backupId?: string;
	readonly backupSucceeded: boolean;
	/** Players who will be removed once the answer is on its way. */
	readonly playersToKick: number;
}

export interface AnnounceResult {
	readonly delivered: number;
}

export interface ModerationLogLine {
	/** Unix seconds. */
	readonly time: number;
	readonly userId: number;
	readonly action: string;
	readonly rule: string;
	readonly detail: string;
}

export interface FleetServerLine {
	readonly jobId: string;
	readonly players: number;
	readonly objects: number;
	readonly overall: OperationsState;
	readonly memoryMb: number;
	readonly fps: number;
	/** Seconds the server has been up. */
	readonly uptime: number;
	/** Seconds since the server last published its status. */
	readonly ageSeconds: number;
}

export interface PreflightCheck {
	readonly name: string;
	readonly passed: boolean;
	readonly detail: string;
}

/** An operations alert (monitoring, emergency mode, memory), as admins see it and the `alerts` ring buffer keeps it. */
export interface AlertLine {
	/** Increasing per server. */
	readonly sequence: number;
	/** Unix seconds. */
	readonly time: number;
	readonly severity: "info" | "warning" | "critical";
	/** What raised it, e.g. "monitor", "emergency", "memoryManager". */
	readonly system: string;
	readonly message: string;
}

/** One audited admin call. */
export interface AuditEntry {
	/** Unix seconds. */
	readonly time: number;
	readonly jobId: string;
	readonly userId: number;
	readonly userName: string;
	readonly role: AdminStanding;
	readonly command: string;
	/** The arguments as the caller gave them, in chat form. */
	readonly args: string;
	/** Whether the command ran: it passed the rate limit, the caller's role and the argument checks (how it went is in `result`). */
	readonly allowed: boolean;
	/** "ok", a refusal reason, or a failure with its message. */
	readonly result: string;
	/** Identical refusals folded into this entry (rate-limited bursts), 0 when alone. */
	readonly repeats: number;
}

/**
 * How one server stands with a command sent to every server: it ran it (`done`, `failed`), it was
 * still running it when the caller's window closed (`underWay`: its row follows in
 * `adminCommandFinished` to everyone who got the table, as `noAnswer` when no final answer came
 * within `FleetConfig.followUpSeconds`; nothing follows if the caller's server shuts down first),
 * or it did not answer at all (`noAnswer`).
 */
export type FleetAnswerStatus = "done" | "failed" | "underWay" | "noAnswer";

/** What one server answered to a command sent to every server, or that it did not answer. */
export interface FleetAnswer {
	readonly jobId: string;
	readonly status: FleetAnswerStatus;
	/** The outcome in one line, or what it is doing while under way. */
	readonly summary: string;
}

/** The per-server table of a command sent to every server. */
export interface FleetCommandResult {
	readonly commandId: string;
	readonly servers: readonly FleetAnswer[];
}

/** The result type of each command when it runs on this server. */
export interface AdminResults {
	systemstatus: SystemStatusResult;
	systemreport: SystemReportResult;
	forcecleanup: CleanupResult;
	forcebackup: BackupCommandResult;
	recover: RecoverCommandResult;
	rollback: RollbackCommandResult;
	restartsystem: RestartResult;
	emergency: EmergencyResult;
	maintenance: MaintenanceResult;
	modlog: readonly ModerationLogLine[];
	fleet: readonly FleetServerLine[];
	preflight: readonly PreflightCheck[];
	alerts: readonly AlertLine[];
	audit: readonly AuditEntry[];
	announce: AnnounceResult;
}

/**
 * A command whose work outlasted `AdminConfig.underWayAfterSeconds`: what it has done so far. Its
 * outcome follows in the `adminCommandFinished` event with the same ticket.
 */
export interface UnderWayResult {
	readonly ticket: number;
	readonly command: AdminCommandName;
	/** The arguments in chat form, as the audit writes them. */
	readonly args: string;
	/** What has already happened and what is still going on. */
	readonly progress: string;
	/** Seconds since the command started. */
	readonly seconds: number;
	/** True when this call ran nothing: the same command (started by `startedBy`) was already under way. */
	readonly joined: boolean;
	readonly startedBy: string;
}

/**
 * The final answer to a command that was answered while still under way, or of one server whose
 * row of a command sent to every server was `underWay` (then `server` is set; its row is `noAnswer`
 * when that server gave no final answer in time).
 */
export interface AdminCommandOutcome {
	readonly ticket: number;
	readonly command: AdminCommandName;
	readonly args: string;
	/** Seconds the command took (for one server's answer: until that answer arrived). */
	readonly seconds: number;
	/** For one server's late answer: a `fleetCommand` table holding that server's row alone. */
	readonly response: AdminResponse;
	/** The job id of the server this late answer is from, for a command sent to every server. */
	readonly server?: string;
}

/**
 * The server's answer to one command: its typed result, that it is still under way (not done
 * yet, so not ok; `message` says what happened so far), or why it did not run.
 */
export type AdminReply<R> =
	| { readonly ok: true; readonly result: R }
	| { readonly ok: false; readonly underWay: UnderWayResult; readonly message: string; readonly refusal?: undefined }
	| { readonly ok: false; readonly refusal: AdminRefusal; readonly message: string };

/** What goes over the wire: the reply tagged with the command it answers. */
export type AdminResponse =
	| { readonly ok: true; readonly name: "systemstatus"; readonly result: SystemStatusResult }
	| { readonly ok: true; readonly name: "systemreport"; readonly result: SystemReportResult }
	| { readonly ok: true; readonly name: "forcecleanup"; readonly result: CleanupResult }
	| { readonly ok: true; readonly name: "forcebackup"; readonly result: BackupCommandResult }
	| { readonly ok: true; readonly name: "recover"; readonly result: RecoverCommandResult }
	| { readonly ok: true; readonly name: "rollback"; readonly result: RollbackCommandResult }
	| { readonly ok: true; readonly name: "restartsystem"; readonly result: RestartResult }
	| { readonly ok: true; readonly name: "emergency"; readonly result: EmergencyResult }
	| { readonly ok: true; readonly name: "maintenance"; readonly result: MaintenanceResult }
	| { readonly ok: true; readonly name: "modlog"; readonly result: readonly ModerationLogLine[] }
	| { readonly ok: true; readonly name: "fleet"; readonly result: readonly FleetServerLine[] }
	| { readonly ok: true; readonly name: "preflight"; readonly result: readonly PreflightCheck[] }
	| { readonly ok: true; readonly name: "alerts"; readonly result: readonly AlertLine[] }
	| { readonly ok: true; readonly name: "audit"; readonly result: readonly AuditEntry[] }
	| { readonly ok: true; readonly name: "announce"; readonly result: AnnounceResult }
	| { readonly ok: true; readonly name: "fleetCommand"; readonly result: FleetCommandResult }
	| { readonly ok: true; readonly name: "underWay"; readonly result: UnderWayResult }
	| { readonly ok: false; readonly refusal: AdminRefusal; readonly message: string };

/** What the server tells a player about their admin rights (sent on join and on change). */
export interface AdminAccess {
	readonly role: AdminStanding;
	/** The commands the role allows, which the client offers in chat. */
	readonly commands: readonly AdminCommandName[];
}

/** An alert pushed to admins as it happens. */
export type AdminAlert = AlertLine;
