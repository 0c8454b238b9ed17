import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { AdminConfig } from "shared/config/admin-config";
import { kickMessage, KickReason } from "shared/kick-reason";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { waitUntil, World } from "../../harness/world";
import { placeChairs } from "../data-backup/backup-world";
import { adminControllerOf, AdminSystems, auditOf, joinAs, lastAuditOf, startAdminServer } from "../admin/admin-world";
import { preflightScope } from "../operations/operations-world";
import { systemsOf } from "../placement/placement-world";
import { BuildSession } from "../building/build-session";
import type * as PanelCommandsModule from "client/admin-panel/panel-commands";
import { PanelSession, startStudioOwnerPanel } from "./panel-session";

const DEVELOPER = 31337;


function auditCount(systems: AdminSystems, command: string): number {
	return auditOf(systems.audit, DEVELOPER, command).size();
}

describe("the admin panel in Studio play-solo, as its owner", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: AdminSystems;
	let me: PanelSession;
	afterAll(() => world.stop());

	beforeAll(() => {
		({ server, systems, me } = startStudioOwnerPanel(world, DEVELOPER, "Developer"));
	});

	it("opens with the key and shows the status, the report and the fleet live", () => {
		expect(me.panel()).toBeDefined();
		expect(me.isOpen()).toBe(false);
		me.toggle();
		expect(me.isOpen()).toBe(true);
		expect(me.text("Title")).toMatch("owner");
		waitUntil(() => me.text("Status").find("Overall:", 1, true)[0] !== undefined, 10, "the status");
		expect(me.text("Status")).toMatch("Overall: healthy · 1 player · 2 objects");
		expect(me.text("Status")).toMatch("dataBackup: healthy");
		// The fleet view lists a server once it has published (every few seconds); the panel refreshes.
		const jobId = server.game.JobId;
		waitUntil(() => me.text("Fleet").find(jobId, 1, true)[0] !== undefined, AdminPanelConfig.refreshSeconds + 10, "this server in the fleet section");
		expect(me.text("Report")).toMatch("^Report of .+ UTC: ");
		expect(me.text("Report")).toMatch("FPS [%d.]+, frame p99");
		expect(me.text("Report")).toMatch("response avg [%d.]+ ms, p95 [%d.]+ ms, p99 [%d.]+ ms");
		expect(me.text("Report")).toMatch("currentMemory: [%d.]+");
		expect(me.text("Alerts")).toMatch("Earlier alerts: %d+ in the server's buffer");

		// Live: a new object shows at the next refresh, without pressing anything.
		placeChairs(server, DEVELOPER, 1, 2);
		Headless.seconds(AdminPanelConfig.refreshSeconds + 1);
		expect(me.text("Status")).toMatch("1 player · 3 objects");
	});

	it("shows every command to the owner, and an alert as it arrives", () => {
		expect(me.visibleCommands().size()).toBe(18);
		expect(me.pickerShown("Target") && me.pickerShown("Since") && me.pickerShown("System") && me.pickerShown("Scope")).toBe(true);
		expect(me.messageShown()).toBe(true);
		systems.admin.alert({ sequence: 1, time: os.time(), severity: "critical", system: "memory", message: "memory at 92%" });
		waitUntil(() => me.text("Alerts").find("memory at 92%", 1, true)[0] !== undefined, 5, "the alert");
		expect(me.text("Alerts")).toMatch("%[critical%] memory: memory at 92%%");
	});

	it("asks before a backup, runs it on yes and shows the result", () => {
		Headless.seconds(3);
		me.press("forcebackup");
		expect(me.confirmation()).toBe("Run an incremental backup of this server now?");
		Headless.seconds(1);
		expect(auditCount(systems, "forcebackup")).toBe(0);
		me.answer("Yes");
		const result = me.resultOf("Backup");
		expect(result).toMatch("Backup — done");
		expect(result).toMatch("Backup %d+_%d+ %(incremental%): 1 player");
		expect(me.confirmation()).toBeUndefined();
		const entry = lastAuditOf(systems.audit, DEVELOPER, "forcebackup")!;
		expect(entry.allowed).toBe(true);
		expect(entry.role).toBe("owner");
		expect(entry.result).toMatch("^ok");
	});

	it("runs a confirmed command only once the command before it has its answer: one result at a time", () => {
		Headless.seconds(3);
		const backups = auditCount(systems, "forcebackup");
		// Preflight's scratch backup writes take a second each: it waits for the server a while.
		const scope = preflightScope(server);
		const faults = server.dataStoreFaults();
		faults.filter((request) => request.scope === scope);
		faults.setLatency(1);
		me.press("forcebackup");
		me.press("preflight");
		// Yes while preflight waits for the server: nothing runs, the question stays.
		me.answer("Yes");
		expect(me.confirmation()).toBe("Run an incremental backup of this server now?");
		expect(me.resultOf("Preflight")).toMatch("Preflight — done");
		faults.clear();
		expect(auditCount(systems, "forcebackup")).toBe(backups);
		me.answer("Yes");
		expect(me.resultOf("Backup")).toMatch("^Backup — done");
		expect(auditCount(systems, "forcebackup")).toBe(backups + 1);
	});

	it("a click on the panel never builds behind it; with the panel closed the same click does", () => {
		const builder = new BuildSession(me.client);
		const placed = () => systemsOf(server).tracker.ownedBy(DEVELOPER).size();
		const before = placed();
		me.client.pressKey(Enum.KeyCode.Three);
		builder.aimAt(new Vector3(40, 0, 60));
		const mouse = me.client.game.GetService("UserInputService").GetMouseLocation();
		const panel = me.panel()!;
		expect(mouse.X > panel.AbsolutePosition.X && mouse.Y < panel.AbsolutePosition.Y + panel.AbsoluteSize.Y).toBe(true);
		builder.click();
		expect(placed()).toBe(before);
		me.toggle();
		builder.click();
		expect(placed()).toBe(before + 1);
		me.client.pressKey(Enum.KeyCode.Q);
		me.toggle();
		expect(me.isOpen()).toBe(true);
	});

	it("cancelling a destructive command runs nothing", () => {
		me.press("maintenance");
		expect(me.confirmation()).toMatch("remove every player");
		me.answer("No");
		expect(me.confirmation()).toBeUndefined();
		Headless.seconds(AdminConfig.maintenanceKickDelay + 1);
		expect(auditCount(systems, "maintenance")).toBe(0);
		expect(me.client.isAlive()).toBe(true);
	});

	it("runs a cleanup after its confirmation and shows the memory figures it reports", () => {
		Headless.seconds(2);
		me.press("forcecleanup");
		me.answer("Yes");
		expect(me.resultOf("Cleanup")).toMatch("^Cleanup — done\nCleanup: [%d.]+ MB → [%d.]+ MB");
	});

	it("rolls back the chosen player only after choosing one, with the age from the picker", () => {
		Headless.seconds(2);
		expect(me.pickerValue("Target")).toBe("every player");
		me.press("rollback");
		expect(me.confirmation()).toBeUndefined();
		expect(me.resultOf("Rollback")).toMatch("Choose one player");
		me.pickerStep("Target", "Next");
		expect(me.pickerValue("Target")).toBe(`Developer (${DEVELOPER})`);
		me.pickerStep("Since", "Next");
		expect(me.pickerValue("Since")).toBe("6 h ago");
		me.press("rollback");
		expect(me.confirmation()).toBe(`Roll player ${DEVELOPER} back to 360 minutes ago?`);
		me.answer("No");
		me.pickerStep("Target", "Previous");
		expect(me.pickerValue("Target")).toBe("every player");
	});

	it("announces the typed message, and backs up every server when the scope says so", () => {
		Headless.seconds(4);
		me.press("announce");
		expect(me.resultOf("Announce")).toMatch("Type the announcement");
		me.typeMessage("  Restart at noon  ");
		me.press("announce");
		expect(me.resultOf("Announce")).toMatch("Announce — done\nAnnounced to 1 player");
		expect(lastAuditOf(systems.audit, DEVELOPER, "announce")!.args).toMatch("Restart at noon");

		Headless.seconds(2);
		expect(me.pickerValue("Scope")).toBe("this server");
		me.pickerStep("Scope", "Next");
		expect(me.pickerValue("Scope")).toBe("every server");
		me.press("forcebackupFull");
		expect(me.confirmation()).toBe("Run a full backup of every server now?");
		me.answer("Yes");
		const result = me.resultOf("Full backup");
		expect(result).toMatch("Full backup — done\nEvery server %(1%):");
		expect(result.find(`${server.jobId}: done — backup `, 1, true)[0]).toBeDefined();
		me.pickerStep("Scope", "Previous");
	});

	it("recovers from a backup the server named, chosen with the Backup picker", () => {
		// A person clicks slower than a spec: this test lifts the rate limit to take two backups in a row.
		systems.admin.configureRateLimit(1000, 1000);
		const owned = () => systemsOf(server).tracker.ownedBy(DEVELOPER).size();
		const backUp = () => {
			me.press("forcebackup");
			me.answer("Yes");
			const result = me.resultOf("Backup");
			const [id] = result.match("Backup (%d+_%d+) ");
			expect(`${id}`).toBe(`${id ?? result}`);
			return id as string;
		};
		// Each backup follows a change, so each writes one.
		placeChairs(server, DEVELOPER, 1, 10);
		Headless.seconds(1);
		const first = backUp();
		const objectsAtFirst = owned();
		placeChairs(server, DEVELOPER, 1, 11);
		Headless.seconds(1);
		const second = backUp();
		expect(owned()).toBe(objectsAtFirst + 1);

		expect(me.pickerValue("Backup")).toBe("LATEST");
		me.pickerStep("Backup", "Next");
		expect(me.pickerValue("Backup")).toBe(second);
		me.pickerStep("Backup", "Next");
		expect(me.pickerValue("Backup")).toBe(first);
		me.pickerStep("Target", "Next");
		me.press("recoverPreview");
		const preview = me.resultOf("Recover (preview)");
		expect(preview).toMatch(`^Recover %(preview%) — done\nRecovery from ${first} %(preview%):\n  ${DEVELOPER}: preview, %+0 −1 → ${objectsAtFirst} objects`);
		expect(owned()).toBe(objectsAtFirst + 1);

		me.press("recover");
		expect(me.confirmation()).toBe(`Rebuild player ${DEVELOPER} from backup ${first}?`);
		me.answer("Yes");
		expect(me.resultOf("Recover")).toMatch(`^Recover — done\nRecovery from ${first}:\n  ${DEVELOPER}: recovered, %+0 −1 → ${objectsAtFirst} objects`);
		expect(owned()).toBe(objectsAtFirst);
		expect(lastAuditOf(systems.audit, DEVELOPER, "recover")!.args).toMatch(first);

		me.pickerStep("Target", "Previous");
		me.pickerStep("Backup", "Previous");
		me.pickerStep("Backup", "Previous");
		expect(me.pickerValue("Backup")).toBe("LATEST");
		systems.admin.configureRateLimit(AdminConfig.rateLimit.burst, AdminConfig.rateLimit.perSecond);
	});

	it("a typed user id names a player who is not on the server; anything but digits is stopped in the panel", () => {
		systems.admin.configureRateLimit(1000, 1000);
		const GONE = 777001;
		systemsOf(server).moderation.logAction({ time: os.time(), userId: GONE, action: "kick", rule: "inboundFlood", detail: "left since" });

		me.typeUserId("77a");
		expect(me.pickerValue("Target")).toBe("user id: digits only");
		const modlogs = auditCount(systems, "modlog");
		me.press("modlog");
		expect(me.resultOf("Mod log")).toBe("Mod log — not done\nThe user id must be digits only (a Roblox user id).");
		me.press("rollback");
		expect(me.confirmation()).toBeUndefined();
		expect(me.resultOf("Rollback")).toBe("Rollback — not done\nThe user id must be digits only (a Roblox user id).");
		expect(auditCount(systems, "modlog")).toBe(modlogs);

		me.typeUserId(`${GONE}`);
		expect(me.pickerValue("Target")).toBe(`user ${GONE} (typed)`);
		me.press("modlog");
		const log = me.resultOf("Mod log");
		expect(log).toMatch(`^Mod log — done\nModeration log:\n  .+ ${GONE} kick inboundFlood: left since$`);
		expect(lastAuditOf(systems.audit, DEVELOPER, "modlog")!.args).toMatch(`${GONE}`);

		// Rollback and recover rebuild a loaded build: the server says why a player who is not here cannot be.
		me.press("rollback");
		expect(me.confirmation()).toMatch(`^Roll player ${GONE} back to `);
		me.answer("Yes");
		expect(me.resultOf("Rollback")).toBe(`Rollback — not done\nRefused (Failed): player ${GONE}'s build is not loaded on this server`);
		me.press("recoverPreview");
		expect(me.resultOf("Recover (preview)")).toBe(
			`Recover (preview) — done\nRecovery from LATEST (preview):\n  ${GONE}: notLoaded, +0 −0 → 0 objects. player ${GONE}'s build is not loaded on this server`,
		);

		me.typeUserId("");
		expect(me.pickerValue("Target")).toBe("every player");
		systems.admin.configureRateLimit(AdminConfig.rateLimit.burst, AdminConfig.rateLimit.perSecond);
	});

	it("reads as many audit entries as the Audit picker says", () => {
		// More than 50 audited calls, so both counts answer in full (a person clicks slower: the rate limit is lifted here).
		systems.admin.configureRateLimit(1000, 1000);
		while (systems.audit.recent(500).size() < 55) {
			me.press("systemstatus");
			me.resultOf("Status");
			Headless.frames(1);
		}
		const entriesIn = (title: string) => {
			const lines = me.resultOf(title).split("\n");
			expect(lines[0]).toBe("Audit — done");
			return lines.size() - 2;
		};
		expect(me.pickerValue("Audit")).toBe("last 20 entries");
		me.press("audit");
		expect(entriesIn("Audit")).toBe(20);
		me.pickerStep("Audit", "Next");
		expect(me.pickerValue("Audit")).toBe("last 50 entries");
		me.press("audit");
		expect(entriesIn("Audit")).toBe(50);
		expect(lastAuditOf(systems.audit, DEVELOPER, "audit")!.args).toMatch("50");
		me.pickerStep("Audit", "Next");
		expect(me.pickerValue("Audit")).toBe("last 100 entries");
		me.pickerStep("Audit", "Next");
		expect(me.pickerValue("Audit")).toBe("last 20 entries");
		systems.admin.configureRateLimit(AdminConfig.rateLimit.burst, AdminConfig.rateLimit.perSecond);
	});

	it("runs every command from its button and shows the answer a person expects in this setup", () => {
		// A person clicks slower than a spec: this test lifts the rate limit to press every button in a row.
		systems.admin.configureRateLimit(1000, 1000);
		me.pickerStep("Target", "Next");
		expect(me.pickerValue("Target")).toBe(`Developer (${DEVELOPER})`);
		// The choices every button is pressed with: the picker still says 6 h back, a message is typed, this server.
		expect(me.pickerValue("Since")).toBe("6 h ago");
		expect(me.pickerValue("Scope")).toBe("this server");
		expect(me.pickerValue("Backup")).toBe("LATEST");
		expect(me.pickerValue("System")).toBe("dataBackup");
		const jobId = server.game.JobId.gsub("%p", "%%%0")[0];
		// What the panel shows for each button (Lua patterns, from the start of the result box).
		const expected: Record<string, string> = {
			systemstatus: "Status — done\nSystem Status: %u+ %(%a+%) — 1 player, %d+ objects\n  dataBackup: ",
			systemreport: "Report — done\nReport of .+ UTC: ",
			fleet: `Fleet — done\nServers:\n  ${jobId}: `,
			alerts: "Alerts — done\nAlerts:",
			modlog: "Mod log — done\nModeration log",
			audit: "Audit — done\nAudit:\n  ",
			preflight: "Preflight — done\nPreflight:\n  ",
			recoverPreview: `Recover %(preview%) — done\nRecovery from LATEST %(preview%):\n  ${DEVELOPER}: preview, `,
			announce: "Announce — done\nAnnounced to 1 player$",
			forcebackup: "Backup — done\nBackup [^\n]*%(incremental%)",
			forcebackupFull: "Full backup — done\nBackup %d+_%d+ %(full%): 1 player",
			recover: `Recover — done\nRecovery from LATEST:\n  ${DEVELOPER}: recovered, `,
			// Nothing is 6 h old in a world a few minutes old: the server refuses and says why.
			rollback: `Rollback — not done\nRefused %(Failed%): player ${DEVELOPER}'s profile has no version at or before %d+$`,
			forcecleanup: "Cleanup — done\nCleanup: [%d.]+ MB → [%d.]+ MB",
			restartsystem: "Restart system — done\nRestart dataBackup: done",
			emergencyOn: "Emergency on — done\nEmergency mode ON: Restart at noon\nemergency backup %d+_%d+ stored$",
			emergencyOff: "Emergency off — done\nEmergency mode off$",
		};
		const name = me.client.localPlayer()!.Name;
		const { PANEL_COMMANDS } = me.client.requirePath(`Players.${name}.PlayerScripts.TS.admin-panel.panel-commands`) as typeof PanelCommandsModule;
		for (const command of PANEL_COMMANDS) {
			// Maintenance removes the player: its own test below.
			if (command.id === "maintenance") continue;
			const calls = auditCount(systems, command.name);
			me.press(command.id);
			if (command.destructive) {
				expect(me.confirmation()).toBeDefined();
				me.answer("Yes");
			}
			const result = me.resultOf(command.label);
			expect(`${command.id}: ${auditCount(systems, command.name)}`).toBe(`${command.id}: ${calls + 1}`);
			const pattern = expected[command.id];
			expect(`${command.id}: ${pattern !== undefined}`).toBe(`${command.id}: true`);
			const matched = result.match(`^${pattern}`)[0] !== undefined;
			expect(`${command.id}: ${matched ? "as expected" : result}`).toBe(`${command.id}: as expected`);
		}
		me.pickerStep("Target", "Previous");
		systems.admin.configureRateLimit(AdminConfig.rateLimit.burst, AdminConfig.rateLimit.perSecond);
	});

	it("reopened at once, shows the figures it has instead of spending the admin's rate limit on them again", () => {
		Headless.seconds(AdminPanelConfig.refreshSeconds + 1);
		for (let index = 0; index < 2; index++) {
			me.toggle();
			me.toggle();
		}
		expect(me.isOpen()).toBe(true);
		Headless.seconds(1);
		for (const section of ["Status", "Report", "Fleet"] as const) expect(me.text(section)).never.toMatch("RateLimited");
		me.press("systemstatus");
		expect(me.resultOf("Status")).toMatch("^Status — done");
	});

	it("closes with the key and stops asking the server", () => {
		me.toggle();
		expect(me.isOpen()).toBe(false);
		const asked = auditCount(systems, "systemstatus");
		Headless.seconds(AdminPanelConfig.refreshSeconds + 1);
		expect(auditCount(systems, "systemstatus")).toBe(asked);
	});

	it("maintenance from the panel backs up, answers, then removes the player with the maintenance message", () => {
		me.toggle();
		Headless.seconds(3);
		me.typeMessage("Back at 13:00");
		me.press("maintenance");
		me.answer("Yes");
		const result = me.resultOf("Maintenance");
		expect(result).toMatch("Maintenance — done\nMaintenance: emergency backup .+; removing 1 player");
		Headless.seconds(AdminConfig.maintenanceKickDelay + 1);
		expect(me.client.kickReason()).toBe(`${kickMessage(KickReason.Maintenance)} Back at 13:00`);
	});
});

