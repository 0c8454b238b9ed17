import { Components } from "@flamework/components";
import { Controller, OnStart } from "@flamework/core";
import { Players, Workspace } from "@rbxts/services";
import { ObjectPoolingController } from "client/object-pooling/object-pooling-controller";
import { Events } from "client/network";
import { readBatch, StreamedObject } from "shared/streaming/chunk-codec";
import { chunkX, chunkZ } from "shared/streaming/chunk-grid";
import { ChunkView } from "shared/streaming/chunk-view";
import { PlacedObjectComponent } from "./placed-object-component";

/** The client's streaming figures. */
export interface ClientStreamingReport {
	readonly chunksHeld: number;
	readonly objectsHeld: number;
	readonly batchesReceived: number;
	readonly bytesReceived: number;
	readonly outOfStep: number;
	readonly inconsistencies: number;
}

/**
 * ObjectStreaming on the client: applies the server's batches to its chunk view and renders
 * each streamed object as a PlacedObjectComponent on a pooled model, under Workspace.StreamedObjects.
 */
@Controller()
export class ObjectStreamingController implements OnStart {
	readonly view: ChunkView;
	private readonly components = new Map<number, Model>();
	private folder?: Folder;
	/** The first chunks loaded, in order (the own plot should come first). */
	readonly firstChunksLoaded: number[] = [];
	private batchesReceived = 0;
	private bytesReceived = 0;

	constructor(
		private readonly pools: ObjectPoolingController,
		private readonly componentRegistry: Components,
	) {
		this.view = new ChunkView({
			added: (key, object) => this.render(key, object),
			removed: (_, object) => this.hide(object),
			chunkLoaded: (key) => {
				if (this.firstChunksLoaded.size() < 64) this.firstChunksLoaded.push(key);
				this.pools.pools.chunkStreamedIn(key);
			},
			chunkUnloaded: (key) => this.pools.pools.chunkStreamedOut(key),
			outOfStep: (key) => Events.streamResync.fire(chunkX(key), chunkZ(key)),
		});
	}

	onStart() {
		const folder = new Instance("Folder");
		folder.Name = "StreamedObjects";
		folder.Parent = Workspace;
		this.folder = folder;
		const userId = Players.LocalPlayer.UserId;
		Events.streamBatch.connect((payload) => {
			this.batchesReceived += 1;
			this.bytesReceived += buffer.len(payload);
			readBatch(payload, userId, this.view);
		});
	}

	/** Objects held, by handle, with the chunk each is in (for checks against the server). */
	heldObjects(): Map<number, StreamedObject> {
		const result = new Map<number, StreamedObject>();
		for (const [key] of this.view.heldChunks()) {
			for (const [handle, object] of this.view.objectsIn(key)!) result.set(handle, object);
		}
		return result;
	}

	/** The model rendering a streamed object, while it is streamed in. */
	modelOf(handle: number): Model | undefined {
		return this.components.get(handle);
	}

	renderedCount(): number {
		return this.components.size();
	}

	report(): ClientStreamingReport {
		return {
			chunksHeld: this.view.heldChunks().size(),
			objectsHeld: this.view.size(),
			batchesReceived: this.batchesReceived,
			bytesReceived: this.bytesReceived,
			outOfStep: this.view.outOfStepCount,
			inconsistencies: this.view.inconsistencies,
		};
	}

	private render(key: number, object: StreamedObject) {
		const model = this.pools.acquire(object.itemId, key);
		const component = this.componentRegistry.addComponent<PlacedObjectComponent>(model);
		component.show(object, this.folder!);
		this.components.set(object.handle, model);
	}

	private hide(object: StreamedObject) {
		const model = this.components.get(object.handle);
		if (model === undefined) return;
		this.components.delete(object.handle);
		// The component gives the model back to its pool.
		this.componentRegistry.removeComponent<PlacedObjectComponent>(model);
	}
}
