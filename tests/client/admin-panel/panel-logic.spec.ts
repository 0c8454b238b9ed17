import { describe, expect, it } from "@rbxts/jest-globals";
import { Players } from "@rbxts/services";
import type * as PanelCommandsModule from "client/admin-panel/panel-commands";
import type { AdminPanelStore as AdminPanelStoreClass } from "client/admin-panel/admin-panel-store";
import { AdminPanelConfig } from "shared/config/admin-panel-config";

/** The client's own copy of a module under PlayerScripts.TS (client code is not importable from specs). */
function clientModule<T>(...path: string[]): T {
	let current: Instance = Players.LocalPlayer.WaitForChild("PlayerScripts").WaitForChild("TS");
	for (const name of path) current = current.WaitForChild(name);
	return require(current as ModuleScript) as T;
}

const { PANEL_COMMANDS, confirmationOf, formatMinutes } = clientModule<typeof PanelCommandsModule>("admin-panel", "panel-commands");
const { AdminPanelStore } = clientModule<{ AdminPanelStore: typeof AdminPanelStoreClass }>("admin-panel", "admin-panel-store");

const CHOICES: PanelCommandsModule.PanelChoices = {
	targetUserId: undefined,
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
		expect(commandOf("rollback").build(CHOICES)).toBe("Choose one player to roll back.");
		expect(commandOf("rollback").build({ ...CHOICES, targetUserId: 42 })).toEqual({ name: "rollback", userId: 42, unixTime: 1_000_000 - 3600 });
		expect(commandOf("restartsystem").build(CHOICES)).toMatch("No system");
		expect(commandOf("announce").build(CHOICES)).toMatch("Type the announcement");
		expect(commandOf("announce").build({ ...CHOICES, message: "hi", scope: "all" })).toEqual({ name: "announce", message: "hi", scope: "all" });
		expect(commandOf("recover").build({ ...CHOICES, targetUserId: 7 })).toEqual({ name: "recover", target: "LATEST", userId: 7, preview: false });
		expect(commandOf("maintenance").build(CHOICES)).toEqual({ name: "maintenance", scope: "server" });
		expect(confirmationOf(commandOf("forcebackupFull"), { ...CHOICES, scope: "all" })).toBe("Run a full backup of every server now?");
		expect(formatMinutes(10)).toBe("10 min ago");
		expect(formatMinutes(360)).toBe("6 h ago");
		expect(formatMinutes(1440)).toBe("1 d ago");
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