describe("who sees the admin panel", () => {
	const world = new World();
	let server: HeadlessServer;
	afterAll(() => world.stop());

	beforeAll(() => {
		server = startAdminServer(world).server;
	});

	it("a visitor never gets the panel, and the key does nothing", () => {
		const visitor = new PanelSession(joinAs(world, server, "none").client);
		expect(visitor.panel()).toBeUndefined();
		visitor.toggle();
		Headless.seconds(1);
		expect(visitor.panel()).toBeUndefined();
	});

	it("an admin sees every command but the owner's", () => {
		const admin = new PanelSession(joinAs(world, server, "admin").client);
		admin.toggle();
		const shown = admin.visibleCommands();
		expect(shown).toContain("forcebackup");
		expect(shown).toContain("rollback");
		for (const ownerOnly of ["maintenance", "emergencyOn", "emergencyOff", "restartsystem"]) expect(shown).never.toContain(ownerOnly);
		expect(admin.pickerShown("System")).toBe(false);
		expect(admin.shown("Report")).toBe(true);
	});

	it("a moderator sees only the commands their role allows", () => {
		const moderator = new PanelSession(joinAs(world, server, "moderator").client);
		moderator.toggle();
		expect(moderator.isOpen()).toBe(true);
		expect(moderator.text("Title")).toMatch("moderator");
		expect(moderator.visibleCommands()).toEqual(["alerts", "modlog", "systemstatus"]);
		expect(moderator.shown("Report")).toBe(false);
		expect(moderator.shown("Fleet")).toBe(false);
		expect(moderator.pickerShown("Target")).toBe(true);
		expect(moderator.pickerShown("Since")).toBe(false);
		expect(moderator.pickerShown("System")).toBe(false);
		expect(moderator.pickerShown("Scope")).toBe(false);
		expect(moderator.messageShown()).toBe(false);
		waitUntil(() => moderator.text("Status").find("Overall:", 1, true)[0] !== undefined, 10, "the status");
		Headless.seconds(2);
		moderator.press("modlog");
		expect(moderator.resultOf("Mod log")).toMatch("Mod log — done\nModeration log");
	});
});

describe("when a role is taken away", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("the open panel closes and its key stops working", () => {
		const owned = startAdminServer(world, { privateServerId: "vip-14", privateServerOwnerId: 4446 });
		const client = world.join(owned.server, { userId: 4446, name: "Host" });
		const controller = adminControllerOf(client);
		waitUntil(() => controller.currentAccess().role === "moderator", 10, "the host's access");
		const host = new PanelSession(client);
		host.toggle();
		expect(host.isOpen()).toBe(true);
		expect(host.visibleCommands()).toEqual(["alerts", "modlog", "systemstatus"]);

		owned.systems.roles.configure({ privateServerOwnerIsModerator: false });
		waitUntil(() => controller.currentAccess().role === "none", 10, "the host's new access");
		Headless.frames(2);
		expect(host.isOpen()).toBe(false);
		host.toggle();
		expect(host.isOpen()).toBe(false);
	});
});
