import { Networking } from "@flamework/networking";
import { AdminClientToServerFunctions, AdminServerToClientEvents } from "./admin-network";
import { PlacementSnapshot, PlaceResult, RemoveResult } from "./placement/placement-types";

export * from "./admin-network";

/** Events a client may send. Every argument is checked by Flamework's generated guards. */
export interface ClientToServerEvents {
	/** Latency probe: the server answers with `pong` carrying the same sequence number. */
	ping(sequence: number): void;
}

/** Events the server sends to clients. */
export interface ServerToClientEvents extends AdminServerToClientEvents {
	/** Answer to `ping`, with the server's clock and frame rate at the time it answered. */
	pong(sequence: number, serverTime: number, serverFramesPerSecond: number): void;
	/** An object was placed on any plot. */
	objectPlaced(placement: PlacementSnapshot): void;
	/** An object was removed from any plot. */
	objectRemoved(placementId: string, ownerId: number): void;
	/** The receiving player's own build, sent once it is loaded into their plot. */
	buildLoaded(placements: PlacementSnapshot[]): void;
}

/** Requests a client may make; the server validates every argument and answers with a result. */
export interface ClientToServerFunctions extends AdminClientToServerFunctions {
	placeObject(itemId: string, position: Vector3, rotation: number): PlaceResult;
	removeObject(placementId: string): RemoveResult;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the server never asks clients
export interface ServerToClientFunctions {}

export const GlobalEvents = Networking.createEvent<ClientToServerEvents, ServerToClientEvents>();
export const GlobalFunctions = Networking.createFunction<ClientToServerFunctions, ServerToClientFunctions>();
