import { AdminCommandName, AdminRole } from "shared/admin/admin-types";

/** A group rank from which members hold a role. */
export interface GroupRankRole {
	readonly minRank: number;
	readonly role: AdminRole;
}

/** Who holds which admin role, what each command needs, and the admin system's limits. */
export const AdminConfig = {
	/** Roles by user id, in every server. */
	users: new ReadonlyMap<number, AdminRole>([
		[1, "owner"],
		[9001, "admin"],
	]),
	/** A group whose ranks grant roles (0 turns it off); the highest threshold reached wins. */
	group: {
		groupId: 0,
		ranks: [
			{ minRank: 255, role: "owner" },
			{ minRank: 200, role: "admin" },
			{ minRank: 100, role: "moderator" },
		] as readonly GroupRankRole[],
	},
	/** In Studio play-solo (RunService:IsStudio()) the local player is owner; never in a live server. */
	studioPlayerIsOwner: true,
	/** The owner of a private server is a moderator of that server. */
	privateServerOwnerIsModerator: true,
	/** The weakest role that may run each command; everyone else is refused. */
	minimumRole: {
		systemstatus: "moderator",
		modlog: "moderator",
		alerts: "moderator",
		audit: "admin",
		systemreport: "admin",
		forcebackup: "admin",
		forcecleanup: "admin",
		recover: "admin",
		rollback: "admin",
		fleet: "admin",
		preflight: "admin",
		announce: "admin",
		maintenance: "owner",
		emergency: "owner",
		restartsystem: "owner",
	} satisfies Record<AdminCommandName, AdminRole> as Readonly<Record<AdminCommandName, AdminRole>>,
	/** The weakest role that may remove other players' objects. */
	removeOthersObjects: "moderator" as AdminRole,
	/** Per-caller token bucket for admin commands (anyone's calls count, admin or not). */
	rateLimit: { burst: 5, perSecond: 0.5 },
	/** Longest text an admin may send (messages, reasons). */
	maxTextLength: 200,
	/** Most entries `audit` returns at once. */
	maxAuditRead: 100,
	/** Seconds between the maintenance answer and the kick, so the caller sees the answer. */
	maintenanceKickDelay: 2,
	/**
	 * Seconds a command may work before its caller is answered with what it has done so far (its
	 * outcome follows in `adminCommandFinished`). Well inside the client's 30 s wait (Flamework's
	 * default for client calls), and past `FleetConfig.answerWindowSeconds`, so a command sent to
	 * every server still answers with its table.
	 */
	underWayAfterSeconds: 8,
	/**
	 * Seconds a command may go without an outcome before it stops holding its lane: a call that
	 * never returns (a DataStore request that hangs, a bug that yields forever) would otherwise
	 * leave every later command of that lane refused `Busy` for the server's life. Past it the
	 * command is answered (in `adminCommandFinished`) and audited as giving no outcome, its lane
	 * takes new commands, and what its work returns later is audited as a late note. Five minutes
	 * is well past a command that is slow but still working: a backup request through
	 * `BackupLimits` waits at most 30 s for budget, then 6 attempts with backoff 1+2+4+8+16 s
	 * (about a minute per request with the DataStore failing, a few per backup, and a backup
	 * already running is waited for first); recovery reads backups through the same requests; a
	 * command sent to every server returns after its 5 s window (its follow-up runs apart). Much
	 * longer would lock admins out of backups or recovery for that long; the cost of letting go
	 * early is only that a second command of the lane may run beside a very slow one.
	 */
	laneStuckAfterSeconds: 300,
} as const;

/** How the audit is kept: entries in memory, and batches appended to its own DataStore. */
export const AuditConfig = {
	/** Entries kept in memory for `audit`. */
	memoryEntries: 500,
	/** A batch is written when it holds this many entries, or when it is this old (seconds). */
	batchSize: 50,
	flushIntervalSeconds: 30,
	/** Most entries waiting to be written (while the DataStore is down); beyond it the oldest are dropped and counted. */
	maxPending: 2000,
	/** Batches `audit` reads back from the DataStore at most (newest first). */
	maxBatchesRead: 20,
	/**
	 * Newest batches the DataStore keeps (2,000 batches: up to about 100,000 calls; a batch is also
	 * written on its interval and on shutdown, with fewer entries): each batch number taken
	 * removes the batch this many before it, so the audit's storage stays bounded.
	 */
	retainedBatches: 2000,
	/** Longest argument text kept per entry. */
	maxArgsLength: 200,
} as const;

/** Commands sent to every server through MessagingService. */
export const FleetConfig = {
	/** The MessagingService topic commands and answers travel on. */
	topic: "AdminFleet",
	/** Seconds the caller waits for answers before listing silent servers. */
	answerWindowSeconds: 5,
	/**
	 * Seconds a server runs a command before it answers `underWay` with what it is doing; well
	 * inside `answerWindowSeconds`, so that answer reaches the caller before the window closes.
	 */
	underWayAnswerSeconds: 3,
	/**
	 * Seconds the caller's server keeps listening, after the window, for the final answers of the
	 * servers listed under way; each is sent as it arrives to the admins who got the table (the one
	 * who ran the command and whoever joined it). Those still under way when it is up are sent as
	 * `noAnswer`.
	 */
	followUpSeconds: 120,
	/** When the fleet view cannot be read: servers heard from (commands, answers) within this many seconds are expected. */
	recentlyHeardSeconds: 600,
	/** Command ids remembered to ignore duplicates, and for how long (seconds). */
	seenCommandSeconds: 600,
} as const;
