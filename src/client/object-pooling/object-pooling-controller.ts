import { Controller, OnStart, OnTick } from "@flamework/core";
import { ReplicatedStorage } from "@rbxts/services";
import { catalogItems } from "shared/catalog/catalog";
import { PoolConfig } from "shared/config/streaming-config";
import { ModelPools } from "shared/object-pooling/model-pools";
import { Parking, PoolingReport } from "shared/object-pooling/pool-types";

/**
 * Parking idle models unparented: measured in the headless engine (`npm run bench -- pool`),
 * Parent = nil costs less per release/acquire than moving every part far away, and on Roblox an
 * unparented model also leaves the render and physics worlds, where parked parts stay in them.
 */
export const POOL_PARKING: Parking = "parent-nil";

/** ObjectPooling on the client: one pool per catalog item, prewarmed, shrunk a few models a frame. */
@Controller()
export class ObjectPoolingController implements OnStart, OnTick {
	readonly pools: ModelPools;
	private templates?: Instance;

	constructor() {
		this.pools = new ModelPools((itemId) => this.template(itemId), {
			parking: POOL_PARKING,
			parkingFolder: undefined,
			idleFloor: PoolConfig.idleFloorPerItem,
			shrinkAfterSeconds: PoolConfig.shrinkAfterSeconds,
			leakAfterSeconds: PoolConfig.leakAfterSeconds,
			now: () => os.clock(),
		});
	}

	onStart() {
		for (const item of catalogItems()) this.pools.prewarm(item.id, PoolConfig.prewarmPerItem);
	}

	onTick() {
		this.pools.shrink(PoolConfig.shrinkPerFrame);
	}

	acquire(itemId: string, chunkKey: number): Model {
		return this.pools.acquire(itemId, chunkKey);
	}

	release(model: Model): boolean {
		return this.pools.release(model);
	}

	/** Destroys every idle model now. */
	forceCleanup(): number {
		return this.pools.forceCleanup();
	}

	report(): PoolingReport {
		return this.pools.report();
	}

	private template(itemId: string): Model {
		if (this.templates === undefined) {
			this.templates = ReplicatedStorage.WaitForChild("TS").WaitForChild("catalog").WaitForChild("models");
		}
		const template = this.templates.FindFirstChild(itemId);
		assert(template !== undefined && template.IsA("Model"), `catalog item ${itemId} has no model`);
		return template;
	}
}

