import { AdminCommand } from "shared/admin/admin-types";

/** What the server's slow work has done so far, read when a command is answered "under way". */
export interface ProgressFacts {
	/** The emergency in force, if one is. */
	readonly emergency?: { readonly reason: string; readonly backupDone: boolean };
}

/** What an admin is told about a command sent to every server while their answers are still coming in. */
export const EVERY_SERVER_PROGRESS = "It was sent to every server; their answers are still being collected.";

/** Whether `command` is sent to every server (`--all`) rather than run on this one. */
export function sentToEveryServer(command: AdminCommand): command is Extract<AdminCommand, { scope: unknown }> & { readonly scope: "all" } {
	return "scope" in command && command.scope === "all";
}

/**
 * What an admin is told about a command still under way on this server: what has already taken
 * effect and what is still going on (the DataStore, MemoryStore or text filter is slow to answer).
 */
export function progressOf(command: AdminCommand, facts: ProgressFacts): string {
	switch (command.name) {
		case "emergency": {
			if (!command.on) return "Emergency mode is being turned off.";
			const emergency = facts.emergency;
			if (emergency === undefined) return "Emergency mode was turned on and has ended since; its emergency backup is still being stored.";
			if (emergency.backupDone) return `Emergency mode is on (${emergency.reason}): building is paused and its emergency backup is stored.`;
			return `Emergency mode is on (${emergency.reason}): building is paused. The emergency backup is still being stored.`;
		}
		case "forcebackup":
			return `The ${command.full ? "full" : "incremental"} backup is still being stored (it waits for any backup already running, then for the DataStore).`;
		case "maintenance":
			return "The emergency backup before maintenance is still being stored; nobody has been removed yet.";
		case "recover":
			return command.preview
				? "The recovery preview is still reading backups; nothing is changed by a preview."
				: "The recovery is still reading backups; each player's build is replaced once their backup is read.";
		case "rollback":
			return `The rollback of ${command.userId} is still reading the profile's saved versions; the build is replaced once they are read.`;
		case "announce":
			return "The announcement is still being filtered; it is shown once it is.";
		case "preflight":
			return "Preflight is still running (its backup round trip waits for the DataStore).";
		case "audit":
			return "The stored audit is still being read from the DataStore.";
		case "fleet":
			return "The fleet view is still being read from MemoryStore.";
		default:
			return `${command.name} is still running.`;
	}
}
