/** Characters of every id PlacementIds makes (upper-case hex digits and dashes only). */
export const PLACEMENT_ID_LENGTH = 36;

/**
 * New placement ids, GUID-shaped (`XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, upper-case hex) as
 * binary rows and backups store them: the first 20 digits are one random GUID's, drawn once per
 * server, and the last 12 count the server's placements. One string.format per id instead of a
 * GenerateGUID call; ids from different servers differ in their random part (about 74 random
 * bits, as a GUID's version and variant digits are fixed).
 */
export class PlacementIds {
	private readonly prefix: string;
	private counter = 0;

	/** `seed` is a GUID as HttpService:GenerateGUID(false) makes them. */
	constructor(seed: string) {
		assert(seed.size() === 36 && seed.sub(24, 24) === "-", "the seed must be a GUID");
		this.prefix = seed.sub(1, 24).upper();
	}

	next(): string {
		this.counter += 1;
		return string.format("%s%012X", this.prefix, this.counter);
	}
}
