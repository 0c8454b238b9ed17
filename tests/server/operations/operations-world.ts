import type { PlacementController } from "client/placement/placement-controller";
import type { SystemManager } from "server/system-manager/system-manager";
import { waitUntil } from "../../harness/world";

const ROOT = "ServerScriptService.TS";

/**
 * Replaces a method on a class in the server peer's own copy of a module (instances look
 * methods up through their class), returning a function that puts the original back.
 */
export function patchMethod(server: HeadlessServer, modulePath: string, exportName: string, method: string, replacement: Callback): () => void {
	const exported = server.requirePath(`${ROOT}.${modulePath}`) as Record<string, Record<string, unknown>>;
	const klass = exported[exportName];
	assert(klass !== undefined, `${modulePath} exports no ${exportName}`);
	const original = klass[method];
	klass[method] = replacement;
	return () => {
		klass[method] = original;
	};
}

/** Where each critical system's class lives, for fault injection. */
/** The backup store scope a server's preflight writes its scratch chunks to. */
export function preflightScope(server: HeadlessServer): string {
	return `preflight-${server.jobId}`.sub(1, 50);
}

export const SYSTEM_MODULES: Record<string, [string, string]> = {
	placementTracker: ["placement-tracker.placement-tracker-system", "PlacementTrackerSystem"],
	conflictResolver: ["conflict-resolver.conflict-resolver-system", "ConflictResolverSystem"],
	moderation: ["moderation.moderation-system", "ModerationSystem"],
	analytics: ["analytics.analytics-system", "AnalyticsSystem"],
	dataBackup: ["data-backup.data-backup-system", "DataBackupSystem"],
	memoryManager: ["memory-manager.memory-manager", "MemoryManager"],
	objectStreaming: ["object-streaming.object-streaming-system", "ObjectStreamingSystem"],
	objectPooling: ["object-pooling.object-pooling-service", "ObjectPoolingService"],
};

/** A builder that places one object per call on a grid of its plot, and what it got back. */
export class GridBuilder {
	private next = 0;
	readonly placed: string[] = [];
	readonly refused: string[] = [];

	constructor(private readonly controller: PlacementController) {}

	placeOne(itemId = "chair") {
		const index = this.next;
		this.next += 1;
		const result = this.controller.place(itemId, new Vector3(4 + (index % 14) * 4, 0, 4 + math.floor(index / 14) * 4), 0);
		if (result.success) this.placed.push(result.placementId);
		else this.refused.push(result.reason);
		return result;
	}
}

/** The state of one system as getSystemStatus() shows it. */
export function stateOf(manager: SystemManager, name: string): string {
	return manager.getSystemStatus().systems[name]?.state ?? "missing";
}

export function waitForState(manager: SystemManager, name: string, state: string, seconds = 30) {
	waitUntil(() => stateOf(manager, name) === state, seconds, `${name} to be ${state}`);
}
