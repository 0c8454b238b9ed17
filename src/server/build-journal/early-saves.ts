import { yieldUntil } from "shared/threads/yield-until";
import { JournalState } from "./journal-state";
import { PlayerJournal } from "./player-journal";
import { backoffSeconds } from "./retry-backoff";

/** Profile saves the journal asks for before their time: to trim a journal, or when it cannot make changes durable. */
export class EarlySaves {
	constructor(private readonly state: JournalState) {}

	/** Saves the player's profile now, unless an early save of it was asked for within the cooldown (`force` skips that wait). */
	saveEarly(journal: PlayerJournal, force = false) {
		if (!journal.profile.IsActive()) return;
		if (!force && time() - journal.lastEarlySave < this.state.config.earlySaveCooldownSeconds) return;
		journal.lastEarlySave = time();
		this.state.earlySaves += 1;
		journal.profile.Save();
	}

	/** Saves the profile of the player whose journal holds the most bytes (to trim it). */
	saveLargest() {
		let largest: PlayerJournal | undefined;
		let largestBytes = 0;
		for (const [, journal] of this.state.journals) {
			if (time() - journal.lastEarlySave < this.state.config.earlySaveCooldownSeconds || !journal.profile.IsActive()) continue;
			const bytes = journal.ledger.journaledBytes();
			if (bytes > largestBytes) {
				largest = journal;
				largestBytes = bytes;
			}
		}
		if (largest !== undefined) this.saveEarly(largest, true);
	}

	/** Asks for a save again with backoff until one covering `revision` (a replaced build) lands, or the session ends. */
	saveUntilStored(journal: PlayerJournal, revision: number) {
		let attempt = 0;
		while (journal.current && journal.profile.IsActive() && journal.ledger.storedRevision() < revision) {
			task.wait(backoffSeconds(this.state.config, attempt));
			attempt += 1;
			if (journal.ledger.storedRevision() >= revision || !journal.profile.IsActive()) return;
			this.saveEarly(journal, true);
		}
	}
}

/**
 * Yields until a profile save covering `revision` has landed or `timeoutSeconds` have passed:
 * woken by the saves (after the journal's own handler has recorded each), never polled.
 */
export function waitUntilStored(journal: PlayerJournal, revision: number, timeoutSeconds: number) {
	if (journal.ledger.storedRevision() >= revision) return;
	yieldUntil(timeoutSeconds, (wake) => {
		const saved = journal.profile.OnAfterSave.Connect(() =>
			task.defer(() => {
				if (journal.ledger.storedRevision() >= revision) wake();
			}),
		);
		return () => saved.Disconnect();
	});
}
