import { Networking } from "@flamework/networking";

/** Events a client may send. Every argument is checked by Flamework's generated guards. */
export interface ClientToServerEvents {
	/** Latency probe: the server answers with `pong` carrying the same sequence number. */
	ping(sequence: number): void;
}

/** Events the server sends to clients. */
export interface ServerToClientEvents {
	/** Answer to `ping`, with the server's clock and frame rate at the time it answered. */
	pong(sequence: number, serverTime: number, serverFramesPerSecond: number): void;
}

export const GlobalEvents = Networking.createEvent<ClientToServerEvents, ServerToClientEvents>();
