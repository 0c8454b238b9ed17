import { OnStart, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { ModerationService } from "server/moderation/moderation-service";
import { AlertService } from "server/operations/alert-service";
import { Events, Functions } from "server/network";
import { PerKeyRateLimiter } from "server/rate-limit/token-bucket";
import { SystemManager } from "server/system-manager/system-manager";
import { formatArguments } from "shared/admin/chat-syntax";
import { AdminAlert, AdminCommand, AdminCommandOutcome, AdminRefusal, AdminResponse, AdminStanding, FleetAnswer, refusalMessage } from "shared/admin/admin-types";
import { AdminConfig, AuditConfig } from "shared/config/admin-config";
import { inboundGate } from "server/inbound-gate/gated-server";
import { AdminOperations, operationsOf } from "./admin-operations";
import { AdminRoleService } from "./admin-role-service";
import { commandsFor } from "./admin-roles";
import { AuditService } from "./audit-service";
import { keyOf } from "./command-lanes";
import { EVERY_SERVER_PROGRESS, progressOf, sentToEveryServer } from "./command-progress";
import { CommandRunner, FleetCommand, summarize } from "./command-runner";
import { problemWith } from "./command-validation";
import { FleetOrigin, FleetCommandService, FleetOutcome } from "./fleet-command-service";
import { withFilteredText } from "./text-filter";
import { busyMessage, lateNote, lateOutcomeOf, outcomeOf, secondsBetween, Ticket, underWayReply, UnderWayCommands } from "./under-way";
import { waitForOutcome, whenNoOutcome } from "./wait-for-outcome";
import { storableText } from "shared/text/utf8-text";

const ADMIN_REMOTE = "adminCommand";

const FILTER_FAILED = "the text could not be filtered, so nothing was shown";

/** A response as the audit records it, `late` said after its outcome's first word. */
function summarizeOutcome(response: AdminResponse, late: string): string {
	return response.ok ? `ok${late}: ${summarize(response)}` : `${response.refusal}${late}: ${response.message}`;
}

/**
 * The admin commands' front door: every call is rate-limited per caller, checked against the
 * caller's role (deny by default), range-checked, run, and audited whatever the outcome. A
 * command still working after `underWayAfterSeconds` is answered with what it has done so far
 * and its outcome is sent when it is done (see UnderWayCommands for repeats meanwhile); so is the
 * final answer of each server a command sent to every server listed under way in its table (to
 * the caller and to whoever joined that command), or that it gave none in time. A command with
 * no outcome after `laneStuckAfterSeconds` (its work hangs) is let go: its lane takes other
 * commands again, it is audited and answered as giving no outcome, and what it returns later is
 * only audited as a late note.
 */
@Service()
export class AdminService implements OnStart {
	private limiter = new PerKeyRateLimiter<number>(AdminConfig.rateLimit.burst, AdminConfig.rateLimit.perSecond);
	private readonly runner: CommandRunner;
	private readonly operations: AdminOperations;
	private readonly underWay = new UnderWayCommands<Player>();

	constructor(
		private readonly roles: AdminRoleService,
		private readonly audit: AuditService,
		private readonly fleet: FleetCommandService,
		systems: SystemManager,
		moderation: ModerationService,
		private readonly alerts: AlertService,
	) {
		this.operations = operationsOf(systems);
		this.runner = new CommandRunner(systems, this.operations, moderation, audit, (command, caller, late) =>
			this.fleet.sendToAll(command, caller, this.roles.roleOf(caller), late),
		);
	}

	onStart() {
		Functions.adminCommand.setCallback((player, command) => this.execute(player, command));
		// The inbound gate answers refused calls before this service sees them; they are audited here.
		inboundGate.onRefused((player, refusal) => {
			if (refusal.remote !== ADMIN_REMOTE) return;
			if (refusal.verdict === "malformed") this.refuseMalformed(player, refusal.argValue);
			else if (refusal.verdict === "rateLimited") this.refuse(player, this.roles.roleOf(player), "?", "(flood)", AdminRefusal.RateLimited);
		});
		this.fleet.handle({
			run: (command, from) => this.runFromFleet(command, from),
			progress: (command) => progressOf(command, this.progressFacts()),
		});
		this.alerts.raised.Connect((alert) => this.alert(alert));
		Players.PlayerAdded.Connect((player) => this.sendAccess(player));
		for (const player of Players.GetPlayers()) task.spawn(() => this.sendAccess(player));
		Players.PlayerRemoving.Connect((player) => this.limiter.forget(player.UserId));
		this.roles.changed.Connect(() => {
			for (const player of Players.GetPlayers()) task.spawn(() => this.sendAccess(player));
		});
	}

	/** Runs one command for `caller` and answers; the single path chat and remotes share. */
	execute(caller: Player, command: AdminCommand): AdminResponse {
		// Made storable where it is kept: the audit (AuditService.record) and the ticket below.
		const args = formatArguments(command);
		// Roles are remembered per player, so a flood of calls costs a bucket check, a map
		// lookup and one folded audit entry.
		const role = this.roles.roleOf(caller);
		if (!this.limiter.tryTake(caller.UserId, os.clock())) return this.refuse(caller, role, command.name, args, AdminRefusal.RateLimited);
		if (!this.roles.mayRun(caller, command.name)) return this.refuse(caller, role, command.name, args, AdminRefusal.NotAllowed);
		const problem = problemWith(command);
		if (problem !== undefined) return this.refuse(caller, role, command.name, args, AdminRefusal.InvalidArguments, problem);
		const claim = this.underWay.claim(keyOf(command), command, storableText(args, AuditConfig.maxArgsLength), { name: caller.Name }, os.clock());
		const ticket = claim.ticket;
		if (claim.kind === "busy") return this.refuse(caller, role, command.name, args, AdminRefusal.Busy, busyMessage(ticket, os.clock()));
		if (claim.kind === "started") task.spawn(() => this.work(ticket, caller, role));
		else {
			this.underWay.join(ticket, caller);
			this.record(caller, role, command.name, args, true, `joined: the same command by ${ticket.startedBy.name} was under way, not run again`);
		}
		waitForOutcome(this.underWay, ticket, AdminConfig.underWayAfterSeconds);
		if (ticket.response !== undefined) return ticket.response;
		this.underWay.owe(ticket, caller);
		const progress = sentToEveryServer(ticket.command) ? EVERY_SERVER_PROGRESS : progressOf(ticket.command, this.progressFacts());
		return underWayReply(ticket, progress, claim.kind === "joined", os.clock());
	}

	/** Replaces the per-caller rate limit (every caller starts with a full bucket). */
	configureRateLimit(burst: number, perSecond: number) {
		this.limiter = new PerKeyRateLimiter<number>(burst, perSecond);
	}

	/** Sends an alert to every player whose role may read alerts (every operations alert comes here). */
	alert(alert: AdminAlert) {
		for (const player of Players.GetPlayers()) {
			if (this.roles.mayRun(player, "alerts")) Events.adminAlert.fire(player, alert);
		}
	}

	/** Tells a player their role and commands (again, e.g. after a role change). */
	sendAccess(player: Player) {
		const role = this.roles.roleOf(player);
		if (player.Parent === undefined) return;
		Events.adminAccess.fire(player, { role, commands: commandsFor(role, AdminConfig.minimumRole) });
	}

	/** Runs a claimed command, audits its outcome and sends it to whoever was answered "under way". */
	private work(ticket: Ticket<Player>, caller: Player, role: AdminStanding) {
		whenNoOutcome(this.underWay, ticket, AdminConfig.laneStuckAfterSeconds, () => this.letGo(ticket, caller, role));
		const shown = withFilteredText(caller, ticket.command);
		let response: AdminResponse;
		if (shown === undefined) response = { ok: false, refusal: AdminRefusal.Failed, message: FILTER_FAILED };
		else {
			const [ok, answer] = pcall(() => this.runner.run(caller, shown, (late, commandId) => this.sendLate(ticket, caller, commandId, late)));
			response = ok ? answer : { ok: false, refusal: AdminRefusal.Failed, message: `the command failed: ${answer}` };
		}
		const now = os.clock();
		if (ticket.stuckAfter !== undefined) {
			// Already audited and answered as giving no outcome; its lane may hold another command now.
			this.record(caller, role, ticket.command.name, ticket.args, shown !== undefined, lateNote(ticket, summarizeOutcome(response, ""), now));
			return;
		}
		const late = ticket.owed.includes(caller) ? ` (answered under way, done after ${secondsBetween(ticket.startedAt, now)} s)` : "";
		// It ran (allowed, whatever its own outcome) unless the text could not be filtered.
		this.record(caller, role, ticket.command.name, ticket.args, shown !== undefined, summarizeOutcome(response, late));
		this.tell(ticket, this.underWay.finish(ticket, response, now));
	}

	/** A command whose work gave no outcome in time: its lane takes other commands, and it is audited and answered so. */
	private letGo(ticket: Ticket<Player>, caller: Player, role: AdminStanding) {
		const owed = this.underWay.letGo(ticket, AdminConfig.laneStuckAfterSeconds, os.clock());
		const response = ticket.response;
		if (response === undefined) return;
		const late = ticket.owed.includes(caller) ? " (answered under way)" : "";
		this.record(caller, role, ticket.command.name, ticket.args, true, summarizeOutcome(response, late));
		this.tell(ticket, owed);
	}

	/** Sends the finished ticket's outcome to whoever is owed it. */
	private tell(ticket: Ticket<Player>, owed: readonly Player[]) {
		if (owed.isEmpty()) return;
		this.sendOutcome(ticket, owed, outcomeOf(ticket, ticket.response!));
	}

	/** Sends `outcome` of `ticket` to each of `players` still here and still allowed to run its command. */
	private sendOutcome(ticket: Ticket<Player>, players: readonly Player[], outcome: AdminCommandOutcome) {
		for (const player of players) {
			if (player.Parent !== undefined && this.roles.mayRun(player, ticket.command.name)) Events.adminCommandFinished.fire(player, outcome);
		}
	}

	/** What the operations layer tells of work under way (an emergency's backup), for progress texts. */
	private progressFacts() {
		return this.operations.progressFacts?.() ?? {};
	}

	/**
	 * One server's final answer to a command sent to every server, after the table listed it under
	 * way: sent to everyone who got that table (the caller and whoever joined the command).
	 */
	private sendLate(ticket: Ticket<Player>, caller: Player, commandId: string, answer: FleetAnswer) {
		this.sendOutcome(ticket, this.underWay.answeredOf(ticket, caller), lateOutcomeOf(ticket, commandId, answer, os.clock()));
	}

	private runFromFleet(command: FleetCommand, from: FleetOrigin): FleetOutcome {
		// Made storable where every entry is (AuditService.record).
		const args = `${formatArguments(command)} (from ${from.origin})`;
		const problem = problemWith(command);
		const response: AdminResponse =
			problem !== undefined ? { ok: false, refusal: AdminRefusal.InvalidArguments, message: problem } : this.runner.runHere(command, true);
		const summary = summarize(response);
		this.audit.record({
			time: AuditService.now(),
			jobId: game.JobId,
			userId: from.callerId,
			userName: from.callerName,
			role: from.callerRole,
			command: command.name,
			args,
			allowed: problem === undefined,
			result: summarizeOutcome(response, ""),
			repeats: 0,
		});
		return { ok: response.ok, summary };
	}

	/** Audited under "?", the name it claimed in its arguments: a client varying it cannot spread its refusals over many entries. */
	private refuseMalformed(player: Player, payload: unknown) {
		const name = typeIs(payload, "table") ? (payload as { name?: unknown }).name : undefined;
		const args = typeIs(name, "string") ? `(malformed payload: ${name})` : "(malformed payload)";
		this.refuse(player, this.roles.roleOf(player), "?", args, AdminRefusal.InvalidArguments);
	}

	private refuse(caller: Player, role: AdminStanding, command: string, args: string, refusal: AdminRefusal, detail?: string): AdminResponse {
		const message = detail ?? refusalMessage(refusal);
		this.record(caller, role, command, args, false, detail === undefined ? refusal : `${refusal}: ${detail}`);
		return { ok: false, refusal, message };
	}

	private record(caller: Player, role: AdminStanding, command: string, args: string, allowed: boolean, result: string) {
		this.audit.record({
			time: AuditService.now(),
			jobId: game.JobId,
			userId: caller.UserId,
			userName: caller.Name,
			role,
			command,
			args,
			allowed,
			result,
			repeats: 0,
		});
	}
}
