import { OnTick, Service } from "@flamework/core";
import { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { FootprintBox } from "shared/placement/footprint";
import { RejectionReason } from "shared/placement/rejection-reason";

/**
 * Decides contested placements and removals: overlapping footprints, two requests for the same
 * space in one frame (the first processed wins; later ones get Conflict), removing something
 * already gone, and removing another player's object.
 */
@Service()
export class ConflictResolver implements OnTick {
	/**
	 * Placements made since the last frame ended: kept here rather than as a frame number on every
	 * tracked placement, which would hold one more field on each of them for good.
	 */
	private readonly placedThisFrame = new Set<string>();
	private frame = 0;
	private readonly scratch: string[] = [];

	constructor(private readonly tracker: PlacementTracker) {}

	onTick() {
		this.frame += 1;
		this.placedThisFrame.clear();
	}

	/** Forgets this frame's placements (a restart: a stalled tick would otherwise let them pile up). */
	forgetPlacedThisFrame() {
		this.placedThisFrame.clear();
	}

	/** Frames seen so far (its health check watches it advance). */
	currentFrame(): number {
		return this.frame;
	}

	/** A placement went through in this frame: a later request for the same space now is a Conflict. */
	notePlaced(placementId: string) {
		this.placedThisFrame.add(placementId);
	}

	/** Why a footprint cannot be placed, or undefined when the space is free. */
	checkSpace(worldBox: FootprintBox): RejectionReason | undefined {
		const hits = this.tracker.overlapping(worldBox, this.scratch);
		if (hits.size() === 0) return undefined;
		for (const id of hits) {
			if (this.placedThisFrame.has(id)) return RejectionReason.Conflict;
		}
		return RejectionReason.Overlap;
	}

	/** Why `requesterId` may not remove the placement, or the placement when they may. */
	checkRemoval(requesterId: number, placementId: string, isAdmin: boolean): TrackedPlacement | RejectionReason {
		const placement = this.tracker.get(placementId);
		if (placement === undefined) return RejectionReason.NotFound;
		if (placement.ownerId !== requesterId && !isAdmin) return RejectionReason.NotOwner;
		return placement;
	}
}
