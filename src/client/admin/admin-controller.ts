import { Controller, OnStart } from "@flamework/core";
import { NetworkingFunctionError } from "@flamework/networking";
import Signal from "@rbxts/signal";
import { Events, Functions } from "client/network";
import {
	AdminAccess,
	AdminAlert,
	AdminCommand,
	AdminCommandOutcome,
	AdminRefusal,
	AdminReply,
	AdminResponse,
	AdminResults,
	FleetCommandResult,
	refusalMessage,
} from "shared/admin/admin-types";
import { formatOutcome, formatResponse } from "shared/admin/format-response";
import { AdminChat } from "./admin-chat";

type Named = AdminResponse & { ok: true };

/** Each answer's result by name: a command's own, or the per-server table of one sent to every server. */
type Answers = AdminResults & { fleetCommand: FleetCommandResult };

/**
 * The client side of the admin commands: one typed method per command (each yields for the
 * server's answer), the player's role and allowed commands, signals for alerts and for the
 * outcome of commands answered while still under way, and the chat commands for the commands
 * the player's role allows.
 */
@Controller()
export class AdminController implements OnStart {
	/** A monitoring alert pushed by the server (only players whose role may read alerts get them). */
	readonly alertReceived = new Signal<(alert: AdminAlert) => void>();
	/** An admin announced something to everyone on the server. */
	readonly announcementReceived = new Signal<(message: string) => void>();
	/** The server told this player their role and commands. */
	readonly accessChanged = new Signal<(access: AdminAccess) => void>();
	/** A command this player was answered "under way" for is done (the ticket names it). */
	readonly commandFinished = new Signal<(outcome: AdminCommandOutcome) => void>();

	private access: AdminAccess = { role: "none", commands: [] };
	private readonly chat = new AdminChat((command) => this.run(command));

	onStart() {
		Events.adminAccess.connect((access) => {
			this.access = access;
			this.chat.offer(access.commands);
			this.accessChanged.Fire(access);
		});
		Events.adminAlert.connect((alert) => {
			this.alertReceived.Fire(alert);
			this.chat.show(`[${alert.severity}] ${alert.system}: ${alert.message}`);
		});
		Events.adminAnnouncement.connect((message) => {
			this.announcementReceived.Fire(message);
			this.chat.show(`[Announcement] ${message}`);
		});
		Events.adminCommandFinished.connect((outcome) => {
			this.commandFinished.Fire(outcome);
			this.chat.show(formatOutcome(outcome));
		});
	}

	/** The player's role and the commands it allows, as the server last said. */
	currentAccess(): AdminAccess {
		return this.access;
	}

	systemStatus() {
		return this.expect({ name: "systemstatus" }, "systemstatus");
	}
	systemReport() {
		return this.expect({ name: "systemreport" }, "systemreport");
	}
	forceCleanup() {
		return this.expect({ name: "forcecleanup" }, "forcecleanup");
	}
	forceBackup(full = false) {
		return this.expect({ name: "forcebackup", full, scope: "server" }, "forcebackup");
	}
	forceBackupEverywhere(full = false) {
		return this.expect({ name: "forcebackup", full, scope: "all" }, "fleetCommand");
	}
	recover(target: "LATEST" | string, userId: number | "all", preview = false) {
		return this.expect({ name: "recover", target, userId: userId === "all" ? undefined : userId, preview }, "recover");
	}
	rollback(userId: number, unixTime: number) {
		return this.expect({ name: "rollback", userId, unixTime }, "rollback");
	}
	restartSystem(system: string) {
		return this.expect({ name: "restartsystem", system }, "restartsystem");
	}
	emergency(on: boolean, reason?: string) {
		return this.expect({ name: "emergency", on, reason, scope: "server" }, "emergency");
	}
	emergencyEverywhere(on: boolean, reason?: string) {
		return this.expect({ name: "emergency", on, reason, scope: "all" }, "fleetCommand");
	}
	maintenance(message?: string) {
		return this.expect({ name: "maintenance", message, scope: "server" }, "maintenance");
	}
	maintenanceEverywhere(message?: string) {
		return this.expect({ name: "maintenance", message, scope: "all" }, "fleetCommand");
	}
	modLog(userId?: number) {
		return this.expect({ name: "modlog", userId }, "modlog");
	}
	fleet() {
		return this.expect({ name: "fleet" }, "fleet");
	}
	preflight() {
		return this.expect({ name: "preflight" }, "preflight");
	}
	alerts() {
		return this.expect({ name: "alerts" }, "alerts");
	}
	audit(count?: number) {
		return this.expect({ name: "audit", count }, "audit");
	}
	announce(message: string) {
		return this.expect({ name: "announce", message, scope: "server" }, "announce");
	}
	announceEverywhere(message: string) {
		return this.expect({ name: "announce", message, scope: "all" }, "fleetCommand");
	}

	/** Sends any command and yields for the raw answer (what chat commands use). */
	run(command: AdminCommand): AdminResponse {
		const [ok, response] = Functions.adminCommand.invoke(command).await();
		if (ok) return response;
		// The server may have run it: say so rather than that it was refused.
		if (response === NetworkingFunctionError.Timeout) return { ok: false, refusal: AdminRefusal.NoAnswer, message: refusalMessage(AdminRefusal.NoAnswer) };
		// The networking layer rejects a payload its guard refused before any system saw it.
		return { ok: false, refusal: AdminRefusal.InvalidArguments, message: "the server refused the request" };
	}

	/** The `name` answer's result; a refusal, an under-way answer or another answer is passed on as a reply that is not ok. */
	private expect<N extends keyof Answers>(command: AdminCommand, name: N): AdminReply<Answers[N]> {
		const response = this.run(command);
		if (!response.ok) return response;
		if (response.name === "underWay") return { ok: false, underWay: response.result, message: formatResponse(response) };
		if (response.name !== name) return { ok: false, refusal: AdminRefusal.Failed, message: `unexpected answer ${response.name}` };
		return { ok: true, result: (response as Named).result as Answers[N] };
	}
}
