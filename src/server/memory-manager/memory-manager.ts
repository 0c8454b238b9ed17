import { Modding, OnStart, Service } from "@flamework/core";
import Signal from "@rbxts/signal";
import { Players, Stats } from "@rbxts/services";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { SystemRegistry } from "server/system-manager/system-registry";
import { MemoryConfig, MemoryPresets, MemoryThresholds } from "shared/config/memory-config";
import { MEMORY_LEVELS, MemoryLevel, levelRank, nextLevel, rawLevel, trendPerMinute } from "./memory-levels";
import { ACTIONS_BY_LEVEL, MemoryAction, MemoryRelief, ReliefSource } from "./memory-relief";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		memoryManager: MemoryManager;
	}
}

/** One action of the ladder as the report lists it. */
export interface MemoryActionRecord {
	/** Unix seconds. */
	readonly at: number;
	readonly level: MemoryLevel;
	readonly action: MemoryAction;
	/** "apply" going up the ladder, "undo" coming back down. */
	readonly direction: "apply" | "undo";
	/** Who asked: the ladder ("memoryLevel"), emergency mode or a one-off cleanup. */
	readonly source: ReliefSource;
	/** The system that acted, or "none" when no system offers the action. */
	readonly by: string;
	readonly detail: string;
	readonly beforeMb: number;
	readonly afterMb: number;
}

/** `generateMemoryReport()` in the spec's shape. */
export interface MemoryReport {
	readonly currentMemory: number;
	readonly peakMemory: number;
	readonly level: MemoryLevel;
	readonly preset: "small" | "large" | "custom";
	readonly thresholds: MemoryThresholds;
	/** MB per Enum.DeveloperMemoryTag with a non-zero figure. */
	readonly byTag: Record<string, number>;
	/** MB per minute over the recent samples. */
	readonly trend: number;
	readonly samples: number;
	readonly actionsTaken: readonly MemoryActionRecord[];
}

/** What `emergencyCleanup()` did. */
export interface CleanupReport {
	readonly beforeMb: number;
	readonly afterMb: number;
	readonly actions: readonly MemoryActionRecord[];
}

function round(mb: number): number {
	return math.floor(mb * 10 + 0.5) / 10;
}

/**
 * Watches the server's memory through Stats on a schedule: current, peak, trend and a level
 * with hysteresis against the spec's thresholds, with graded actions up the ladder (through
 * every {@link MemoryRelief}) and undone step by step on the way down.
 */
@Service()
export class MemoryManager implements CriticalSystem, OnStart {
	readonly systemName = "memoryManager";
	/** Fires when the level changes, after its actions ran. */
	readonly levelChanged = new Signal<(level: MemoryLevel, previous: MemoryLevel, currentMb: number) => void>();

	private thresholds: MemoryThresholds = MemoryPresets.small;
	private presetName: MemoryReport["preset"] = "small";
	private level: MemoryLevel = "normal";
	private currentMb = 0;
	private peakMb = 0;
	private readonly samples: { at: number; mb: number }[] = [];
	private readonly actions: MemoryActionRecord[] = [];
	private readonly reliefs: MemoryRelief[] = [];
	private generation = 0;
	private sampling = false;

	constructor(private readonly registry: SystemRegistry) {
		Modding.onListenerAdded<MemoryRelief>((relief) => this.reliefs.push(relief));
	}

	onStart() {
		const preset = MemoryConfig.preset === "auto" ? (Players.MaxPlayers >= MemoryConfig.largeServerPlayers ? "large" : "small") : MemoryConfig.preset;
		this.usePreset(preset);
		this.startSampling();
	}

	/** Uses one of the spec's presets. */
	usePreset(preset: "small" | "large") {
		this.thresholds = { ...MemoryPresets[preset] };
		this.presetName = preset;
	}

	/** Uses custom thresholds (MB, warning < critical < emergency). */
	configure(thresholds: MemoryThresholds) {
		assert(thresholds.warning < thresholds.critical && thresholds.critical < thresholds.emergency, "memory thresholds must rise");
		this.thresholds = { ...thresholds };
		this.presetName = "custom";
	}

	/** MB at the latest sample. */
	currentMemory(): number {
		return round(this.currentMb);
	}

	currentLevel(): MemoryLevel {
		return this.level;
	}

	/** Reads Stats now, updates the figures and the level, and runs the ladder's actions. */
	sample(): number {
		const mb = Stats.GetTotalMemoryUsageMb();
		this.currentMb = mb;
		this.peakMb = math.max(this.peakMb, mb);
		this.samples.push({ at: time(), mb });
		if (this.samples.size() > MemoryConfig.trendSamples) this.samples.remove(0);
		const target = nextLevel(this.level, mb, this.thresholds, MemoryConfig.hysteresisMb);
		if (target !== this.level) this.moveTo(target);
		return mb;
	}

	/** The spec's EmergencyCleanup: pools force-cleaned and caches dropped, with before/after figures. */
	emergencyCleanup(): CleanupReport {
		const beforeMb = Stats.GetTotalMemoryUsageMb();
		const taken: MemoryActionRecord[] = [];
		for (const action of ACTIONS_BY_LEVEL.emergency) for (const record of this.act("emergency", action, "apply", "cleanup")) taken.push(record);
		const afterMb = Stats.GetTotalMemoryUsageMb();
		print(`🧹 Emergency cleanup: ${round(beforeMb)} → ${round(afterMb)} MB (${taken.size()} action(s))`);
		return { beforeMb, afterMb, actions: taken };
	}

