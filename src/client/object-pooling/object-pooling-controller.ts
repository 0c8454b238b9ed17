import { Controller, OnStart, OnTick } from "@flamework/core";
import { ReplicatedStorage, Workspace } from "@rbxts/services";
import { catalogItems } from "shared/catalog/catalog";
import { PoolConfig } from "shared/config/streaming-config";
import { ModelPools } from "shared/object-pooling/model-pools";
import { Parking, PoolingReport } from "shared/object-pooling/pool-types";

/**
 * Idle models are parked far away under one folder (PartCache's way), not unparented: measured in
 * the headless engine (`npm run bench -- object-streaming`), acquire+release with CFrame parking
 * is about 3x cheaper than with Parent = nil, because a reparent runs the ancestry and descendant
 * machinery twice per reuse while CFrame is one property write per part. On Roblox, CFrame is
 * likewise the fast property and reparenting the slow one.
 */
export const POOL_PARKING: Parking = "cframe-far";

/** ObjectPooling on the client: one pool per catalog item, prewarmed, shrunk a few models a frame. */
@Controller()
export class ObjectPoolingController implements OnStart, OnTick {
	readonly pools: ModelPools;
	private templates?: Instance;
	private parkingFolder?: Folder;

	constructor() {
		this.pools = new ModelPools((itemId) => this.template(itemId), {
			parking: POOL_PARKING,
			parkingFolder: undefined,
			parkingFolderOf: () => this.parkingFolder,
			idleFloor: PoolConfig.idleFloorPerItem,
			shrinkAfterSeconds: PoolConfig.shrinkAfterSeconds,
			leakAfterSeconds: PoolConfig.leakAfterSeconds,
			now: () => os.clock(),
		});
	}

	onStart() {
		const folder = new Instance("Folder");
		folder.Name = "PooledModels";
		folder.Parent = Workspace;
		this.parkingFolder = folder;
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

