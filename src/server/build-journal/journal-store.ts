import { HttpService, MemoryStoreService } from "@rbxts/services";
import { decodeEntry, EncodedEntry, encodedJsonSize, encodeEntry, JournalEntry, journalKey, journalMapName, loadCountOf } from "./journal-entry";
import { RequestMeter } from "./request-meter";
import { BackoffDelays, backoffSeconds } from "./retry-backoff";

/** Bytes a numeric sort key takes in the MemoryStore. */
const SORT_KEY_BYTES = 8;
const RANGE_PAGE = 200;
/** The key holding the mark of the newest session that claimed a player's journal; not a revision. */
const CLAIM_KEY = "claim";
/** Below every revision, so the claim reads back first and never inside the entries' range. */
const CLAIM_SORT_KEY = -1;
/** An item set to expire this soon is as good as removed (a sorted map's UpdateAsync cannot remove). */
export const GONE_SECONDS = 1;

/** What claiming a player's journal found; see `JournalStore.claim`. */
export type ClaimResult = "mine" | "created" | "newer" | { problem: string };

/**
 * The journal's MemoryStore requests: one sorted map per player, entries keyed and sorted by
 * revision. Every request's units are counted in `meter`, as the experience's quota counts them.
 */
export class JournalStore {
	readonly meter = new RequestMeter();

	mapOf(userId: number): MemoryStoreSortedMap {
		return MemoryStoreService.GetSortedMap(journalMapName(userId));
	}

	/** The MemoryStore memory an entry takes: key, JSON value and sort key. */
	bytesOf(entry: JournalEntry, encoded: EncodedEntry = encodeEntry(entry)): number {
		const json = encodedJsonSize(encoded) ?? HttpService.JSONEncode(encoded).size();
		return journalKey(entry.revision).size() + json + SORT_KEY_BYTES;
	}

	/** `bytesOf` by encoding the JSON: the reference the arithmetic is checked against. */
	bytesOfByJson(entry: JournalEntry): number {
		return journalKey(entry.revision).size() + HttpService.JSONEncode(encodeEntry(entry)).size() + SORT_KEY_BYTES;
	}

	/** Every entry of a player's journal, oldest first, trying `attempts` times; undefined when it cannot be read. */
	readAll(userId: number, attempts: number, delays: BackoffDelays): JournalEntry[] | undefined {
		const map = this.mapOf(userId);
		for (let attempt = 1; attempt <= attempts; attempt++) {
			const [ok, entries] = pcall(() => {
				const found: JournalEntry[] = [];
				let after: { key: string; sortKey: number } | undefined;
				for (;;) {
					const page = map.GetRangeAsync(Enum.SortDirection.Ascending, RANGE_PAGE, after);
					this.meter.add(time(), math.max(1, page.size()));
					for (const item of page) {
						const entry = decodeEntry(item.value);
						if (entry !== undefined) found.push(entry);
					}
					if (page.size() < RANGE_PAGE) return found;
					const last = page[page.size() - 1];
					after = { key: last.key, sortKey: last.sortKey as number };
				}
			});
			if (ok) return entries;
			if (attempt < attempts) task.wait(backoffSeconds(delays, attempt - 1));
		}
		return undefined;
	}

	/**
	 * Writes one entry unless a newer (or the same) ProfileStore session's entry holds its
	 * revision: two servers briefly holding one player, the session that loaded later wins, and
	 * an older session's entry it meets was written after it loaded (no load of it replays it).
	 * Returns undefined when written; otherwise the problem, and whether the revision is a newer
	 * session's (then nothing was written) rather than an error (then it may have been stored anyway).
	 */
	write(
		map: MemoryStoreSortedMap,
		entry: JournalEntry,
		expirationSeconds: number,
		encoded: EncodedEntry = encodeEntry(entry),
	): { problem: string; occupied: boolean } | undefined {
		this.meter.add(time(), 1);
		let occupied = false;
		const [ok, problem] = pcall(() =>
			map.UpdateAsync(
				journalKey(entry.revision),
				(old) => {
					const existing = decodeEntry(old);
					occupied =
						existing !== undefined &&
						existing.session !== entry.session &&
						loadCountOf(existing.session) >= loadCountOf(entry.session);
					if (occupied) return undefined;
					// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- a sorted map's transform returns the value and its sort key
					return $tuple(encoded, entry.revision);
				},
				expirationSeconds,
			),
		);
		if (!ok) return { problem: tostring(problem), occupied: false };
		return occupied ? { problem: `revision ${entry.revision} holds a newer session's change`, occupied: true } : undefined;
	}

