import { Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { MemoryAction, MemoryRelief, ReliefSource } from "server/memory-manager/memory-relief";
import { ReliefHolds } from "server/memory-manager/relief-holds";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { StreamingHealthConfig, StreamingReliefConfig, StreamingSettings } from "shared/config/streaming-config";
import { relievedSettings } from "shared/streaming/streaming-relief";
import { ObjectStreamingService } from "./object-streaming-service";
import { StreamingRebuild, StreamingStatus, ViewerReport } from "./streaming-types";
import { countText } from "shared/text/count-text";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		objectStreaming: ObjectStreamingSystem;
	}
}

/** Players listed one by one in the report; the rest are only counted. */
const VIEWERS_IN_REPORT = 10;

/** The objectStreaming section of the system report (JSON-safe, bounded). */
export interface ObjectStreamingReport extends StreamingStatus {
	/** Share of the last 600 frames in which the server-wide budget ran out. */
	readonly overBudgetShare: number;
	/** Memory relief steps in force (0: the radii and budgets as configured). */
	readonly reliefSteps: number;
	/** Who holds relief (one step each, up to `StreamingReliefConfig.maxSteps`), first holder first. */
	readonly reliefHeldBy: readonly ReliefSource[];
	/** The settings as configured (relief applies on top of them), while any step is in force. */
	readonly baselineSettings?: StreamingSettings;
	readonly lastRebuild?: StreamingRebuild;
	/** The first players' figures (at most 10). */
	readonly viewers: ViewerReport[];
}

/**
 * ObjectStreaming as a critical system: its health from its own figures, a restart that rebuilds
 * the chunk directory from the tracker and resends every player's chunks, and memory relief that
 * turns radii and per-player budgets down a step per source holding it (critical memory, emergency
 * mode) and back up as each source gives its own step back.
 */
@Service()
export class ObjectStreamingSystem implements CriticalSystem, MemoryRelief {
	readonly systemName = "objectStreaming";
	readonly reliefName = "objectStreaming";
	readonly isolates: readonly object[];
	private readonly holds = new ReliefHolds();
	private reliefSteps = 0;

	constructor(readonly streaming: ObjectStreamingService) {
		this.isolates = [streaming];
	}

	status(): SystemStatus {
		const status = this.streaming.status();
		const { share, frames } = this.streaming.overBudgetShare();
		const relief = this.reliefSteps > 0 ? `; radii reduced ${this.reliefSteps} step(s) for ${this.holds.list().join(", ")}` : "";
		if (status.errors > 0) {
			return { state: "DEGRADED", reason: `${status.errors} change(s) streaming failed to follow since its last rebuild; a restart rebuilds it${relief}` };
		}
		if (frames >= StreamingHealthConfig.minFrames && share > StreamingHealthConfig.overBudgetShare) {
			const percent = math.floor(share * 100 + 0.5);
			return { state: "DEGRADED", reason: `over its frame budget in ${percent}% of the last ${frames} frames; players wait for chunks${relief}` };
		}
		return { state: "OPERATIONAL", reason: `${countText(status.objects, "object")} in ${countText(status.chunks, "chunk")} streamed to ${countText(status.players, "player")}${relief}` };
	}

	report(): ObjectStreamingReport {
		const viewers: ViewerReport[] = [];
		for (const player of Players.GetPlayers()) {
			if (viewers.size() >= VIEWERS_IN_REPORT) break;
			const viewer = this.streaming.viewerReport(player);
			if (viewer !== undefined) viewers.push(viewer);
		}
		return {
			...this.streaming.status(),
			overBudgetShare: this.streaming.overBudgetShare().share,
			reliefSteps: this.reliefSteps,
			reliefHeldBy: this.holds.list(),
			baselineSettings: this.reliefSteps > 0 ? { ...this.streaming.configuredSettings() } : undefined,
			lastRebuild: this.streaming.lastRebuildReport(),
			viewers,
		};
	}

	/** Rebuilds the chunk directory from the tracker and resends each player's chunks. */
	restart() {
		this.streaming.rebuild();
	}

	relieve(action: MemoryAction, source: ReliefSource): string | undefined {
		if (action !== "reduceStreamingRadius") return undefined;
		if (!this.holds.hold(source)) return `${source} already holds a step; radii kept`;
		return this.followHolds();
	}

	restore(action: MemoryAction, source: ReliefSource): string | undefined {
		if (action !== "reduceStreamingRadius") return undefined;
		if (!this.holds.release(source)) return `${source} holds no step; radii kept`;
		return this.followHolds();
	}

	/** Memory relief steps in force. */
	steps(): number {
		return this.reliefSteps;
	}

	/** One step per holder, at most `maxSteps`: a holder past the cap still holds until it gives its step back. */
	private followHolds(): string {
		const steps = math.min(this.holds.count(), StreamingReliefConfig.maxSteps);
		if (steps === this.reliefSteps) return `step ${steps} kept (at most ${StreamingReliefConfig.maxSteps}; held by ${this.holds.list().join(", ")})`;
		return this.toStep(steps);
	}

	/**
	 * Relief `steps` steps down from the settings as configured: a configure() while relief is
	 * in force changes what relief scales, and undoing every step gives back what was configured.
	 */
	private toStep(steps: number): string {
		const before = { ...this.streaming.currentSettings() };
		const result = this.streaming.setRelief(steps === 0 ? undefined : (configured) => relievedSettings(configured, steps, StreamingReliefConfig));
		assert(result.success, `relieved streaming settings refused: ${result.message}`);
		const target = this.streaming.currentSettings();
		this.reliefSteps = steps;
		const radii = (settings: Omit<StreamingSettings, "chunkSize">) =>
			`${math.floor(settings.streamInRadius)}/${math.floor(settings.streamOutRadius)} studs, ${settings.chunksPerPlayerPerFrame} chunks/${settings.bytesPerPlayerPerFrame} B per player-frame`;
		return `step ${steps}: radii ${radii(before)} → ${radii(target)}`;
	}
}
