import { Controller, OnStart } from "@flamework/core";
import { ContextActionService, Players, UserInputService } from "@rbxts/services";
import { AdminController } from "client/admin/admin-controller";
import { AdminAccess, AdminCommand, AdminCommandName, AdminCommandOutcome, AdminRefusal, AdminResponse } from "shared/admin/admin-types";
import { formatOutcome, formatResponse } from "shared/admin/format-response";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { AdminConfig } from "shared/config/admin-config";
import { AdminPanelStore } from "./admin-panel-store";
import { FollowedFleet } from "./followed-fleet";
import { backupIdsIn } from "./panel-backups";
import { confirmationOf, PANEL_COMMANDS, PanelChoices, PanelCommand } from "./panel-commands";

const ACTION_TOGGLE = "AdminPanelToggle";
/** Early outcomes kept at most (only while a button's command waits for its answer). */
const MAX_EARLY = 8;
/** Commands sent to every server whose servers under way are still followed, at most. */
const MAX_FOLLOWED = 8;

/** The live sections: which command fills each. */
const SECTIONS = [
	["status", "systemstatus"],
	["report", "systemreport"],
	["fleet", "fleet"],
] as const;

/** The next element of `list` after (or before) `current`, wrapping around. */
export function cycle<T extends defined>(list: readonly T[], current: T, step: 1 | -1): T {
	const index = list.indexOf(current);
	const size = list.size();
	return list[(((index < 0 ? 0 : index + step) % size) + size) % size];
}

/**
 * The admin panel's input and actions: the toggle key (bound only for players whose role allows
 * any command), the live refresh while open, the pickers, and running commands through
 * AdminController with a confirmation before destructive ones. State lives in one AdminPanelStore.
 */
@Controller()
export class AdminPanelController implements OnStart {
	readonly store = new AdminPanelStore();
	private toggleBound = false;
	/** Bumped on every opening, so only the latest opening's refresh loop keeps going. */
	private opening = 0;
	/** When a refresh last asked for every live section (os.clock), -inf before the first time. */
	private refreshedAt = -math.huge;
	/** Sections that answered Unavailable in this opening: asked again only when the panel reopens. */
	private readonly unavailable = new Set<AdminCommandName>();
	/** The button label of each command the server answered "under way", by ticket. */
	private readonly underWay = new Map<number, string>();
	/** Outcomes that arrived before their "under way" answer was handled (they travel on different remotes). */
	private readonly early = new Map<number, AdminCommandOutcome>();
	/** The tables of commands sent to every server from a button that listed servers under way. */
	private readonly fleet = new FollowedFleet(MAX_FOLLOWED);

	constructor(private readonly admin: AdminController) {}

	onStart() {
		this.admin.accessChanged.Connect((access) => this.onAccess(access));
		this.admin.alertReceived.Connect((alert) => this.store.addAlert(alert));
		this.admin.commandFinished.Connect((outcome) => this.finished(outcome));
		this.onAccess(this.admin.currentAccess());
	}

	/** Opens or closes the panel, as the toggle key does (nothing for a player without a role). */
	toggle() {
		if (this.store.state().access.role === "none") return;
		const open = !this.store.state().open;
		this.store.setOpen(open);
		if (!open) return;
		this.opening += 1;
		this.unavailable.clear();
		const opening = this.opening;
		const wanted = () => this.store.state().open && this.opening === opening;
		task.spawn(() => {
			// Reopened soon after the last refresh: the sections still show it, and asking again now
			// would spend the admin's own rate limit (shared with the buttons) on the same figures.
			const sinceRefresh = os.clock() - this.refreshedAt;
			if (sinceRefresh < AdminPanelConfig.refreshSeconds) task.wait(AdminPanelConfig.refreshSeconds - sinceRefresh);
			else this.askAlertHistory();
			while (wanted()) {
				this.refresh(wanted);
				task.wait(AdminPanelConfig.refreshSeconds);
			}
		});
	}

