import { Networking } from "@flamework/networking";
import { AdminClientToServerFunctions, AdminServerToClientEvents } from "./admin-network";
import { PlacementSnapshot, PlaceResult, RemoveResult } from "./placement/placement-types";

export * from "./admin-network";

/** Events a client may send. Every argument is checked by Flamework's generated guards. */
export interface ClientToServerEvents {
	/** Latency probe: the server answers with `pong` carrying the same sequence number. */
	ping(sequence: number): void;
	/** Object streaming: the client's copy of a chunk went out of step; the server sends it again. */
	streamResync(chunkX: number, chunkZ: number): void;
}

/** Events the server sends to clients. */
export interface ServerToClientEvents extends AdminServerToClientEvents {
	/** Answer to `ping`, with the server's clock and frame rate at the time it answered. */
	pong(sequence: number, serverTime: number, serverFramesPerSecond: number): void;
	/** One of the receiver's own objects was placed (others' objects arrive by streaming). */
	objectPlaced(placement: PlacementSnapshot): void;
	/** One of the receiver's own objects was removed. */
	objectRemoved(placementId: string, ownerId: number): void;
	/** The receiving player's own build, sent once it is loaded into their plot. */
	buildLoaded(placements: PlacementSnapshot[]): void;
	/** Object streaming: this frame's chunk snapshots, unloads, places and removes (see chunk-codec). */
	streamBatch(payload: buffer): void;
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
