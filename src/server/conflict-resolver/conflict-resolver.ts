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
	private frame = 0;
	private readonly scratch: string[] = [];

	constructor(private readonly tracker: PlacementTracker) {}

	onTick() {
		this.frame += 1;
	}

	currentFrame(): number {
		return this.frame;
	}

	/** Why a footprint cannot be placed, or undefined when the space is free. */
	checkSpace(worldBox: FootprintBox): RejectionReason | undefined {
		const hits = this.tracker.overlapping(worldBox, this.scratch);
		if (hits.size() === 0) return undefined;
		for (const id of hits) {
			if (this.tracker.get(id)?.placedFrame === this.frame) return RejectionReason.Conflict;
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
