import { PlayerProfile } from "server/player-data/player-data-service";
import { DurabilityLedger } from "./durability-ledger";
import { SessionClaim } from "./journal-claim";
import { JournalEntry } from "./journal-entry";
import { BackoffDelays, RetryBackoff } from "./retry-backoff";

/** One loaded player's journal on this server. */
export interface PlayerJournal {
	readonly userId: number;
	readonly profile: PlayerProfile;
	readonly ledger: DurabilityLedger;
	readonly map: MemoryStoreSortedMap;
	/** Revisions whose write reported failure: the MemoryStore may hold them anyway. */
	readonly maybeStored: Set<number>;
	/** Entries read on load that the stored build covers (or that follow a gap), by revision with their bytes: trimmed, then forgotten. */
	readonly obsolete: Map<number, number>;
	readonly trimming: Set<number>;
	/** Failed writes are tried again after a backoff (see JournalWriter.scheduleRetry). */
	readonly writeRetry: RetryBackoff;
	/** Trims the MemoryStore refused are tried again after a backoff (see JournalTrimmer.scheduleTrimRetry). */
	readonly trimRetry: RetryBackoff;
	/**
	 * Replayed entries still under an older session's mark (their rewrite failed), by revision, with
	 * the entry as it is to be rewritten: marked again (see ReplayAdoption.scheduleRemark).
	 */
	readonly unowned: Map<number, { readonly entry: JournalEntry; readonly owned: JournalEntry }>;
	/** Revisions whose re-mark request is under way: a trim meanwhile is refused (tried again later). */
	readonly remarking: Set<number>;
	/**
	 * Revisions whose last re-mark as this session's was reported failed though it may have landed:
	 * the stored entry carries either mark, so it is trimmed under both until a re-mark settles which.
	 */
	readonly remarkUncertain: Set<number>;
	readonly remarkRetry: RetryBackoff;
	lastEarlySave: number;
	current: boolean;
	/** The journal could not be read on load: changes wait until a later read has replayed it. */
	unread: boolean;
	/** This session's mark on its entries. */
	readonly session: string;
	/**
	 * A newer ProfileStore session of the player holds the journal (its change took a revision
	 * this one wanted): this server no longer holds the player, so it answers `pending` and refuses.
	 */
	moved: boolean;
	/** Bytes of this session's claim on the journal, counted in `JournalState.bytesUsed` while it holds it. */
	claimBytes: number;
	/** This session's claim, verified against the stored profile whenever it had to be created. */
	readonly claim: SessionClaim;
	/** Entries read on load that another session wrote, by revision: trimmed only while they are still that session's. */
	readonly foreign: Map<number, string>;
	/** The session whose build this one loaded (0 when unknown): the journal's chain continues it. */
	readonly baseSession: number;
	/**
	 * The session of the stored copy at the ledger's base (0 when unknown): the entries from there
	 * up to the loaded build are its chain. The loaded build's own session, but for a hand-over's
	 * build, which continues the stored profile with entries of the session that ended here.
	 */
	readonly storedSession: number;
	/** The stored profile's revision (as of the load, raised by each save that lands): below the ledger's base when the build came from a backup. */
	profileRevision: number;
	/**
	 * The newest entry the backup the build loaded from covers above the stored profile, by revision
	 * with its bytes: kept until a profile save covers it (one that lands first keeps none) or a later
	 * backup keeps a newer entry, so a server that cannot read the backups still sees the profile is
	 * behind one (see JournalTrimmer.backupCovers).
	 */
	readonly heldForBackup: Map<number, number>;
}

/** What a session start decides about its journal; the rest starts empty. */
export type JournalStart = Pick<
	PlayerJournal,
	"userId" | "profile" | "map" | "unread" | "session" | "moved" | "claim" | "baseSession" | "storedSession" | "profileRevision"
>;

/** A session's journal as it starts, its stored copy at `storedRevision`; retries wait as `delays` say. */
export function newPlayerJournal(start: JournalStart, storedRevision: number, delays: () => BackoffDelays): PlayerJournal {
	return {
		...start,
		ledger: new DurabilityLedger(storedRevision),
		maybeStored: new Set(),
		obsolete: new Map(),
		trimming: new Set(),
		writeRetry: new RetryBackoff(delays),
		trimRetry: new RetryBackoff(delays),
		unowned: new Map(),
		remarking: new Set(),
		remarkUncertain: new Set(),
		remarkRetry: new RetryBackoff(delays),
		lastEarlySave: -math.huge,
		current: true,
		claimBytes: 0,
		foreign: new Map(),
		heldForBackup: new Map(),
	};
}
