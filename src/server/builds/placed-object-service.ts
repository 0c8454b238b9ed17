import { Service } from "@flamework/core";
import { ObjectPoolingService } from "server/object-pooling/object-pooling-service";
import { Plot } from "server/plots/plot-service";
import { CatalogItem } from "shared/catalog/catalog";
import { ServerModelsConfig } from "shared/config/streaming-config";
import { PlacementSnapshot } from "shared/placement/placement-types";

/** Tag carried by every placed object's model in Workspace. */
export const PLACED_OBJECT_TAG = "PlacedObject";

/** Puts placed objects into the world under their plot, and takes them out again. */
@Service()
export class PlacedObjectService {
	private readonly models = new Map<string, Model>();

	constructor(private readonly pooling: ObjectPoolingService) {}

	/** Without server models (the default) nothing is made: clients stream placed objects as data. */
	spawn(plot: Plot, item: CatalogItem, placement: PlacementSnapshot): Model | undefined {
		if (!ServerModelsConfig.enabled) return undefined;
		const model = this.pooling.acquire(item.id);
		model.Name = placement.id;
		model.SetAttribute("PlacementId", placement.id);
		model.SetAttribute("OwnerId", placement.ownerId);
		model.SetAttribute("ItemId", placement.itemId);
		model.AddTag(PLACED_OBJECT_TAG);
		const base = plot.origin.add(placement.position);
		const pivot = new CFrame(base.add(new Vector3(0, item.footprint.Y / 2, 0))).mul(
			CFrame.Angles(0, math.rad(placement.rotation), 0),
		);
		for (const part of model.GetDescendants()) {
			if (part.IsA("BasePart")) part.CFrame = pivot;
		}
		model.Parent = plot.objects;
		this.models.set(placement.id, model);
		return model;
	}

	despawn(placementId: string) {
		const model = this.models.get(placementId);
		if (model === undefined) return;
		this.models.delete(placementId);
		// Back to its pool (attributes, tag and name reset); a model that is not the pool's is destroyed.
		if (!this.pooling.release(model)) model.Destroy();
	}

	modelOf(placementId: string): Model | undefined {
		return this.models.get(placementId);
	}
}
