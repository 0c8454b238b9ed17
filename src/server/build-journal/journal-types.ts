import { StoredPlacement } from "server/player-data/player-data";
import { SystemState } from "server/system-manager/health-report";
import type { JournalEntry } from "./journal-entry";

/** A build as the load path sees it: its placements and the revision they are at. */
export interface JournalBuild {
	readonly placements: readonly StoredPlacement[];
	readonly revision: number;
}

/** A backed-up build a journal's gap points to, with the session it copied (0 when unrecorded). */
export interface BackedUpBuild extends JournalBuild {
	readonly session: number;
}

/**
 * Finds the player's newest backed-up build above `revision` (of `session`) that `entries` do not
 * show was overtaken; "unreadable" when the backups cannot be read now.
 */
export type BackupFinder = (userId: number, revision: number, session: number, entries: readonly JournalEntry[]) => BackedUpBuild | "unreadable" | undefined;

/** The journal in the health report: what it did and how close it runs to the MemoryStore quotas. */
export interface JournalStatus {
	/** healthy; degraded while some change is pending or a journal is unread; failing while some player is refused for it. */
	readonly health: SystemState;
	readonly entriesWritten: number;
	readonly writeFailures: number;
	readonly entriesReplayed: number;
	readonly entriesTrimmed: number;
	/** Profile saves the journal asked for early (memory allowance reached, or the journal failing). */
	readonly earlySaves: number;
	/** Changes refused with SavingDelayed, or with SessionMoved once another server took the player over. */
	readonly refusals: number;
	/** Acknowledged changes not durable yet, and the players they belong to. */
	readonly pendingChanges: number;
	readonly pendingPlayers: number;
	/** Players whose journal could not be read on load yet (their changes wait for it). */
	readonly unreadPlayers: number;
	/**
	 * Reads of a stored profile's session load count (DataStore GetAsync, uncached) made to prove a
	 * claim a session had to create: one per session start, and again after a claim expired.
	 */
	readonly claimChecks: number;
	/** Journal bytes this server holds in the MemoryStore (claims included), against its allowance. */
	readonly bytesUsed: number;
	readonly memoryBudgetBytes: number;
	/** The experience's memory quota as this server can see it (64 KB + 1.2 KB per player here): a lower bound. */
	readonly memoryQuotaBytes: number;
	/** Request units this server spent on the journal in the last 60 s. */
	readonly requestUnitsLastMinute: number;
	/** The experience's request quota as this server can see it (1000 + 120 per player here): a lower bound. */
	readonly requestUnitsPerMinute: number;
}
