import { describe, expect, it } from "@rbxts/jest-globals";
import { Players } from "@rbxts/services";
import type * as PanelCommandsModule from "client/admin-panel/panel-commands";
import type * as PanelUserIdModule from "client/admin-panel/panel-user-id";
import type * as PanelBackupsModule from "client/admin-panel/panel-backups";
import type { AdminPanelStore as AdminPanelStoreClass } from "client/admin-panel/admin-panel-store";
import { AdminPanelConfig } from "shared/config/admin-panel-config";

/** The client's own copy of a module under PlayerScripts.TS (client code is not importable from specs). */
function clientModule<T>(...path: string[]): T {
	let current: Instance = Players.LocalPlayer.WaitForChild("PlayerScripts").WaitForChild("TS");
	for (const name of path) current = current.WaitForChild(name);
	return require(current as ModuleScript) as T;
}

const { PANEL_COMMANDS, confirmationOf, formatMinutes } = clientModule<typeof PanelCommandsModule>("admin-panel", "panel-commands");
const { parseUserId } = clientModule<typeof PanelUserIdModule>("admin-panel", "panel-user-id");
const { rememberBackups, backupIdsIn } = clientModule<typeof PanelBackupsModule>("admin-panel", "panel-backups");
const { AdminPanelStore } = clientModule<{ AdminPanelStore: typeof AdminPanelStoreClass }>("admin-panel", "admin-panel-store");

const CHOICES: PanelCommandsModule.PanelChoices = {
	targetUserId: undefined,
	userIdProblem: undefined,
	backupTarget: "LATEST",
	auditCount: 20,
	rollbackMinutes: 60,
	system: undefined,
	scope: "server",
	message: undefined,
	now: 1_000_000,
};

function commandOf(id: string) {
	return PANEL_COMMANDS.find((command) => command.id === id)!;
}

describe("the panel's commands", () => {
	it("asks before exactly the destructive commands", () => {
		const destructive = PANEL_COMMANDS.filter((command) => command.destructive).map((command) => command.name);
		const unique = new Set(destructive);
		const names: string[] = [];
		for (const name of unique) names.push(name);
		expect(names.sort()).toEqual(["emergency", "forcebackup", "forcecleanup", "maintenance", "recover", "restartsystem", "rollback"]);
		expect(commandOf("recoverPreview").destructive).toBe(false);
	});

	it("builds typed commands from the pickers, and says what is missing instead of guessing", () => {
		expect(commandOf("rollback").build(CHOICES)).toBe("Choose one player (or type a user id) to roll back.");
		expect(commandOf("rollback").build({ ...CHOICES, targetUserId: 42 })).toEqual({ name: "rollback", userId: 42, unixTime: 1_000_000 - 3600 });
		expect(commandOf("restartsystem").build(CHOICES)).toMatch("No system");
		expect(commandOf("announce").build(CHOICES)).toMatch("Type the announcement");
		expect(commandOf("announce").build({ ...CHOICES, message: "hi", scope: "all" })).toEqual({ name: "announce", message: "hi", scope: "all" });
		expect(commandOf("recover").build({ ...CHOICES, targetUserId: 7 })).toEqual({ name: "recover", target: "LATEST", userId: 7, preview: false });
		expect(commandOf("recoverPreview").build({ ...CHOICES, targetUserId: 7, backupTarget: "1767225600_3" })).toEqual({
			name: "recover",
			target: "1767225600_3",
			userId: 7,
			preview: true,
		});
		expect(confirmationOf(commandOf("recover"), { ...CHOICES, targetUserId: 7, backupTarget: "1767225600_3" })).toBe(
			"Rebuild player 7 from backup 1767225600_3?",
		);
		expect(commandOf("audit").build({ ...CHOICES, auditCount: 50 })).toEqual({ name: "audit", count: 50 });
		// A typed user id that is not one stops the commands that would send it.
		const badId = { ...CHOICES, targetUserId: 7, userIdProblem: "The user id must be digits only (a Roblox user id)." };
		for (const id of ["modlog", "recover", "recoverPreview", "rollback"]) expect(commandOf(id).build(badId)).toBe(badId.userIdProblem);
		expect(commandOf("maintenance").build(CHOICES)).toEqual({ name: "maintenance", scope: "server" });
		expect(confirmationOf(commandOf("forcebackupFull"), { ...CHOICES, scope: "all" })).toBe("Run a full backup of every server now?");
		expect(formatMinutes(10)).toBe("10 min ago");
		expect(formatMinutes(360)).toBe("6 h ago");
		expect(formatMinutes(1440)).toBe("1 d ago");
	});
});

