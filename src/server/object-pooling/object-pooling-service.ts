import { OnTick, Service } from "@flamework/core";
import { ReplicatedStorage, ServerStorage } from "@rbxts/services";
import { MemoryAction, MemoryRelief } from "server/memory-manager/memory-relief";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { catalogItems } from "shared/catalog/catalog";
import { ServerModelsConfig, ServerPoolConfig } from "shared/config/streaming-config";
import { ModelPools } from "shared/object-pooling/model-pools";
import { AbandonedModel, PoolingReport } from "shared/object-pooling/pool-types";
import { PlacementTracker } from "server/placement-tracker/placement-tracker";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		objectPooling: ObjectPoolingService;
	}
}

/** Server models are not streamed: every model the server pools counts as chunk 0. */
const SERVER_CHUNK = 0;
/** Seconds between audits of the models out (is each still in the world, its placement still tracked?). */
const AUDIT_EVERY_SECONDS = 1;

/** The objectPooling section of the system report. */
export interface ServerPoolingReport extends PoolingReport {
	/** Whether the server makes models at all (off by default: clients stream placed objects). */
	readonly serverModelsEnabled: boolean;
	readonly prewarming: boolean;
	/** Idle models destroyed by memory relief and forceCleanup since the server started. */
	readonly destroyedForMemory: number;
	/**
	 * Leaks: models still out of their pool though destroyed, out of the world or their placement
	 * gone, for at least `ServerPoolConfig.leakAfterSeconds` (item, placement id, age).
	 */
	readonly abandoned: AbandonedModel[];
}

/**
 * ObjectPooling on the server: pools of catalog models for the one place the server makes models
 * (PlacedObjectService, when ServerModelsConfig.enabled). Prewarmed once server models are on,
 * shrunk a few models a frame, trimmed and force-cleaned under memory pressure. With server
 * models off (the default) it holds nothing and says so.
 */
@Service()
export class ObjectPoolingService implements CriticalSystem, MemoryRelief, OnTick {
	readonly systemName = "objectPooling";
	readonly reliefName = "objectPooling";
	readonly pools: ModelPools;
	private prewarming = true;
	private prewarmed = false;
	private destroyedForMemory = 0;
	private parkingFolder?: Folder;
	private templates?: Instance;
	private lastAudit = -math.huge;

	constructor(private readonly tracker: PlacementTracker) {
		this.pools = this.newPools();
	}

	onTick() {
		if (ServerModelsConfig.enabled && this.prewarming && !this.prewarmed) this.prewarm();
		this.pools.shrink(ServerPoolConfig.shrinkPerFrame);
		const now = os.clock();
		if (now - this.lastAudit >= AUDIT_EVERY_SECONDS) {
			this.lastAudit = now;
			this.audit();
		}
	}

	/**
	 * Looks for leaks: a model out of the pool is in use while it is in the world and, when it
	 * carries a PlacementId, that placement is still tracked. Runs once a second on its own.
	 */
	audit() {
		this.pools.audit((model) => {
			if (model.Parent === undefined) return false;
			const placementId = model.GetAttribute("PlacementId");
			return !typeIs(placementId, "string") || this.tracker.get(placementId) !== undefined;
		});
	}

	/** A model of `itemId`, from the pool; the caller positions and parents it. */
	acquire(itemId: string): Model {
		return this.pools.acquire(itemId, SERVER_CHUNK);
	}

	/** Returns a model to its pool (reset and parked); false if it did not come from it. */
	release(model: Model): boolean {
		return this.pools.release(model);
	}

	/** Destroys every idle model now (the spec's ForceCleanup). */
	forceCleanup(): number {
		const destroyed = this.pools.forceCleanup();
		this.destroyedForMemory += destroyed;
		return destroyed;
	}

