/** Highest user id the server accepts (Roblox ids fit in 2^53). */
const MAX_USER_ID = 2 ** 53;

/** What the typed User id box says: nothing, a user id, or why it is not one. */
export type TypedUserId = { readonly kind: "empty" } | { readonly kind: "id"; readonly userId: number } | { readonly kind: "invalid"; readonly problem: string };

/** Reads the User id box (surrounding spaces ignored); the server checks the id again. */
export function parseUserId(text: string): TypedUserId {
	const trimmed = text.gsub("^%s+", "")[0].gsub("%s+$", "")[0];
	if (trimmed === "") return { kind: "empty" };
	if (trimmed.match("^%d+$")[0] === undefined) return { kind: "invalid", problem: "The user id must be digits only (a Roblox user id)." };
	const userId = tonumber(trimmed);
	if (userId === undefined || userId < 1 || userId > MAX_USER_ID) return { kind: "invalid", problem: "The user id must be between 1 and 2^53." };
	return { kind: "id", userId };
}
