/** Characters a piece of text takes once stored as a JSON string: quotes plus escaped `"` and `\`. */
export function storedSize(piece: string): number {
	const [, escapes] = piece.gsub('["\\]', "");
	return piece.size() + escapes + 2;
}

function isContinuationByte(text: string, index: number): boolean {
	const [byte] = string.byte(text, index);
	return byte !== undefined && byte >= 0x80 && byte < 0xc0;
}

/**
 * Splits `text` into pieces that each fit in `maxStored` characters as a DataStore value,
 * never inside a UTF-8 sequence. Joining the pieces gives `text` back.
 */
export function splitIntoChunks(text: string, maxStored: number): string[] {
	assert(maxStored > 8, "chunks must hold more than a few characters");
	const chunks: string[] = [];
	const size = text.size();
	let first = 1;
	while (first <= size) {
		let last = math.min(size, first + maxStored - 3);
		let excess = storedSize(text.sub(first, last)) - maxStored;
		while (excess > 0) {
			last -= excess;
			excess = storedSize(text.sub(first, last)) - maxStored;
		}
		while (last < size && last > first && isContinuationByte(text, last + 1)) last -= 1;
		chunks.push(text.sub(first, last));
		first = last + 1;
	}
	return chunks;
}