	/**
	 * Asks again for every live section the role allows, while `wanted` (a section that is
	 * unavailable here is asked once per opening). A section refused by the rate limit keeps its
	 * last answer.
	 */
	refresh(wanted: () => boolean) {
		for (const [section, name] of SECTIONS) {
			if (!wanted()) return;
			if (!this.allows(name) || this.unavailable.has(name)) continue;
			const response = this.admin.run({ name } as AdminCommand);
			if (!response.ok && response.refusal === AdminRefusal.Unavailable) this.unavailable.add(name);
			// The section keeps its last answer until the outcome arrives (see finished).
			if (response.ok && response.name === "underWay") continue;
			if (!response.ok && response.refusal === AdminRefusal.RateLimited && this.store.state()[section] !== undefined) continue;
			this.store.setSection(section, response, DateTime.now().UnixTimestamp);
			this.store.noteBackups(backupIdsIn(response));
		}
		// Only a pass that asked for every section counts: a reopen after a cut-short one asks at once.
		this.refreshedAt = os.clock();
	}

	/** A command button was pressed: destructive commands ask first, the rest run at once. */
	press(commandId: string) {
		const command = PANEL_COMMANDS.find((entry) => entry.id === commandId);
		if (command === undefined || !this.allows(command.name) || this.store.state().running !== undefined) return;
		const choices = this.choices();
		const built = command.build(choices);
		if (typeIs(built, "string")) return this.store.setResult({ title: command.label, text: built, ok: false });
		if (command.destructive) return this.store.ask({ command, question: confirmationOf(command, choices), built });
		this.run(command, built);
	}

	/**
	 * The admin said yes: the command the question described runs. Not while another command
	 * waits for its answer (the question stays): the panel follows one command at a time.
	 */
	confirm() {
		if (this.store.state().running !== undefined) return;
		const confirmation = this.store.takeConfirmation();
		if (confirmation !== undefined) this.run(confirmation.command, confirmation.built);
	}

	cancel() {
		this.store.takeConfirmation();
	}

	/** Steps the player picker through every player and "every player". */
	cycleTarget(step: 1 | -1) {
		const targets = Players.GetPlayers().map((player) => player.UserId);
		const current = this.store.state().targetUserId;
		// Position 0 is "every player", then the players in order.
		const position = current === undefined ? 0 : targets.indexOf(current) + 1;
		const size = targets.size() + 1;
		const chosen = (((position + step) % size) + size) % size;
		this.store.setTarget(chosen === 0 ? undefined : targets[chosen - 1]);
	}

	cycleRollback(step: 1 | -1) {
		this.store.setRollbackMinutes(cycle(AdminPanelConfig.rollbackMinutes, this.store.state().rollbackMinutes, step));
	}

	toggleScope() {
		this.store.setScope(this.store.state().scope === "server" ? "all" : "server");
	}

	/** Steps the backup picker through LATEST and the backups the server's answers named. */
	cycleBackup(step: 1 | -1) {
		const state = this.store.state();
		this.store.setBackupTarget(cycle(["LATEST", ...state.backupIds], state.backupTarget, step));
	}

	/** Steps the audit count through the configured counts the server accepts. */
	cycleAuditCount(step: 1 | -1) {
		const counts = AdminPanelConfig.auditCounts.filter((count) => count <= AdminConfig.maxAuditRead);
		this.store.setAuditCount(cycle(counts, this.store.state().auditCount, step));
	}

	/** The User id box's text changed. */
	setUserIdText(text: string) {
		this.store.setUserIdText(text);
	}

	/** The message box's text changed. */
	setMessage(text: string) {
		this.store.setMessage(text);
	}

	cycleSystem(step: 1 | -1) {
		const status = this.store.state().status;
		if (status === undefined || !status.ok || status.name !== "systemstatus" || status.result.systems.size() === 0) return;
		const names = status.result.systems.map((system) => system.name);
		this.store.setSystem(cycle(names, this.store.state().system ?? names[0], step));
	}

	private run(command: PanelCommand, built: AdminCommand) {
		this.store.setRunning(command.label);
		task.spawn(() => {
			const response = this.admin.run(built);
			if (response.ok && response.name === "underWay") {
				this.store.setResult({ title: command.label, text: formatResponse(response), ok: false, underWay: true });
				const outcome = this.early.get(response.result.ticket);
				this.early.delete(response.result.ticket);
				if (outcome === undefined) this.underWay.set(response.result.ticket, command.label);
				else this.showOutcome(command.label, outcome);
				return;
			}
			const following = this.followFleet(command.label, response);
			this.store.setResult({ title: command.label, text: formatResponse(response), ok: response.ok, underWay: following });
			this.noteSection(command.name, response);
			this.store.noteBackups(backupIdsIn(response));
		});
	}

