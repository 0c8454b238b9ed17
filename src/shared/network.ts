import { Networking } from "@flamework/networking";

interface ClientToServerEvents {
	ping(sequence: number): void;
}
interface ServerToClientEvents {
	pong(sequence: number): void;
}

export const GlobalEvents = Networking.createEvent<ClientToServerEvents, ServerToClientEvents>();
