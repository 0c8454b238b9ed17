import { Workspace } from "@rbxts/services";
import { AdminCommand } from "shared/admin/admin-types";
import { AdminConfig } from "shared/config/admin-config";

/** Highest user id accepted (Roblox ids fit in 2^53). */
const MAX_USER_ID = 2 ** 53;
const BACKUP_ID_PATTERN = "^%d+_%d+$";
const SYSTEM_NAME_PATTERN = "^[%w%-_]+$";

function isPositiveInteger(value: number, max: number): boolean {
	return value === value && value >= 1 && value <= max && value % 1 === 0;
}

function checkText(text: string | undefined, what: string, required: boolean): string | undefined {
	if (text === undefined) return required ? `${what} is required` : undefined;
	if (text.size() > AdminConfig.maxTextLength) return `${what} is longer than ${AdminConfig.maxTextLength} characters`;
	if (required && text.match("%S")[0] === undefined) return `${what} is empty`;
	if (utf8.len(text)[0] === undefined) return `${what} is not valid UTF-8`;
	return undefined;
}

/**
 * Range checks on a command that passed the networking guard: what is wrong with it, or
 * undefined when it may run.
 */
export function problemWith(command: AdminCommand): string | undefined {
	switch (command.name) {
		case "recover":
			if (command.target !== "LATEST" && (command.target.size() > 40 || command.target.match(BACKUP_ID_PATTERN)[0] === undefined)) {
				return "the backup must be LATEST or an id like 1767225600_3";
			}
			if (command.userId !== undefined && !isPositiveInteger(command.userId, MAX_USER_ID)) return "the user id must be a positive integer";
			return undefined;
		case "rollback": {
			if (!isPositiveInteger(command.userId, MAX_USER_ID)) return "the user id must be a positive integer";
			const now = Workspace.GetServerTimeNow();
			if (!isPositiveInteger(command.unixTime, now + 60)) return "the time must be Unix seconds, not in the future";
			return undefined;
		}
		case "restartsystem":
			if (command.system.size() > 40 || command.system.match(SYSTEM_NAME_PATTERN)[0] === undefined) return "the system name is not valid";
			return undefined;
		case "emergency":
			return checkText(command.reason, "the reason", false);
		case "maintenance":
			return checkText(command.message, "the message", false);
		case "announce":
			return checkText(command.message, "the message", true);
		case "modlog":
			if (command.userId !== undefined && !isPositiveInteger(command.userId, MAX_USER_ID)) return "the user id must be a positive integer";
			return undefined;
		case "audit":
			if (command.count !== undefined && !isPositiveInteger(command.count, AdminConfig.maxAuditRead)) {
				return `the count must be between 1 and ${AdminConfig.maxAuditRead}`;
			}
			return undefined;
		default:
			return undefined;
	}
}
