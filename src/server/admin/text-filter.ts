import { TextService } from "@rbxts/services";
import { AdminCommand } from "shared/admin/admin-types";

/**
 * Text an admin types that other players will read (announcements, the maintenance message)
 * goes through Roblox's filter on the caller's server, where the caller is online, before it
 * is shown anywhere or sent to other servers. When filtering fails nothing is shown.
 */
function filterForBroadcast(caller: Player, text: string): string | undefined {
	const [ok, filtered] = pcall(() =>
		TextService.FilterStringAsync(text, caller.UserId, Enum.TextFilterContext.PublicChat).GetNonChatStringForBroadcastAsync(),
	);
	return ok ? filtered : undefined;
}

/** The command with its public text filtered, or undefined when the filter failed. */
export function withFilteredText(caller: Player, command: AdminCommand): AdminCommand | undefined {
	if (command.name === "announce") {
		const message = filterForBroadcast(caller, command.message);
		return message === undefined ? undefined : { ...command, message };
	}
	if (command.name === "maintenance" && command.message !== undefined) {
		const message = filterForBroadcast(caller, command.message);
		return message === undefined ? undefined : { ...command, message };
	}
	return command;
}