	/**
	 * Runs one step of the ladder outside the level changes, held for `source` until that source
	 * undoes it (emergency mode turns radii down this way).
	 */
	runAction(action: MemoryAction, direction: "apply" | "undo", source: ReliefSource): MemoryActionRecord[] {
		return this.act(this.level, action, direction, source);
	}

	generateMemoryReport(): MemoryReport {
		const byTag: Record<string, number> = {};
		for (const tag of Enum.DeveloperMemoryTag.GetEnumItems()) {
			const mb = Stats.GetMemoryUsageMbForTag(tag);
			if (mb > 0) byTag[tag.Name] = round(mb);
		}
		const recent: MemoryActionRecord[] = [];
		for (let index = math.max(0, this.actions.size() - MemoryConfig.actionHistory); index < this.actions.size(); index++) recent.push(this.actions[index]);
		return {
			currentMemory: round(this.currentMb),
			peakMemory: round(this.peakMb),
			level: this.level,
			preset: this.presetName,
			thresholds: { ...this.thresholds },
			byTag,
			trend: round(trendPerMinute(this.samples)),
			samples: this.samples.size(),
			actionsTaken: recent,
		};
	}

	status(): SystemStatus {
		const figures = `${round(this.currentMb)} MB (${this.level}; warning ${this.thresholds.warning}, critical ${this.thresholds.critical}, emergency ${this.thresholds.emergency})`;
		if (!this.sampling) return { state: "DEGRADED", reason: `not sampling memory; last ${figures}` };
		if (levelRank(this.level) >= levelRank("critical")) return { state: "DEGRADED", reason: `memory at ${figures}` };
		return { state: "OPERATIONAL", reason: figures };
	}

	report(): MemoryReport {
		return this.generateMemoryReport();
	}

	/** Samples afresh and restarts the schedule; peak, samples, level and the action log are kept. */
	restart() {
		this.startSampling();
	}

	private startSampling() {
		this.generation += 1;
		const generation = this.generation;
		this.sampling = true;
		this.registry.guard(this.systemName, "sample", () => this.sample());
		task.spawn(() => {
			while (generation === this.generation) {
				task.wait(MemoryConfig.sampleSeconds);
				if (generation !== this.generation) break;
				this.registry.guard(this.systemName, "sample", () => this.sample());
			}
		});
	}

	/** Walks the ladder one level at a time, applying going up and undoing going down. */
	private moveTo(target: MemoryLevel) {
		const previous = this.level;
		while (this.level !== target) {
			if (levelRank(target) > levelRank(this.level)) {
				const up = MEMORY_LEVELS[levelRank(this.level) + 1] as "warning" | "critical" | "emergency";
				this.level = up;
				print(`🧠 Memory ${up.upper()}: ${round(this.currentMb)} MB ≥ ${this.thresholds[up]} MB`);
				for (const action of ACTIONS_BY_LEVEL[up]) this.act(up, action, "apply", "memoryLevel");
			} else {
				const leaving = this.level as "warning" | "critical" | "emergency";
				const actions = ACTIONS_BY_LEVEL[leaving];
				for (let index = actions.size() - 1; index >= 0; index--) this.act(leaving, actions[index], "undo", "memoryLevel");
				this.level = MEMORY_LEVELS[levelRank(leaving) - 1];
				print(`🧠 Memory back to ${this.level}: ${round(this.currentMb)} MB`);
			}
		}
		this.levelChanged.Fire(this.level, previous, this.currentMb);
	}

	private act(level: MemoryLevel, action: MemoryAction, direction: "apply" | "undo", source: ReliefSource): MemoryActionRecord[] {
		const records: MemoryActionRecord[] = [];
		const handled: { by: string; detail: string }[] = [];
		const beforeMb = Stats.GetTotalMemoryUsageMb();
		for (const relief of this.reliefs) {
			const result = this.registry.guard(this.systemName, `${direction} ${action} by ${relief.reliefName}`, () =>
				direction === "apply" ? relief.relieve(action, source) : relief.restore(action, source),
			);
			if (result.ok && result.value !== undefined) handled.push({ by: relief.reliefName, detail: result.value });
		}
		if (handled.size() === 0) handled.push({ by: "none", detail: "no system offers this action" });
		const afterMb = Stats.GetTotalMemoryUsageMb();
		for (const { by, detail } of handled) {
			const record: MemoryActionRecord = { at: os.time(), level, action, direction, source, by, detail, beforeMb: round(beforeMb), afterMb: round(afterMb) };
			this.actions.push(record);
			if (this.actions.size() > MemoryConfig.actionHistory * 2) this.actions.remove(0);
			records.push(record);
			print(`🧠 ${direction === "apply" ? "" : "undo "}${action} (${level}) by ${by}: ${detail}; ${record.beforeMb} → ${record.afterMb} MB`);
		}
		return records;
	}
}

export { rawLevel };
