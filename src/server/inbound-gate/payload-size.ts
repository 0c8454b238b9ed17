/** Bytes one value costs on the wire, roughly as Roblox encodes it; tables are walked. */
const FIXED_SIZES: Partial<Record<string, number>> = {
	nil: 1,
	boolean: 2,
	number: 9,
	Vector3: 13,
	Vector2: 9,
	CFrame: 49,
	Color3: 13,
	Instance: 9,
	EnumItem: 9,
};
const OTHER_SIZE = 9;

/** Returned when a payload nests deeper than allowed. */
export const TOO_DEEP = math.huge;

function sizeOf(value: unknown, limit: number, depthLeft: number): number {
	const kind = typeOf(value);
	if (kind === "string") return (value as string).size() + 3;
	if (kind === "buffer") return buffer.len(value as buffer) + 3;
	if (kind !== "table") return FIXED_SIZES[kind] ?? OTHER_SIZE;
	if (depthLeft <= 0) return TOO_DEEP;
	let total = 3;
	for (const [key, entry] of pairs(value as object)) {
		total += sizeOf(key, limit - total, depthLeft - 1);
		if (total > limit) return total;
		total += sizeOf(entry, limit - total, depthLeft - 1);
		if (total > limit) return total;
	}
	return total;
}

/**
 * The encoded size of a call's arguments, counted until it passes `limit` (then any figure
 * above `limit` is returned at once, so a huge payload costs no more than a small one), or
 * {@link TOO_DEEP} when tables nest deeper than `maxDepth`.
 */
export function payloadSize(args: readonly unknown[], count: number, limit: number, maxDepth: number): number {
	let total = 0;
	for (let index = 0; index < count; index++) {
		total += sizeOf(args[index], limit - total, maxDepth);
		if (total > limit) return total;
	}
	return total;
}
