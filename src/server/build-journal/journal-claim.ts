import { loadCountOf } from "./journal-entry";
import { ClaimResult, JournalStore } from "./journal-store";

/** Whether a session's claim on the journal stands, proven against the stored profile. */
export type ClaimCheck = "held" | "newer" | { problem: string };

/**
 * One session's claim on a player's journal. The claim in the MemoryStore expires (and is
 * released when a session ends cleanly), so a claim that is missing proves nothing: a newer
 * session may have loaded, claimed, written and gone meanwhile. Whenever this session had to
 * create its claim (missing, or an older session's), it is trusted only once the profile's
 * stored session load count — which ProfileStore raises when any newer session loads, and which
 * never expires — is read *after* the claim was written and is still this session's. From then
 * on a newer session that loads claims over this one before it reads the journal, so every
 * entry this session wrote while its claim still stood is read by the newer session.
 */
export class SessionClaim {
	/** The claim now in the MemoryStore was written by this session and checked against the profile after. */
	private verified = false;

	constructor(
		readonly userId: number,
		readonly session: string,
		private readonly store: JournalStore,
		private readonly storedLoadCount: (userId: number) => number | undefined,
	) {}

	/**
	 * Writes the claim (session start, or after an entry); a claim it had to create must be verified
	 * again, and so must one whose write failed: it may have been stored (over a missing claim) all
	 * the same, and the next attempt would then find it "mine".
	 */
	claim(map: MemoryStoreSortedMap, expirationSeconds: number): ClaimResult {
		const result = this.store.claim(map, this.session, expirationSeconds);
		if (result !== "mine") this.verified = false;
		return result;
	}

	/**
	 * Claims the journal after an entry was written and tells whether the entry may be answered
	 * durable: "held" when the claim stands and is verified, "newer" when a newer session holds
	 * the player (in the MemoryStore or in the stored profile), or the problem (retried later).
	 */
	confirm(map: MemoryStoreSortedMap, expirationSeconds: number): ClaimCheck {
		const result = this.claim(map, expirationSeconds);
		if (result === "newer" || !typeIs(result, "string")) return result;
		return this.verify();
	}

	/** Verifies a created claim against the stored profile (one DataStore read); "held" when already verified. */
	verify(): ClaimCheck {
		if (this.verified) return "held";
		const stored = this.storedLoadCount(this.userId);
		if (stored === undefined) return { problem: "the profile's session could not be read to confirm the claim" };
		if (stored > loadCountOf(this.session)) return "newer";
		this.verified = true;
		return "held";
	}
}
