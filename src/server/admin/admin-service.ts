import { OnStart, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { ModerationService } from "server/moderation/moderation-service";
import { AlertService } from "server/operations/alert-service";
import { Events, Functions } from "server/network";
import { PerKeyRateLimiter } from "server/rate-limit/token-bucket";
import { SystemManager } from "server/system-manager/system-manager";
import { formatArguments } from "shared/admin/chat-syntax";
import { AdminAlert, AdminCommand, AdminRefusal, AdminResponse, AdminStanding, refusalMessage } from "shared/admin/admin-types";
import { AdminConfig, AuditConfig } from "shared/config/admin-config";
import { inboundGate } from "server/inbound-gate/gated-server";
import { operationsOf } from "./admin-operations";
import { AdminRoleService } from "./admin-role-service";
import { commandsFor } from "./admin-roles";
import { AuditService } from "./audit-service";
import { CommandRunner, FleetCommand, summarize } from "./command-runner";
import { problemWith } from "./command-validation";
import { FleetOrigin, FleetCommandService } from "./fleet-command-service";
import { withFilteredText } from "./text-filter";

const ADMIN_REMOTE = "adminCommand";

/**
 * The admin commands' front door: every call is rate-limited per caller, checked against the
 * caller's role (deny by default), range-checked, run, and audited whatever the outcome.
 */
@Service()
export class AdminService implements OnStart {
	private limiter = new PerKeyRateLimiter<number>(AdminConfig.rateLimit.burst, AdminConfig.rateLimit.perSecond);
	private readonly runner: CommandRunner;

	constructor(
		private readonly roles: AdminRoleService,
		private readonly audit: AuditService,
		private readonly fleet: FleetCommandService,
		systems: SystemManager,
		moderation: ModerationService,
		private readonly alerts: AlertService,
	) {
		this.runner = new CommandRunner(systems, operationsOf(systems), moderation, audit, (command, caller) =>
			this.fleet.sendToAll(command, caller, this.roles.roleOf(caller)),
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
		this.fleet.handle((command, from) => this.runFromFleet(command, from));
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
		const args = formatArguments(command).sub(1, AuditConfig.maxArgsLength);
		// Roles are remembered per player, so a flood of calls costs a bucket check, a map
		// lookup and one folded audit entry.
		const role = this.roles.roleOf(caller);
		if (!this.limiter.tryTake(caller.UserId, os.clock())) return this.refuse(caller, role, command.name, args, AdminRefusal.RateLimited);
		if (!this.roles.mayRun(caller, command.name)) return this.refuse(caller, role, command.name, args, AdminRefusal.NotAllowed);
		const problem = problemWith(command);
		if (problem !== undefined) return this.refuse(caller, role, command.name, args, AdminRefusal.InvalidArguments, problem);
		const shown = withFilteredText(caller, command);
		if (shown === undefined) return this.refuse(caller, role, command.name, args, AdminRefusal.Failed, "the text could not be filtered, so nothing was shown");
		const [ok, response] = pcall(() => this.runner.run(caller, shown));
		const answer: AdminResponse = ok ? response : { ok: false, refusal: AdminRefusal.Failed, message: `the command failed: ${response}` };
		// It ran: allowed, whatever its own outcome (that is in the result).
		this.record(caller, role, command.name, args, true, answer.ok ? `ok: ${summarize(answer)}` : `${answer.refusal}: ${answer.message}`);
		return answer;
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

	private runFromFleet(command: FleetCommand, from: FleetOrigin) {
		const args = `${formatArguments(command)} (from ${from.origin})`.sub(1, AuditConfig.maxArgsLength);
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
			result: response.ok ? `ok: ${summary}` : summary,
			repeats: 0,
		});
		return { ok: response.ok, summary };
	}

	private refuseMalformed(player: Player, payload: unknown) {
		const name = typeIs(payload, "table") && typeIs((payload as { name?: unknown }).name, "string") ? (payload as { name: string }).name.sub(1, 20) : "?";
		this.refuse(player, this.roles.roleOf(player), name, "(malformed payload)", AdminRefusal.InvalidArguments);
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
			result: result.sub(1, AuditConfig.maxArgsLength),
			repeats: 0,
		});
	}
}