	status(): SystemStatus {
		const report = this.pools.report();
		const abandoned = this.pools.abandoned();
		if (abandoned.size() > 0) {
			const first = abandoned[0];
			return {
				state: "DEGRADED",
				reason: `${abandoned.size()} model(s) leaked: out of the pool but no longer used (first: ${first.itemId}${first.placementId !== undefined ? ` of ${first.placementId}` : ""}, ${math.floor(first.ageSeconds)} s old)`,
			};
		}
		if (!ServerModelsConfig.enabled && report.totalSize === 0) {
			return { state: "OPERATIONAL", reason: "server models are off: clients stream placed objects, the server pools nothing" };
		}
		return {
			state: "OPERATIONAL",
			reason: `${report.totalInUse} models in use, ${report.totalIdle} idle (${report.hits} reused, ${report.misses} cloned)${this.prewarming ? "" : "; prewarming stopped for memory"}`,
		};
	}

	report(): ServerPoolingReport {
		return {
			...this.pools.report(),
			serverModelsEnabled: ServerModelsConfig.enabled,
			prewarming: this.prewarming,
			destroyedForMemory: this.destroyedForMemory,
			abandoned: this.pools.abandoned(),
		};
	}

	/** Idle models are dropped and the pools prewarmed again; models in use stay with their objects. */
	restart() {
		this.forceCleanup();
		this.prewarmed = false;
		if (ServerModelsConfig.enabled && this.prewarming) this.prewarm();
	}

	relieve(action: MemoryAction): string | undefined {
		const idleBefore = this.pools.report().totalIdle;
		const floor = ServerPoolConfig.idleFloorPerItem;
		let destroyed: number;
		if (action === "shrinkPools") {
			// Half of what is above the floor goes now; the rest by the usual idle-time policy.
			destroyed = this.pools.trim((idle) => (idle <= floor ? idle : floor + math.floor((idle - floor) / 2)));
		} else if (action === "poolsToFloor") {
			destroyed = this.pools.trim((idle) => math.min(idle, floor));
		} else if (action === "forceCleanup") {
			destroyed = this.pools.forceCleanup();
		} else if (action === "stopPrewarming") {
			const was = this.prewarming;
			this.prewarming = false;
			return was ? "prewarming stopped" : "prewarming already stopped";
		} else {
			return undefined;
		}
		this.destroyedForMemory += destroyed;
		return `${destroyed} idle model(s) destroyed, idle ${idleBefore} → ${idleBefore - destroyed}`;
	}

	restore(action: MemoryAction): string | undefined {
		if (action === "stopPrewarming") {
			this.prewarming = true;
			this.prewarmed = false;
			return "prewarming on again";
		}
		if (action === "shrinkPools" || action === "poolsToFloor") return "nothing to undo: pools grow again on demand";
		return undefined;
	}

	private prewarm() {
		this.prewarmed = true;
		for (const item of catalogItems()) this.pools.prewarm(item.id, ServerPoolConfig.prewarmPerItem);
	}

	private newPools(): ModelPools {
		return new ModelPools((itemId) => this.template(itemId), {
			// Parked far away in one folder, as on the client (measured cheaper than Parent = nil);
			// the folder is in ServerStorage, so parked models never replicate.
			parking: "cframe-far",
			parkingFolderOf: () => this.folder(),
			idleFloor: ServerPoolConfig.idleFloorPerItem,
			shrinkAfterSeconds: ServerPoolConfig.shrinkAfterSeconds,
			leakAfterSeconds: ServerPoolConfig.leakAfterSeconds,
			now: () => os.clock(),
		});
	}

	private folder(): Folder {
		if (this.parkingFolder === undefined || this.parkingFolder.Parent === undefined) {
			const folder = new Instance("Folder");
			folder.Name = "PooledServerModels";
			folder.Parent = ServerStorage;
			this.parkingFolder = folder;
		}
		return this.parkingFolder;
	}

	private template(itemId: string): Model {
		if (this.templates === undefined || this.templates.Parent === undefined) {
			this.templates = ReplicatedStorage.WaitForChild("TS").WaitForChild("catalog").WaitForChild("models");
		}
		const template = this.templates.FindFirstChild(itemId);
		assert(template !== undefined && template.IsA("Model"), `catalog item ${itemId} has no model`);
		return template;
	}
}
