/** A count with its noun, singular for exactly one: "1 player", "3 players", "0 objects". */
export function countText(count: number, singular: string, plural = `${singular}s`): string {
	return `${count} ${count === 1 ? singular : plural}`;
}
