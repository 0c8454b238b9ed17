const FNV_OFFSET_BASIS = 2166136261;
const TWO_POW_32 = 4294967296;

/**
 * FNV-1a (32 bit) over text fed in pieces, so a large payload can be hashed across frames.
 * The prime 16777619 is 2^24 + 403; multiplying in two parts keeps the product exact.
 */
export class Checksum {
	private hash = FNV_OFFSET_BASIS;

	update(text: string, first = 1, last = text.size()): this {
		let hash = this.hash;
		for (let index = first; index <= last; index++) {
			hash = bit32.bxor(hash, string.byte(text, index)[0]);
			hash = (bit32.lshift(hash, 24) + hash * 403) % TWO_POW_32;
		}
		this.hash = hash;
		return this;
	}

	digest(): string {
		return string.format("%08x", this.hash);
	}
}

export function checksumOf(text: string): string {
	return new Checksum().update(text).digest();
}
