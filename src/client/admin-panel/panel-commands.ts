import { AdminCommand, AdminCommandName, AdminScope } from "shared/admin/admin-types";

/** What the panel's pickers currently say; buttons build their command from it. */
export interface PanelChoices {
	/** The chosen player's user id, or undefined for every player (the typed User id when one is typed). */
	readonly targetUserId: number | undefined;
	/** Why the typed User id is not one, when it is not: modlog, recover and rollback refuse to send it. */
	readonly userIdProblem: string | undefined;
	/** The backup `recover` reads: LATEST or a backup id. */
	readonly backupTarget: string;
	/** How many entries `audit` asks for. */
	readonly auditCount: number;
	/** How far back a rollback goes, in minutes. */
	readonly rollbackMinutes: number;
	/** The system a restart names, or undefined before the status listed any. */
	readonly system: string | undefined;
	/** This server, or every server of the experience (forcebackup, emergency, maintenance, announce). */
	readonly scope: AdminScope;
	/** The typed message (announce, maintenance message, emergency reason), undefined when empty. */
	readonly message: string | undefined;
	/** Unix seconds now (rollback times are absolute). */
	readonly now: number;
}

/** One button of the panel. */
export interface PanelCommand {
	/** The button's instance name. */
	readonly id: string;
	readonly label: string;
	readonly name: AdminCommandName;
	/** Destructive commands ask for a confirmation first. */
	readonly destructive: boolean;
	/** The command to send, or a string saying what must be chosen first. */
	readonly build: (choices: PanelChoices) => AdminCommand | string;
}

function describeTarget(choices: PanelChoices): string {
	return choices.targetUserId === undefined ? "every player" : `player ${choices.targetUserId}`;
}

/** The command `build` makes, unless the typed User id is not one. */
function withTarget(choices: PanelChoices, build: (userId: number | undefined) => AdminCommand | string): AdminCommand | string {
	return choices.userIdProblem ?? build(choices.targetUserId);
}

function where(choices: PanelChoices): string {
	return choices.scope === "all" ? "every server" : "this server";
}

/** Every command the panel offers, in button order. */
export const PANEL_COMMANDS: readonly PanelCommand[] = [
	{ id: "systemstatus", label: "Status", name: "systemstatus", destructive: false, build: () => ({ name: "systemstatus" }) },
	{ id: "systemreport", label: "Report", name: "systemreport", destructive: false, build: () => ({ name: "systemreport" }) },
	{ id: "fleet", label: "Fleet", name: "fleet", destructive: false, build: () => ({ name: "fleet" }) },
	{ id: "alerts", label: "Alerts", name: "alerts", destructive: false, build: () => ({ name: "alerts" }) },
	{ id: "modlog", label: "Mod log", name: "modlog", destructive: false, build: (c) => withTarget(c, (userId) => ({ name: "modlog", userId })) },
	{ id: "audit", label: "Audit", name: "audit", destructive: false, build: (c) => ({ name: "audit", count: c.auditCount }) },
	{ id: "preflight", label: "Preflight", name: "preflight", destructive: false, build: () => ({ name: "preflight" }) },
	{
		id: "recoverPreview",
		label: "Recover (preview)",
		name: "recover",
		destructive: false,
		build: (c) => withTarget(c, (userId) => ({ name: "recover", target: c.backupTarget, userId, preview: true })),
	},
	{
		id: "announce",
		label: "Announce",
		name: "announce",
		destructive: false,
		build: (c) => (c.message === undefined ? "Type the announcement in Message first." : { name: "announce", message: c.message, scope: c.scope }),
	},
	{ id: "forcebackup", label: "Backup", name: "forcebackup", destructive: true, build: (c) => ({ name: "forcebackup", full: false, scope: c.scope }) },
	{ id: "forcebackupFull", label: "Full backup", name: "forcebackup", destructive: true, build: (c) => ({ name: "forcebackup", full: true, scope: c.scope }) },
	{
		id: "recover",
		label: "Recover",
		name: "recover",
		destructive: true,
		build: (c) => withTarget(c, (userId) => ({ name: "recover", target: c.backupTarget, userId, preview: false })),
	},
	{
		id: "rollback",
		label: "Rollback",
		name: "rollback",
		destructive: true,
		build: (c) =>
			withTarget(c, (userId) =>
				userId === undefined ? "Choose one player (or type a user id) to roll back." : { name: "rollback", userId, unixTime: c.now - c.rollbackMinutes * 60 },
			),
	},
	{ id: "forcecleanup", label: "Cleanup", name: "forcecleanup", destructive: true, build: () => ({ name: "forcecleanup" }) },
	{
		id: "restartsystem",
		label: "Restart system",
		name: "restartsystem",
		destructive: true,
		build: (c) => (c.system === undefined ? "No system listed yet: refresh the status." : { name: "restartsystem", system: c.system }),
	},
	{
		id: "emergencyOn",
		label: "Emergency on",
		name: "emergency",
		destructive: true,
		build: (c) => ({ name: "emergency", on: true, reason: c.message, scope: c.scope }),
	},
	{ id: "emergencyOff", label: "Emergency off", name: "emergency", destructive: true, build: (c) => ({ name: "emergency", on: false, scope: c.scope }) },
	{
		id: "maintenance",
		label: "Maintenance",
		name: "maintenance",
		destructive: true,
		build: (c) => ({ name: "maintenance", message: c.message, scope: c.scope }),
	},
];

/** The question a destructive command asks before it runs. */
export function confirmationOf(command: PanelCommand, choices: PanelChoices): string {
	switch (command.id) {
		case "forcebackup":
			return `Run an incremental backup of ${where(choices)} now?`;
		case "forcebackupFull":
			return `Run a full backup of ${where(choices)} now?`;
		case "recover":
			return `Rebuild ${describeTarget(choices)} from ${choices.backupTarget === "LATEST" ? "the latest backup" : `backup ${choices.backupTarget}`}?`;
		case "rollback":
			return `Roll player ${choices.targetUserId} back to ${choices.rollbackMinutes} minutes ago?`;
		case "forcecleanup":
			return "Run the emergency memory cleanup?";
		case "restartsystem":
			return `Restart the ${choices.system} system?`;
		case "emergencyOn":
			return `Turn emergency mode on for ${where(choices)}${choices.message !== undefined ? ` (${choices.message})` : ""}?`;
		case "emergencyOff":
			return `Turn emergency mode off for ${where(choices)}?`;
		case "maintenance":
			return `Back up, then remove every player from ${where(choices)} for maintenance?`;
	}
	return `Run ${command.label}?`;
}

/** A duration in minutes as the picker shows it. */
export function formatMinutes(minutes: number): string {
	if (minutes % 1440 === 0) return `${minutes / 1440} d ago`;
	if (minutes % 60 === 0) return `${minutes / 60} h ago`;
	return `${minutes} min ago`;
}
