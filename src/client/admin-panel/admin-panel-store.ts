import Signal from "@rbxts/signal";
import { AdminAccess, AdminCommand, AdminResponse, AdminScope, AlertLine } from "shared/admin/admin-types";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { rememberBackups } from "./panel-backups";
import { PanelCommand } from "./panel-commands";
import { parseUserId, TypedUserId } from "./panel-user-id";

/** A command's answer as the panel shows it. */
export interface PanelResult {
	readonly title: string;
	readonly text: string;
	readonly ok: boolean;
	/** The server answered that the command is still under way; its outcome replaces this when it comes. */
	readonly underWay?: boolean;
}

/** A destructive command waiting for the admin's yes or no. */
export interface PendingConfirmation {
	readonly command: PanelCommand;
	readonly question: string;
	/** Exactly what runs on yes (built when asked, so the pickers cannot change it in between). */
	readonly built: AdminCommand;
}

/** Everything the admin panel shows, in one place. */
export interface PanelState {
	open: boolean;
	access: AdminAccess;
	/** The latest answers of the live sections (undefined until asked). */
	status: AdminResponse | undefined;
	report: AdminResponse | undefined;
	fleet: AdminResponse | undefined;
	/** Unix seconds of the latest refresh. */
	refreshedAt: number | undefined;
	/** Alerts pushed by the server while this client ran, newest first. */
	alerts: AlertLine[];
	/** What the server's alert ring buffer answered when the panel opened. */
	alertHistory: AdminResponse | undefined;
	confirmation: PendingConfirmation | undefined;
	/** The label of the command waiting for the server's answer. */
	running: string | undefined;
	result: PanelResult | undefined;
	/** The pickers: a player (undefined: every player), a rollback age, a system. */
	targetUserId: number | undefined;
	rollbackMinutes: number;
	system: string | undefined;
	scope: AdminScope;
	/** The typed message, trimmed; undefined when empty. */
	message: string | undefined;
	/** The User id box: when it holds an id, modlog, recover and rollback act on it instead of the player picker. */
	typedUserId: TypedUserId;
	/** The backup `recover` reads: LATEST or one of `backupIds`. */
	backupTarget: string;
	/** Backup ids the server's answers named, newest first. */
	backupIds: string[];
	/** How many entries `audit` asks for. */
	auditCount: number;
}

/** The one store of the admin panel's state; every change fires `changed` once. */
export class AdminPanelStore {
	readonly changed = new Signal<(state: Readonly<PanelState>) => void>();
	private readonly current: PanelState = {
		open: false,
		access: { role: "none", commands: [] },
		status: undefined,
		report: undefined,
		fleet: undefined,
		refreshedAt: undefined,
		alerts: [],
		alertHistory: undefined,
		confirmation: undefined,
		running: undefined,
		result: undefined,
		targetUserId: undefined,
		rollbackMinutes: AdminPanelConfig.rollbackMinutes[1],
		system: undefined,
		scope: "server",
		message: undefined,
		typedUserId: { kind: "empty" },
		backupTarget: "LATEST",
		backupIds: [],
		auditCount: AdminPanelConfig.auditCounts[0],
	};

	state(): Readonly<PanelState> {
		return this.current;
	}

	/** The server's word on the player's role; a player without one cannot keep the panel open. */
	setAccess(access: AdminAccess) {
		this.current.access = access;
		if (access.role === "none") {
			this.current.open = false;
			this.current.confirmation = undefined;
		}
		this.emit();
	}

	setOpen(open: boolean) {
		if (this.current.open === open) return;
		this.current.open = open;
		if (!open) this.current.confirmation = undefined;
		this.emit();
	}

	/** Records a live section's answer (a refusal replaces it too: the panel shows what the server said). */
	setSection(section: "status" | "report" | "fleet", response: AdminResponse, now: number) {
		this.current[section] = response;
		this.current.refreshedAt = now;
		if (section === "status" && response.ok && response.name === "systemstatus" && this.current.system === undefined) {
			this.current.system = response.result.systems[0]?.name;
		}
		this.emit();
	}

	addAlert(alert: AlertLine) {
		this.current.alerts.unshift(alert);
		while (this.current.alerts.size() > AdminPanelConfig.maxAlerts) this.current.alerts.pop();
		this.emit();
	}

	setAlertHistory(response: AdminResponse) {
		this.current.alertHistory = response;
		this.emit();
	}

	ask(confirmation: PendingConfirmation) {
		this.current.confirmation = confirmation;
		this.emit();
	}

	/** Takes the pending confirmation away and returns it. */
	takeConfirmation(): PendingConfirmation | undefined {
		const confirmation = this.current.confirmation;
		this.current.confirmation = undefined;
		this.emit();
		return confirmation;
	}

	setRunning(label: string | undefined) {
		this.current.running = label;
		this.emit();
	}

	setResult(result: PanelResult) {
		this.current.running = undefined;
		this.current.result = result;
		this.emit();
	}

	/** The outcome of a command answered earlier as under way (a command waiting for its answer keeps waiting). */
	showOutcome(result: PanelResult) {
		this.current.result = result;
		this.emit();
	}

	setTarget(userId: number | undefined) {
		this.current.targetUserId = userId;
		this.emit();
	}

	setRollbackMinutes(minutes: number) {
		this.current.rollbackMinutes = minutes;
		this.emit();
	}

	setSystem(system: string | undefined) {
		this.current.system = system;
		this.emit();
	}

	setScope(scope: AdminScope) {
		this.current.scope = scope;
		this.emit();
	}

	setMessage(text: string) {
		const trimmed = text.gsub("^%s+", "")[0].gsub("%s+$", "")[0];
		const message = trimmed === "" ? undefined : trimmed;
		if (message === this.current.message) return;
		this.current.message = message;
		this.emit();
	}

	/** The User id box's text changed. */
	setUserIdText(text: string) {
		this.current.typedUserId = parseUserId(text);
		this.emit();
	}

	setBackupTarget(target: string) {
		this.current.backupTarget = target;
		this.emit();
	}

	/** Adds backup ids an answer named (a change only when one is new). */
	noteBackups(ids: readonly string[]) {
		const merged = rememberBackups(this.current.backupIds, ids, AdminPanelConfig.maxKnownBackups);
		if (merged.join(",") === this.current.backupIds.join(",")) return;
		this.current.backupIds = merged;
		this.emit();
	}

	setAuditCount(count: number) {
		this.current.auditCount = count;
		this.emit();
	}

	private emit() {
		this.changed.Fire(this.current);
	}
}
