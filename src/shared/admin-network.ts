import { AdminAccess, AdminAlert, AdminCommand, AdminCommandOutcome, AdminResponse } from "./admin/admin-types";

/** Admin requests: one guarded function whose payload is a discriminated union of commands. */
export interface AdminClientToServerFunctions {
	/** Runs one admin command; refused (and audited) unless the caller's role allows it. */
	adminCommand(command: AdminCommand): AdminResponse;
}

/** What the server pushes to players about admin work. */
export interface AdminServerToClientEvents {
	/** The receiving player's role and the commands it allows. */
	adminAccess(access: AdminAccess): void;
	/** A monitoring alert, sent to players whose role may read alerts. */
	adminAlert(alert: AdminAlert): void;
	/** An announcement from an admin to everyone on the server. */
	adminAnnouncement(message: string): void;
	/** The outcome of a command this player was answered "under way" for, once it is done. */
	adminCommandFinished(outcome: AdminCommandOutcome): void;
}
