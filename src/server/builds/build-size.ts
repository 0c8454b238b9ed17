import { HttpService } from "@rbxts/services";
import { StoredPlacement } from "server/player-data/player-data";

/** A DataStore value holds at most this many characters of JSON. */
export const DATASTORE_VALUE_LIMIT = 4_194_304;
/** Room kept for the rest of the profile and ProfileStore's own metadata. */
export const PROFILE_OVERHEAD_RESERVE = 65_536;

/** Characters a stored placement adds to the profile's JSON (its encoding plus a separator). */
export function encodedSize(placement: StoredPlacement): number {
	return HttpService.JSONEncode(placement).size() + 1;
}

/** Whether a build of `currentSize` characters can take `addition` more and still be saved whole. */
export function fitsInProfile(currentSize: number, addition: number): boolean {
	return currentSize + addition <= DATASTORE_VALUE_LIMIT - PROFILE_OVERHEAD_RESERVE;
}
