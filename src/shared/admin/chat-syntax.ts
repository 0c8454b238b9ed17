import { AdminCommand, AdminCommandName } from "./admin-types";

/** How each command is typed in chat (and written in the audit). */
export const COMMAND_USAGE: Record<AdminCommandName, string> = {
	systemstatus: "systemstatus",
	systemreport: "systemreport",
	forcecleanup: "forcecleanup",
	forcebackup: "forcebackup [full] [--all]",
	recover: "recover <LATEST|id> <userId|all> [preview]",
	rollback: "rollback <userId> <unix time>",
	restartsystem: "restartsystem <name>",
	emergency: "emergency on|off [reason] [--all]",
	maintenance: "maintenance [message] [--all]",
	modlog: "modlog [userId]",
	fleet: "fleet",
	preflight: "preflight",
	alerts: "alerts",
	audit: "audit [n]",
	announce: "announce <message> [--all]",
};

/** Short second aliases for the most used commands (each chat command may have two). */
export const SECOND_ALIAS: Partial<Record<AdminCommandName, string>> = {
	systemstatus: "status",
	systemreport: "report",
	forcebackup: "backup",
	forcecleanup: "cleanup",
};

const ALL_FLAG = "--all";

/** The command a chat word names, by its name or its second alias. */
function commandNamed(word: string): AdminCommandName | undefined {
	const lower = word.lower();
	if (COMMAND_USAGE[lower as AdminCommandName] !== undefined) return lower as AdminCommandName;
	for (const [name, alias] of pairs(SECOND_ALIAS)) if (alias === lower) return name;
	return undefined;
}

function words(text: string): string[] {
	const result: string[] = [];
	for (const [word] of text.gmatch("%S+")) result.push(word as string);
	return result;
}

function integer(word: string | undefined): number | undefined {
	if (word === undefined || word.match("^%-?%d+$")[0] === undefined) return undefined;
	return tonumber(word);
}

/** Splits off a trailing or leading `--all`. */
function scopeOf(args: string[]): { rest: string[]; all: boolean } {
	const rest = args.filter((word) => word !== ALL_FLAG);
	return { rest, all: rest.size() !== args.size() };
}

/**
 * Parses a chat line such as `/recover LATEST 42 preview` into a command. Returns a usage
 * message instead when the line is not a well-formed command; the server checks ranges.
 */
export function parseChatCommand(text: string): AdminCommand | string {
	const all = words(text);
	const head = all[0];
	if (head === undefined) return "empty command";
	const name = commandNamed(head.gsub("^/", "")[0]);
	if (name === undefined) return `unknown command ${head}`;
	const usage = COMMAND_USAGE[name];
	const args = all.filter((_, index) => index > 0);
	const wrong = `usage: /${usage}`;
	const { rest, all: everywhere } = scopeOf(args);
	const scope = everywhere ? "all" : "server";
	switch (name) {
		case "systemstatus":
		case "systemreport":
		case "forcecleanup":
		case "fleet":
		case "preflight":
		case "alerts":
			return args.size() === 0 ? { name } : wrong;
		case "forcebackup":
			if (rest.size() > 1 || (rest.size() === 1 && rest[0].lower() !== "full")) return wrong;
			return { name, full: rest.size() === 1, scope };
		case "recover": {
			if (rest.size() < 2 || rest.size() > 3) return wrong;
			if (rest.size() === 3 && rest[2].lower() !== "preview") return wrong;
			const who = rest[1].lower() === "all" ? undefined : integer(rest[1]);
			if (who === undefined && rest[1].lower() !== "all") return wrong;
			const target = rest[0].upper() === "LATEST" ? "LATEST" : rest[0];
			return { name, target, userId: who, preview: rest.size() === 3 };
		}
		case "rollback": {
			const userId = integer(args[0]);
			const unixTime = integer(args[1]);
			if (args.size() !== 2 || userId === undefined || unixTime === undefined) return wrong;
			return { name, userId, unixTime };
		}
		case "restartsystem":
			return args.size() === 1 ? { name, system: args[0] } : wrong;
		case "emergency": {
			const mode = rest[0]?.lower();
			if (mode !== "on" && mode !== "off") return wrong;
			const reason = rest.filter((_, index) => index > 0).join(" ");
			return { name, on: mode === "on", reason: reason === "" ? undefined : reason, scope };
		}
		case "maintenance": {
			const message = rest.join(" ");
			return { name, message: message === "" ? undefined : message, scope };
		}
		case "modlog": {
			if (args.size() === 0) return { name };
			const userId = integer(args[0]);
			return args.size() === 1 && userId !== undefined ? { name, userId } : wrong;
		}
		case "audit": {
			if (args.size() === 0) return { name };
			const count = integer(args[0]);
			return args.size() === 1 && count !== undefined ? { name, count } : wrong;
		}
		case "announce": {
			const message = rest.join(" ");
			return message === "" ? wrong : { name, message, scope };
		}
	}
	return wrong;
}

/** The command's arguments in chat form, e.g. `LATEST 42 preview` (for the audit). */
export function formatArguments(command: AdminCommand): string {
	const scoped = (parts: (string | false | undefined)[], scope: string) => {
		const kept: string[] = [];
		for (const part of parts) if (typeIs(part, "string") && part !== "") kept.push(part);
		if (scope === "all") kept.push(ALL_FLAG);
		return kept.join(" ");
	};
	switch (command.name) {
		case "forcebackup":
			return scoped([command.full ? "full" : undefined], command.scope);
		case "recover":
			return scoped([command.target, command.userId === undefined ? "all" : tostring(command.userId), command.preview ? "preview" : undefined], "server");
		case "rollback":
			return `${command.userId} ${command.unixTime}`;
		case "restartsystem":
			return command.system;
		case "emergency":
			return scoped([command.on ? "on" : "off", command.reason], command.scope);
		case "maintenance":
			return scoped([command.message], command.scope);
		case "modlog":
			return command.userId === undefined ? "" : tostring(command.userId);
		case "audit":
			return command.count === undefined ? "" : tostring(command.count);
		case "announce":
			return scoped([command.message], command.scope);
		default:
			return "";
	}
}
