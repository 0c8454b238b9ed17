import { Controller, OnStart } from "@flamework/core";
import { Players } from "@rbxts/services";
import Signal from "@rbxts/signal";
import { Events, Functions } from "client/network";
import { PlacementSnapshot, PlaceResult, Rejection, RemoveResult, SaveState } from "shared/placement/placement-types";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";

function rejection(reason: RejectionReason): Rejection {
	return { success: false, reason, message: rejectionMessage(reason) };
}

/**
 * The client side of building: asks the server to place and remove objects, and keeps a view
 * of the local player's objects in sync with the server's events. UIs bind to its signals.
 */
@Controller()
export class PlacementController implements OnStart {
	/** One of the local player's objects appeared (placed now, or loaded with their build). */
	readonly objectAdded = new Signal<(placement: PlacementSnapshot) => void>();
	/** One of the local player's objects was removed. */
	readonly objectRemoved = new Signal<(placementId: string) => void>();
	/** The server refused a request. */
	readonly rejected = new Signal<(rejection: Rejection) => void>();
	/** The local player's build finished loading. */
	readonly buildLoaded = new Signal<(placements: ReadonlyMap<string, PlacementSnapshot>) => void>();
	/** The server's answers went from durable to pending ("saving delayed") or back. */
	readonly saveStateChanged = new Signal<(state: SaveState) => void>();

	private readonly own = new Map<string, PlacementSnapshot>();
	private saveState: SaveState = "durable";

	onStart() {
		const userId = Players.LocalPlayer.UserId;
		Events.buildLoaded.connect((placements) => {
			for (const placement of placements) this.add(placement);
			this.buildLoaded.Fire(this.own);
		});
		Events.objectPlaced.connect((placement) => {
			if (placement.ownerId === userId) this.add(placement);
		});
		Events.objectRemoved.connect((placementId, ownerId) => {
			if (ownerId === userId && this.own.delete(placementId)) this.objectRemoved.Fire(placementId);
		});
	}

	/** Asks the server to place an item; yields until it answers. */
	place(itemId: string, position: Vector3, rotation: number): PlaceResult {
		const result = this.request(() => Functions.placeObject.invoke(itemId, position, rotation).expect());
		if (!result.success) this.rejected.Fire(result);
		else this.noteSaved(result.saved);
		return result;
	}

	/** Asks the server to remove one of the player's objects; yields until it answers. */
	remove(placementId: string): RemoveResult {
		const result = this.request(() => Functions.removeObject.invoke(placementId).expect());
		if (!result.success) this.rejected.Fire(result);
		else this.noteSaved(result.saved);
		return result;
	}

	/** Whether the latest acknowledged change was durable, or saving is delayed ("pending"). */
	currentSaveState(): SaveState {
		return this.saveState;
	}

	/** The local player's objects, by placement id. */
	ownObjects(): ReadonlyMap<string, PlacementSnapshot> {
		return this.own;
	}

	private noteSaved(saved: SaveState | undefined) {
		if (saved === undefined || saved === this.saveState) return;
		this.saveState = saved;
		this.saveStateChanged.Fire(saved);
	}

	private request<T extends PlaceResult | RemoveResult>(send: () => T): T | Rejection {
		const [ok, result] = pcall(send);
		// The networking layer rejects when the request was refused before reaching the systems.
		return ok ? result : rejection(RejectionReason.InvalidPayload);
	}

	private add(placement: PlacementSnapshot) {
		if (this.own.has(placement.id)) return;
		this.own.set(placement.id, placement);
		this.objectAdded.Fire(placement);
	}
}
