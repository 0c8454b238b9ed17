import { Players } from "@rbxts/services";
import { JournalConfig, JournalDefaults } from "shared/config/journal-config";
import { JournalEntry } from "./journal-entry";
import { JournalStore } from "./journal-store";
import { PlayerJournal } from "./player-journal";
import { storedSessionLoadCount } from "./stored-session";

/** Tries of each read of a player's journal (and of the claim made with it) before it counts as unreadable. */
export const READ_ATTEMPTS = 3;

/**
 * What the journal's parts share on this server: the settings, the MemoryStore, the loaded
 * players' journals, the memory they hold and the counters the health report shows.
 */
export class JournalState {
	config: JournalConfig = { ...JournalDefaults };
	/** The retry delays as configured now (a backoff reads them at each retry). */
	readonly delays = () => this.config;
	readonly journals = new Map<number, PlayerJournal>();
	readonly store = new JournalStore();
	bytesUsed = 0;
	/**
	 * Bytes of entries being written, not yet in `bytesUsed` (counted once the claim after them
	 * stands): the budget check counts them, so writes side by side (a retry beside a batch, two
	 * batches, two players) never pass it together.
	 */
	bytesWriting = 0;
	entriesWritten = 0;
	writeFailures = 0;
	entriesReplayed = 0;
	entriesTrimmed = 0;
	earlySaves = 0;
	refusals = 0;
	claimChecks = 0;
	/** The stored profile's session load count, counted (see SessionClaim). */
	readonly storedLoadCount = (userId: number) => {
		this.claimChecks += 1;
		return storedSessionLoadCount(userId);
	};

	/**
	 * Counts `revision` of `journal` as `bytes` held in the MemoryStore, in place of what it was
	 * counted as before (returned; 0 when it was not counted).
	 */
	countJournaled(journal: PlayerJournal, revision: number, bytes: number): number {
		const before = journal.ledger.journal(revision, bytes);
		this.bytesUsed += bytes - before;
		return before;
	}

	/** Bytes of the journal's that left the MemoryStore (trimmed entries and released claims, once expired). */
	readonly release = (bytes: number) => {
		this.bytesUsed -= bytes;
	};

	memoryBudget(): number {
		return this.config.memoryBaseShareBytes + this.config.memoryPerPlayerBytes * Players.GetPlayers().size();
	}

	/** Every entry of a player's journal, oldest first; undefined when it cannot be read. */
	readAll(userId: number): JournalEntry[] | undefined {
		return this.store.readAll(userId, READ_ATTEMPTS, this.config);
	}
}