describe("the User id box and the backup picker's ids", () => {
	it("reads digits as a user id and says why anything else is not one", () => {
		expect(parseUserId("")).toEqual({ kind: "empty" });
		expect(parseUserId("  ")).toEqual({ kind: "empty" });
		expect(parseUserId(" 4242 ")).toEqual({ kind: "id", userId: 4242 });
		expect(parseUserId("42a")).toEqual({ kind: "invalid", problem: "The user id must be digits only (a Roblox user id)." });
		expect(parseUserId("-5")).toEqual({ kind: "invalid", problem: "The user id must be digits only (a Roblox user id)." });
		expect(parseUserId("0")).toEqual({ kind: "invalid", problem: "The user id must be between 1 and 2^53." });
		expect(parseUserId("99999999999999999999")).toEqual({ kind: "invalid", problem: "The user id must be between 1 and 2^53." });
	});

	it("keeps the named backups newest first, without repeats, up to the cap", () => {
		expect(rememberBackups(["1700000000_2"], ["1700000000_10", "1600000000_9", "1700000000_2"], 3)).toEqual([
			"1700000000_10",
			"1700000000_2",
			"1600000000_9",
		]);
		expect(rememberBackups(["3_1", "2_1", "1_1"], ["4_1"], 3)).toEqual(["4_1", "3_1", "2_1"]);
		expect(backupIdsIn({ ok: true, name: "forcebackup", result: { kind: "full", backupId: "5_1", players: 1, placements: 1, size: 1 } })).toEqual(["5_1"]);
		expect(backupIdsIn({ ok: true, name: "forcebackup", result: { kind: "incremental", players: 1, placements: 1, size: 1 } })).toEqual([]);
		expect(
			backupIdsIn({
				ok: true,
				name: "systemstatus",
				result: { overall: "healthy", operationsState: "OPERATIONAL", jobId: "j", players: 1, objects: 1, systems: [{ name: "dataBackup", state: "healthy", detail: "last backup 6_2" }] },
			}),
		).toEqual(["6_2"]);
	});
});

describe("AdminPanelStore", () => {
	it("keeps the newest alerts first, up to the configured count", () => {
		const store = new AdminPanelStore();
		for (let index = 1; index <= AdminPanelConfig.maxAlerts + 2; index++) {
			store.addAlert({ sequence: index, time: index, severity: "info", system: "memory", message: `alert ${index}` });
		}
		expect(store.state().alerts.size()).toBe(AdminPanelConfig.maxAlerts);
		expect(store.state().alerts[0].message).toBe(`alert ${AdminPanelConfig.maxAlerts + 2}`);
	});

	it("closes and forgets a pending confirmation when the role is taken away", () => {
		const store = new AdminPanelStore();
		store.setAccess({ role: "admin", commands: ["forcebackup"] });
		store.setOpen(true);
		store.ask({ command: commandOf("forcebackup"), question: "?", built: { name: "forcebackup", full: false, scope: "server" } });
		store.setAccess({ role: "none", commands: [] });
		expect(store.state().open).toBe(false);
		expect(store.state().confirmation).toBeUndefined();
	});

	it("trims the message and treats blank as none", () => {
		const store = new AdminPanelStore();
		store.setMessage("  hello  ");
		expect(store.state().message).toBe("hello");
		store.setMessage("   ");
		expect(store.state().message).toBeUndefined();
	});
});
