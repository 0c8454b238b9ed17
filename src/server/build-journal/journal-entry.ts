import { plainIntegerSize, plainStringSize } from "server/builds/build-size";
import { StoredPlacement } from "server/player-data/player-data";

/** One change to a build, as the journal records it. */
export type JournalChange =
	| { readonly kind: "place"; readonly placement: StoredPlacement }
	| { readonly kind: "remove"; readonly placementId: string };

/** A journaled change: the build revision it produced (the revision before it is one less). */
export interface JournalEntry {
	readonly revision: number;
	readonly change: JournalChange;
	/** Unix seconds when the change was made. */
	readonly at: number;
	/** The session whose mark it carries: a session never overwrites another's entry of the same revision. */
	readonly session: string;
	/**
	 * The session that wrote the change, when a newer session has since marked it as its own (it
	 * replayed the entry into its build); absent when that is `session`.
	 */
	readonly writtenBy?: string;
	/**
	 * With `writtenBy`: the revision of the build the marking session loaded. A copy of an older
	 * session's build past it holds changes made after that session took the player over.
	 */
	readonly loadedAt?: number;
}

/** The stored form: a short array, so an entry costs about 100 bytes of MemoryStore quota. */
export type EncodedEntry =
	| [
			kind: "p",
			revision: number,
			at: number,
			session: string,
			id: string,
			itemId: string,
			x: number,
			y: number,
			z: number,
			rotation: number,
			placedAt: number,
			writtenBy?: string,
			loadedAt?: number,
	  ]
	| [kind: "r", revision: number, at: number, session: string, id: string, writtenBy?: string, loadedAt?: number];

/** The sorted map holding one player's journal; keys are revisions, so entries read back in order. */
export function journalMapName(userId: number): string {
	return `BuildJournal_${userId}`;
}

/** Zero-padded so that keys sort like the revisions they name. */
export function journalKey(revision: number): string {
	return string.format("%012d", revision);
}

/**
 * Characters of an encoded entry's JSON, counted by arithmetic (brackets, commas, plain strings
 * and integers); undefined when anything needs encoding to know (a fraction, an escape).
 */
export function encodedJsonSize(encoded: EncodedEntry): number | undefined {
	let total = 2 + encoded.size() - 1;
	for (const value of encoded as ReadonlyArray<string | number>) {
		const size = typeIs(value, "string") ? plainStringSize(value) : plainIntegerSize(value);
		if (size === undefined) return undefined;
		total += size;
	}
	return total;
}

export function encodeEntry(entry: JournalEntry): EncodedEntry {
	const change = entry.change;
	const encoded: EncodedEntry =
		change.kind === "remove"
			? ["r", entry.revision, entry.at, entry.session, change.placementId]
			: ["p", entry.revision, entry.at, entry.session, change.placement.id, change.placement.itemId, change.placement.x, change.placement.y, change.placement.z, change.placement.rotation, change.placement.placedAt];
	// A re-marked entry carries its writer and the revision the marking session loaded, last.
	if (entry.writtenBy !== undefined) {
		const fields = encoded as defined[];
		fields.push(entry.writtenBy, entry.loadedAt ?? 0);
	}
	return encoded;
}

/**
 * `entry` under `session`'s mark, still naming the session that wrote its change; `loadedAt` is
 * the revision of the build that session loaded (the entry is at or below it).
 */
export function markedAs(entry: JournalEntry, session: string, loadedAt: number): JournalEntry {
	if (entry.session === session) return entry;
	return { ...entry, session, writtenBy: entry.writtenBy ?? entry.session, loadedAt };
}

/** The session that wrote an entry's change (its mark may be a newer session's). */
export function writerOf(entry: Pick<JournalEntry, "session" | "writtenBy">): string {
	return entry.writtenBy ?? entry.session;
}

function isNumber(value: unknown): value is number {
	return typeIs(value, "number") && value === value;
}

