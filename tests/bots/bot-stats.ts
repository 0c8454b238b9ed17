/** What one bot tried and what happened, for the play session's summary. */
export interface BotStats {
	readonly name: string;
	readonly kind: "builder" | "griefer";
	attempts: number;
	placed: number;
	removed: number;
	rejections: Record<string, number>;
}

export function newStats(name: string, kind: BotStats["kind"]): BotStats {
	return { name, kind, attempts: 0, placed: 0, removed: 0, rejections: {} };
}

export function countRejection(stats: BotStats, reason: string) {
	stats.rejections[reason] = (stats.rejections[reason] ?? 0) + 1;
}
