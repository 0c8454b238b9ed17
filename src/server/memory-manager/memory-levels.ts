import { MemoryThresholds } from "shared/config/memory-config";

export type MemoryLevel = "normal" | "warning" | "critical" | "emergency";

export const MEMORY_LEVELS: readonly MemoryLevel[] = ["normal", "warning", "critical", "emergency"];

export function levelRank(level: MemoryLevel): number {
	return MEMORY_LEVELS.indexOf(level);
}

function thresholdOf(level: MemoryLevel, thresholds: MemoryThresholds): number {
	return level === "normal" ? -math.huge : thresholds[level];
}

/** The level `mb` reaches on its own: the highest whose threshold it is at or above. */
export function rawLevel(mb: number, thresholds: MemoryThresholds): MemoryLevel {
	if (mb >= thresholds.emergency) return "emergency";
	if (mb >= thresholds.critical) return "critical";
	if (mb >= thresholds.warning) return "warning";
	return "normal";
}

/**
 * The next level with hysteresis: it rises as soon as memory reaches a threshold, and falls
 * from a level only once memory is `hysteresisMb` below that level's threshold, so figures
 * hovering around a threshold do not flap.
 */
export function nextLevel(current: MemoryLevel, mb: number, thresholds: MemoryThresholds, hysteresisMb: number): MemoryLevel {
	const raw = rawLevel(mb, thresholds);
	if (levelRank(raw) >= levelRank(current)) return raw;
	let level = current;
	while (level !== "normal" && mb < thresholdOf(level, thresholds) - hysteresisMb) {
		level = MEMORY_LEVELS[levelRank(level) - 1];
	}
	return level;
}

/** MB per minute over timed samples (least squares); 0 with fewer than two. */
export function trendPerMinute(samples: readonly { readonly at: number; readonly mb: number }[]): number {
	const count = samples.size();
	if (count < 2) return 0;
	let sumT = 0;
	let sumM = 0;
	for (const sample of samples) {
		sumT += sample.at;
		sumM += sample.mb;
	}
	const meanT = sumT / count;
	const meanM = sumM / count;
	let numerator = 0;
	let denominator = 0;
	for (const sample of samples) {
		numerator += (sample.at - meanT) * (sample.mb - meanM);
		denominator += (sample.at - meanT) * (sample.at - meanT);
	}
	return denominator > 0 ? (numerator / denominator) * 60 : 0;
}
