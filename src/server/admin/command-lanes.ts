import { formatArguments } from "shared/admin/chat-syntax";
import { AdminCommand } from "shared/admin/admin-types";
import { sentToEveryServer } from "./command-progress";

/** Which commands may not run side by side on this server, and which calls are the same command. */
export interface CommandKey {
	/** Commands of one lane never run at once here: a call meeting another one's lane is not run. */
	readonly lane: string;
	/** Calls with the same identity are one command: a second one joins the first instead of running again. */
	readonly identity: string;
}

/**
 * The lane and identity of a command. By default a lane holds one command with its arguments,
 * so only an exact repeat meets it; commands that do the same work whatever their arguments
 * share a wider lane (a full and an incremental backup, recoveries and rollbacks that replace
 * builds), and the emergency reason or maintenance message does not make another command.
 */
export function keyOf(command: AdminCommand): CommandKey {
	const everywhere = sentToEveryServer(command) ? " --all" : "";
	const identity = `${command.name} ${formatArguments(command)}`;
	switch (command.name) {
		case "forcebackup":
			return { lane: `forcebackup${everywhere}`, identity };
		case "emergency": {
			const mode = `emergency ${command.on ? "on" : "off"}${everywhere}`;
			return { lane: mode, identity: mode };
		}
		case "maintenance":
			return { lane: `maintenance${everywhere}`, identity: `maintenance${everywhere}` };
		case "recover":
			return command.preview ? { lane: identity, identity } : { lane: "replace builds", identity };
		case "rollback":
			return { lane: "replace builds", identity };
		default:
			return { lane: identity, identity };
	}
}