	/**
	 * Rewrites a replayed entry under this session's mark (`owned`) only while the stored entry
	 * still carries `previousSession`'s: "remarked" (also when it carries `owned`'s already: an
	 * earlier rewrite reported failed but landed); "gone" when there is none; "other" when another
	 * session's is there (nothing written); "failed" when the request failed.
	 */
	remark(map: MemoryStoreSortedMap, owned: JournalEntry, previousSession: string, expirationSeconds: number): "remarked" | "gone" | "other" | "failed" {
		this.meter.add(time(), 1);
		const encoded = encodeEntry(owned);
		let found: "remarked" | "gone" | "other" = "remarked";
		const [ok] = pcall(() =>
			map.UpdateAsync(
				journalKey(owned.revision),
				(old) => {
					const existing = decodeEntry(old);
					if (existing === undefined) found = "gone";
					else if (existing.revision !== owned.revision) found = "other";
					else if (existing.session === owned.session) found = "remarked";
					else found = existing.session === previousSession ? "remarked" : "other";
					if (found !== "remarked" || existing?.session === owned.session) return undefined;
					// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- a sorted map's transform returns the value and its sort key
					return $tuple(encoded, owned.revision);
				},
				expirationSeconds,
			),
		);
		return ok ? found : "failed";
	}

	/**
	 * Claims the player's journal for `session` (called on every session start and after every
	 * entry written): stores the mark under CLAIM_KEY unless a newer ProfileStore session's mark is
	 * there. "mine" when the mark was this session's already (its expiration refreshed), "created"
	 * when it was missing or an older session's (then nothing in the MemoryStore proves that no
	 * newer session has loaded meanwhile: see SessionClaim), "newer" when a newer session holds
	 * the journal (nothing written), or the problem.
	 */
	claim(map: MemoryStoreSortedMap, session: string, expirationSeconds: number): ClaimResult {
		this.meter.add(time(), 1);
		let result: "mine" | "created" | "newer" = "created";
		const [ok, problem] = pcall(() =>
			map.UpdateAsync(
				CLAIM_KEY,
				(old) => {
					const held = typeIs(old, "string") ? old : undefined;
					result = held === session ? "mine" : held !== undefined && loadCountOf(held) > loadCountOf(session) ? "newer" : "created";
					if (result === "newer") return undefined;
					// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- a sorted map's transform returns the value and its sort key
					return $tuple(session, CLAIM_SORT_KEY);
				},
				expirationSeconds,
			),
		);
		if (!ok) return { problem: tostring(problem) };
		return result;
	}

	/**
	 * Ends `session`'s claim when its session ended cleanly: the mark, if still this session's, is
	 * set to expire within GONE_SECONDS (a sorted map has no conditional remove), so another
	 * session's claim is never touched. Returns whether the request went through.
	 */
	releaseClaim(map: MemoryStoreSortedMap, session: string): boolean {
		this.meter.add(time(), 1);
		const [ok] = pcall(() =>
			map.UpdateAsync(
				CLAIM_KEY,
				(old) => {
					if (old !== session) return undefined;
					// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- a sorted map's transform returns the value and its sort key
					return $tuple(session, CLAIM_SORT_KEY);
				},
				GONE_SECONDS,
			),
		);
		return ok;
	}

	/** The MemoryStore memory a claim of `session` takes: key, JSON string and sort key. */
	claimBytes(session: string): number {
		return CLAIM_KEY.size() + HttpService.JSONEncode(session).size() + SORT_KEY_BYTES;
	}

	/**
	 * Trims the entry of `revision` if it is still the one `session` wrote (or read), or carries
	 * `orSession` (a re-mark that may have landed): set to expire within GONE_SECONDS inside one
	 * UpdateAsync that compares the session, so an entry a newer session wrote at the same revision
	 * is never removed. Returns whether the request went through (the entry is gone or not
	 * `session`'s to trim either way).
	 */
	trim(map: MemoryStoreSortedMap, revision: number, session: string, orSession?: string): boolean {
		this.meter.add(time(), 1);
		const [ok] = pcall(() =>
			map.UpdateAsync(
				journalKey(revision),
				(old) => {
					const existing = decodeEntry(old);
					if (existing === undefined || existing.revision !== revision) return undefined;
					if (existing.session !== session && (orSession === undefined || existing.session !== orSession)) return undefined;
					// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- a sorted map's transform returns the value and its sort key
					return $tuple(old, revision);
				},
				GONE_SECONDS,
			),
		);
		return ok;
	}
}

/** A session's mark on its entries: its ProfileStore session load count, then a random tag. */
export function sessionMark(sessionLoadCount: number): string {
	return `${sessionLoadCount}:${HttpService.GenerateGUID(false).sub(1, 8)}`;
}