/** The entry a stored value holds, or undefined when it is not a journal entry. */
export function decodeEntry(value: unknown): JournalEntry | undefined {
	if (!typeIs(value, "table")) return undefined;
	const fields = value as unknown[];
	const [kind, revision, at, session, id] = [fields[0], fields[1], fields[2], fields[3], fields[4]];
	if (!isNumber(revision) || !isNumber(at) || !typeIs(session, "string") || !typeIs(id, "string")) return undefined;
	if (kind === "r") {
		const [writtenBy, loadedAt] = [fields[5], fields[6]];
		if (!validMarking(writtenBy, loadedAt)) return undefined;
		return { revision, at, session, writtenBy, loadedAt: loadedAt as number | undefined, change: { kind: "remove", placementId: id } };
	}
	if (kind !== "p") return undefined;
	const [itemId, x, y, z, rotation, placedAt] = [fields[5], fields[6], fields[7], fields[8], fields[9], fields[10]];
	if (!typeIs(itemId, "string") || !isNumber(x) || !isNumber(y) || !isNumber(z) || !isNumber(rotation) || !isNumber(placedAt)) {
		return undefined;
	}
	const [writtenBy, loadedAt] = [fields[11], fields[12]];
	if (!validMarking(writtenBy, loadedAt)) return undefined;
	return { revision, at, session, writtenBy, loadedAt: loadedAt as number | undefined, change: { kind: "place", placement: { id, itemId, x, y, z, rotation, placedAt } } };
}

/** Neither (the marking session wrote the change), or both: the writer's mark and the revision the marking session loaded. */
function validMarking(writtenBy: unknown, loadedAt: unknown): writtenBy is string | undefined {
	return writtenBy === undefined ? loadedAt === undefined : typeIs(writtenBy, "string") && isNumber(loadedAt);
}

/**
 * The entries that continue a build at `afterRevision`: revision afterRevision + 1, + 2, … up to
 * the first gap. Entries past a gap cannot be applied (a change between is missing), nor an
 * older session's entry that follows a newer session's — nor one that follows a build of a newer
 * session (`fromSession`, its ProfileStore load count; 0 when unknown), or a newer session's entry
 * at `afterRevision` itself (a build that an earlier read continued up to there): such an entry
 * was written by a session that had been taken over, after the newer session had loaded.
 */
export function followingChain(entries: readonly JournalEntry[], afterRevision: number, fromSession = 0): JournalEntry[] {
	const byRevision = new Map<number, JournalEntry>();
	for (const entry of entries) byRevision.set(entry.revision, entry);
	const chain: JournalEntry[] = [];
	const at = byRevision.get(afterRevision);
	const newestBefore = at !== undefined ? math.max(fromSession, loadCountOf(at.session)) : fromSession;
	let following = byRevision.get(afterRevision + 1);
	if (following !== undefined && loadCountOf(following.session) < newestBefore) following = undefined;
	while (following !== undefined) {
		chain.push(following);
		const after = byRevision.get(following.revision + 1);
		// An older ProfileStore session's entry after a newer one's was written once the newer had
		// taken the player over: it was never part of the newer session's build.
		following = after !== undefined && loadCountOf(after.session) >= loadCountOf(following.session) ? after : undefined;
	}
	return chain;
}

/**
 * `placements` with `entries` applied in order, as a new array (the input is not changed).
 * Applying is idempotent: a placement already present is not added twice, and removing a
 * missing one does nothing, so a change that also reached the stored build is harmless.
 */
export function applyJournal(placements: readonly StoredPlacement[], entries: readonly JournalEntry[]): StoredPlacement[] {
	const result = placements.map((placement) => ({ ...placement }));
	const indexById = new Map<string, number>();
	result.forEach((placement, index) => indexById.set(placement.id, index));
	for (const entry of entries) {
		const change = entry.change;
		if (change.kind === "place") {
			if (indexById.has(change.placement.id)) continue;
			indexById.set(change.placement.id, result.size());
			result.push({ ...change.placement });
		} else {
			const index = indexById.get(change.placementId);
			if (index === undefined) continue;
			const last = result.size() - 1;
			if (index !== last) {
				result[index] = result[last];
				indexById.set(result[index].id, index);
			}
			result.pop();
			indexById.delete(change.placementId);
		}
	}
	return result;
}

/** The ProfileStore session load count in a session mark (`<count>:<tag>`); 0 for marks without one. */
export function loadCountOf(session: string): number {
	const [count] = session.match("^(%d+):");
	return count !== undefined ? (tonumber(count) ?? 0) : 0;
}
