/** Longest UTF-8 encoding of one character, in bytes. */
const LONGEST_CHARACTER = 4;

/**
 * `text` with every byte that begins no valid UTF-8 character replaced by "?": DataStores and
 * MessagingService take valid UTF-8 only, and a client can send any bytes.
 */
export function validUtf8(text: string): string {
	let invalidAt = utf8.len(text)[1];
	if (invalidAt === undefined) return text;
	const parts: string[] = [];
	let from = 1;
	while (invalidAt !== undefined) {
		parts.push(text.sub(from, invalidAt - 1), "?");
		from = invalidAt + 1;
		invalidAt = utf8.len(text, from)[1];
	}
	parts.push(text.sub(from));
	return parts.join("");
}

/**
 * `text` cut to at most `limit` bytes without splitting a character: the cut falls before the
 * character holding byte `limit + 1`. Text that is not valid UTF-8 is cut at `limit` bytes.
 */
export function cutBetweenCharacters(text: string, limit: number): string {
	if (text.size() <= limit) return text;
	const start = utf8.offset(text, 0, limit + 1);
	if (start === undefined || start <= limit + 1 - LONGEST_CHARACTER) return text.sub(1, limit);
	return text.sub(1, start - 1);
}

/** `text` as valid UTF-8 of at most `limit` bytes, cut between characters: what a DataStore value can hold. */
export function storableText(text: string, limit: number): string {
	// Cut first: the walk for invalid bytes then reads at most `limit` of them.
	return validUtf8(cutBetweenCharacters(text, limit));
}
