import { BaseComponent, Component, ComponentStreamingMode } from "@flamework/components";
import { ObjectPoolingController } from "client/object-pooling/object-pooling-controller";
import { findItem } from "shared/catalog/catalog";
import { StreamedObject } from "shared/streaming/chunk-codec";

/** Tag carried by every placed object's model on the client. */
export const PLACED_OBJECT_TAG = "PlacedObject";
const HIGHLIGHT_NAME = "HoverHighlight";

/**
 * A placed object on the client: owns its pooled model while the object is streamed in
 * (attributes, tag, where it stands, a hover highlight) and gives the model back to its pool
 * when removed (the object removed or its chunk streamed out).
 */
@Component({ streamingMode: ComponentStreamingMode.Disabled })
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the component reads no attributes
export class PlacedObjectComponent extends BaseComponent<{}, Model> {
	object?: StreamedObject;

	constructor(private readonly pools: ObjectPoolingController) {
		super();
	}

	/** Puts the model in the world as `object`. */
	show(object: StreamedObject, parent: Instance) {
		this.object = object;
		const model = this.instance;
		model.Name = object.placementId ?? `object${object.handle}`;
		model.SetAttribute("Handle", object.handle);
		model.SetAttribute("OwnerId", object.ownerId);
		model.SetAttribute("ItemId", object.itemId);
		if (object.placementId !== undefined) model.SetAttribute("PlacementId", object.placementId);
		model.AddTag(PLACED_OBJECT_TAG);
		const height = findItem(object.itemId)?.footprint.Y ?? 0;
		const pivot = new CFrame(object.x, object.y + height / 2, object.z).mul(CFrame.Angles(0, math.rad(object.rotation), 0));
		for (const part of model.GetDescendants()) {
			if (part.IsA("BasePart")) part.CFrame = pivot;
		}
		model.Parent = parent;
	}

	/**
	 * Shows or hides a highlight on the model (hovering it). The highlight is the model's child,
	 * so the pool's reset removes it with the rest of the object's state on release.
	 */
	setHighlighted(on: boolean) {
		const existing = this.instance.FindFirstChild(HIGHLIGHT_NAME);
		if (on && existing === undefined) {
			const highlight = new Instance("Highlight");
			highlight.Name = HIGHLIGHT_NAME;
			highlight.Parent = this.instance;
		} else if (!on && existing !== undefined) {
			existing.Destroy();
		}
	}

	override destroy() {
		super.destroy();
		this.pools.release(this.instance);
	}
}
