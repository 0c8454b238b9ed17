import type { StreamingSettings } from "shared/config/streaming-config";

export interface StreamingReliefPolicy {
	readonly radiusFactorPerStep: number;
	readonly budgetFactorPerStep: number;
	readonly minStreamInRadius: number;
	readonly minHysteresis: number;
}

/**
 * The streaming settings `steps` steps of memory relief below `baseline`: radii and per-player
 * budgets scaled down, never below their floors, stream-out kept beyond stream-in. Step 0 is the
 * baseline itself. Engine-free.
 */
export function relievedSettings(baseline: StreamingSettings, steps: number, policy: StreamingReliefPolicy): Omit<StreamingSettings, "chunkSize"> {
	const radius = policy.radiusFactorPerStep ** math.max(steps, 0);
	const budget = policy.budgetFactorPerStep ** math.max(steps, 0);
	const streamInRadius = math.max(baseline.streamInRadius * radius, math.min(policy.minStreamInRadius, baseline.streamInRadius));
	const streamOutRadius = math.max(baseline.streamOutRadius * radius, streamInRadius + math.min(policy.minHysteresis, baseline.streamOutRadius - baseline.streamInRadius));
	return {
		streamInRadius,
		streamOutRadius,
		chunksPerPlayerPerFrame: math.max(1, math.floor(baseline.chunksPerPlayerPerFrame * budget)),
		bytesPerPlayerPerFrame: math.max(math.min(1024, baseline.bytesPerPlayerPerFrame), math.floor(baseline.bytesPerPlayerPerFrame * budget)),
		serverMillisecondsPerFrame: baseline.serverMillisecondsPerFrame,
	};
}