	/** Shows a finished command's outcome as the latest result, under the label it was started with. */
	private showOutcome(label: string, outcome: AdminCommandOutcome) {
		const following = this.followFleet(label, outcome.response);
		this.store.showOutcome({ title: label, text: formatOutcome(outcome), ok: outcome.response.ok, underWay: following });
	}

	/** Follows the table of a command sent to every server when it lists servers under way; true when it does. */
	private followFleet(label: string, response: AdminResponse): boolean {
		if (!response.ok || response.name !== "fleetCommand") return false;
		return this.fleet.follow(label, response.result);
	}

	/**
	 * A server listed under way in a button's table has finished (or was given up on): its row
	 * replaces its row in that table, which shows as the latest result, under way while any row is.
	 */
	private serverFinished(outcome: AdminCommandOutcome) {
		const response = outcome.response;
		if (!response.ok || response.name !== "fleetCommand") return;
		const followed = this.fleet.merge(response.result.commandId, response.result.servers);
		if (followed === undefined) return;
		const text = `${formatOutcome(outcome)}\n${formatResponse({ ok: true, name: "fleetCommand", result: followed.result })}`;
		this.store.showOutcome({ title: followed.label, text, ok: true, underWay: followed.underWay });
	}

	/** A command answered "under way" is done: a button's shows as the latest result, a section's fills it. */
	private finished(outcome: AdminCommandOutcome) {
		if (outcome.server !== undefined) return this.serverFinished(outcome);
		const label = this.underWay.get(outcome.ticket);
		this.underWay.delete(outcome.ticket);
		if (label !== undefined) this.showOutcome(label, outcome);
		else if (this.store.state().running !== undefined) {
			if (this.early.size() >= MAX_EARLY) this.early.clear();
			this.early.set(outcome.ticket, outcome);
		}
		this.noteSection(outcome.command, outcome.response);
		this.store.noteBackups(backupIdsIn(outcome.response));
	}

	/** A section's command run by hand updates that section too. */
	private noteSection(name: AdminCommandName, response: AdminResponse) {
		for (const [section, sectionName] of SECTIONS) {
			if (sectionName === name) this.store.setSection(section, response, DateTime.now().UnixTimestamp);
		}
		if (name === "alerts") this.store.setAlertHistory(response);
	}

	private askAlertHistory() {
		if (this.allows("alerts")) this.store.setAlertHistory(this.admin.run({ name: "alerts" }));
	}

	private allows(name: AdminCommandName): boolean {
		return this.store.state().access.commands.includes(name);
	}

	private choices(): PanelChoices {
		const state = this.store.state();
		const typed = state.typedUserId;
		return {
			targetUserId: typed.kind === "id" ? typed.userId : state.targetUserId,
			userIdProblem: typed.kind === "invalid" ? typed.problem : undefined,
			backupTarget: state.backupTarget,
			auditCount: state.auditCount,
			rollbackMinutes: state.rollbackMinutes,
			system: state.system,
			scope: state.scope,
			message: state.message,
			now: DateTime.now().UnixTimestamp,
		};
	}

	private onAccess(access: AdminAccess) {
		this.store.setAccess(access);
		const allowed = access.role !== "none" && access.commands.size() > 0;
		if (allowed === this.toggleBound) return;
		this.toggleBound = allowed;
		if (!allowed) return ContextActionService.UnbindAction(ACTION_TOGGLE);
		const touch = UserInputService.TouchEnabled;
		ContextActionService.BindAction(
			ACTION_TOGGLE,
			(_, state) => {
				if (state === Enum.UserInputState.Begin) this.toggle();
				return Enum.ContextActionResult.Sink;
			},
			touch,
			AdminPanelConfig.toggleKey,
			AdminPanelConfig.toggleButton,
		);
		if (!touch) return;
		ContextActionService.SetTitle(ACTION_TOGGLE, AdminPanelConfig.touchButton.title);
		ContextActionService.SetPosition(ACTION_TOGGLE, AdminPanelConfig.touchButton.position);
	}
}
