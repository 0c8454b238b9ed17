import { RejectionReason } from "./rejection-reason";

/** A placed object as everyone sees it. Positions are relative to the owner's plot corner. */
export interface PlacementSnapshot {
	readonly id: string;
	readonly ownerId: number;
	readonly itemId: string;
	readonly position: Vector3;
	/** Degrees about Y, a multiple of the rotation step, in [0, 360). */
	readonly rotation: number;
	/** Unix seconds (server clock). */
	readonly placedAt: number;
}

export interface Rejection {
	readonly success: false;
	readonly reason: RejectionReason;
	readonly message: string;
	/** The moderation rule that refused it, when `reason` is Moderation. */
	readonly rule?: string;
}

/**
 * Whether an acknowledged change would survive a server crash now: "durable" once it is in the
 * build journal or a saved profile, "pending" while neither could take it (the client may show
 * "saving delayed"; it becomes durable when saving catches up).
 */
export type SaveState = "durable" | "pending";

export type PlaceResult = { readonly success: true; readonly placementId: string; readonly saved?: SaveState } | Rejection;
export type RemoveResult = { readonly success: true; readonly saved?: SaveState } | Rejection;
