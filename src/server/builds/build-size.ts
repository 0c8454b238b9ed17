//!native
import { HttpService } from "@rbxts/services";
import { StoredPlacement } from "server/player-data/player-data";
import { PLACEMENT_ID_LENGTH } from "./placement-ids";

/** A DataStore value holds at most this many characters of JSON. */
export const DATASTORE_VALUE_LIMIT = 4_194_304;
/** Room kept for the rest of the profile and ProfileStore's own metadata. */
export const PROFILE_OVERHEAD_RESERVE = 65_536;

/** `{}` plus, per field, its quoted key, a colon and a comma between fields (7 fields, 6 commas). */
const FIXED_CHARACTERS = 2 + 6 + '"id":"itemId":"x":"y":"z":"rotation":"placedAt":'.size();

/** A string JSON writes as itself between quotes (no escapes): GUIDs, catalog ids, journal session marks. */
export function plainStringSize(value: string): number | undefined {
	return value.find("[^%w%-_%.: ]")[0] === undefined ? value.size() + 2 : undefined;
}

/** An integer JSON writes in plain digits (no exponent, no -0). */
export function plainIntegerSize(value: number): number | undefined {
	if (value % 1 !== 0 || math.abs(value) >= 1e15 || (value === 0 && 1 / value < 0)) return undefined;
	// Digits by comparison with powers of ten (exact in a double up to 1e15): no string is made.
	const magnitude = value < 0 ? -value : value;
	let digits = value < 0 ? 2 : 1;
	let bound = 10;
	while (magnitude >= bound) {
		digits += 1;
		bound *= 10;
	}
	return digits;
}

/** Plain sizes of item ids seen so far (the catalog's few): a pattern scan costs more than the rest of the count. */
const ITEM_ID_SIZES = new Map<string, number | false>();
const MAX_ITEM_IDS_KEPT = 256;

function itemIdSize(itemId: string): number | undefined {
	const known = ITEM_ID_SIZES.get(itemId);
	if (known !== undefined) return known === false ? undefined : known;
	const size = plainStringSize(itemId);
	if (ITEM_ID_SIZES.size() < MAX_ITEM_IDS_KEPT) ITEM_ID_SIZES.set(itemId, size ?? false);
	return size;
}

/** The JSON size of an id PlacementIds made: its characters, all plain, between quotes. */
const SERVER_ID_SIZE = PLACEMENT_ID_LENGTH + 2;

/**
 * Characters a stored placement adds to the profile's JSON (its encoding plus a separator),
 * counted by arithmetic; anything unusual (a fraction, an escaped character) is encoded instead.
 * `serverMadeId`: the id is one PlacementIds just made, so it is known plain and not scanned.
 */
export function encodedSize(placement: StoredPlacement, serverMadeId = false): number {
	const id = serverMadeId ? SERVER_ID_SIZE : plainStringSize(placement.id);
	const itemId = itemIdSize(placement.itemId);
	const x = plainIntegerSize(placement.x);
	const y = plainIntegerSize(placement.y);
	const z = plainIntegerSize(placement.z);
	const rotation = plainIntegerSize(placement.rotation);
	const placedAt = plainIntegerSize(placement.placedAt);
	if (
		id === undefined ||
		itemId === undefined ||
		x === undefined ||
		y === undefined ||
		z === undefined ||
		rotation === undefined ||
		placedAt === undefined
	) {
		return encodedSizeByJson(placement);
	}
	return FIXED_CHARACTERS + 1 + id + itemId + x + y + z + rotation + placedAt;
}

/** The same figure by encoding: the reference `encodedSize` is checked against. */
export function encodedSizeByJson(placement: StoredPlacement): number {
	return HttpService.JSONEncode(placement).size() + 1;
}

/** Whether a build of `currentSize` characters can take `addition` more and still be saved whole. */
export function fitsInProfile(currentSize: number, addition: number): boolean {
	return currentSize + addition <= DATASTORE_VALUE_LIMIT - PROFILE_OVERHEAD_RESERVE;
}
