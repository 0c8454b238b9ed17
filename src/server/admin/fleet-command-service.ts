import { OnStart, Service } from "@flamework/core";
import { HttpService, MessagingService } from "@rbxts/services";
import { AdminResponse, AdminStanding, FleetCommandResult } from "shared/admin/admin-types";
import { FleetViewService } from "server/operations/fleet-view-service";
import { FleetConfig } from "shared/config/admin-config";
import { FleetCommand } from "./command-runner";
import { FleetCollection, FleetMessage, SeenCommands, SUMMARY_LIMIT } from "./fleet-messages";

/** Who sent a command to every server, and from which server. */
export interface FleetOrigin {
	readonly callerId: number;
	readonly callerName: string;
	readonly callerRole: AdminStanding;
	readonly origin: string;
}

/** Runs a command that arrived from another server (or this one) and summarizes the outcome. */
export type FleetHandler = (command: FleetCommand, from: FleetOrigin) => { ok: boolean; summary: string };

/**
 * Sends admin commands to every server of the experience through MessagingService. Each
 * command has a unique id; every server (this one included) runs it once and answers on the
 * same topic; the caller gets a per-server table where servers that stayed silent for the
 * answer window are listed as such. The servers expected to answer are the fleet view's (the
 * MemoryStore sorted map every live server publishes to), so no presence traffic is needed;
 * when the view cannot be read, the servers heard from recently stand in for it.
 */
@Service()
export class FleetCommandService implements OnStart {
	private readonly lastSeen = new Map<string, number>();
	private readonly seen = new SeenCommands(FleetConfig.seenCommandSeconds);
	private readonly collecting = new Map<string, FleetCollection>();
	private handler?: FleetHandler;
	private subscribed = false;

	constructor(private readonly view: FleetViewService) {}

	onStart() {
		this.lastSeen.set(game.JobId, os.clock());
		const [ok] = pcall(() =>
			MessagingService.SubscribeAsync(FleetConfig.topic, (message) => this.receive((message as { Data: FleetMessage }).Data)),
		);
		this.subscribed = ok;
		if (!ok) warn("FleetCommandService: could not subscribe; commands for every server will only run here");
	}

	/** Sets what runs a command that arrives for this server. */
	handle(handler: FleetHandler) {
		this.handler = handler;
	}

	/** The servers expected to answer: every live one in the fleet view, this one included. */
	liveServers(): Set<string> {
		const live = new Set<string>([game.JobId]);
		const [ok, entries] = pcall(() => this.view.getFleetStatus());
		if (ok) {
			for (const entry of entries) live.add(entry.jobId);
			return live;
		}
		warn(`FleetCommandService: the fleet view could not be read (${entries}); expecting the servers heard from recently`);
		const now = os.clock();
		for (const [jobId, at] of this.lastSeen) {
			if (now - at <= FleetConfig.recentlyHeardSeconds) live.add(jobId);
			else this.lastSeen.delete(jobId);
		}
		return live;
	}

	/** Sends `command` to every server and yields until all answered or the window closed. */
	sendToAll(command: FleetCommand, caller: Player, callerRole: AdminStanding): AdminResponse {
		const id = HttpService.GenerateGUID(false);
		const collection = new FleetCollection(id, this.liveServers());
		this.collecting.set(id, collection);
		const sent = this.publish({ kind: "command", id, origin: game.JobId, callerId: caller.UserId, callerName: caller.Name, callerRole, command });
		if (!sent) {
			// Without MessagingService the command still runs here, and the table says so.
			this.runOnce(id, command, { callerId: caller.UserId, callerName: caller.Name, callerRole, origin: game.JobId }, false);
		}
		const deadline = os.clock() + FleetConfig.answerWindowSeconds;
		while (!collection.complete() && os.clock() < deadline) task.wait(0.1);
		this.collecting.delete(id);
		const result: FleetCommandResult = { commandId: id, servers: collection.table() };
		return { ok: true, name: "fleetCommand", result };
	}

	private receive(message: FleetMessage) {
		if (!typeIs(message, "table")) return;
		if (message.kind === "command") {
			this.lastSeen.set(message.origin, os.clock());
			this.runOnce(message.id, message.command as FleetCommand, message, true);
		} else if (message.kind === "answer") {
			this.lastSeen.set(message.jobId, os.clock());
			this.collecting.get(message.id)?.answer(message.jobId, message.ok, message.summary);
		}
	}

	private runOnce(id: string, command: FleetCommand, from: FleetOrigin, publishAnswer: boolean) {
		if (!this.seen.firstTime(id, os.clock())) return;
		const handler = this.handler;
		if (handler === undefined) return;
		task.spawn(() => {
			const [ok, outcome] = pcall(() => handler(command, from));
			const answer = ok ? outcome : { ok: false, summary: `error: ${tostring(outcome)}` };
			const summary = answer.summary.sub(1, SUMMARY_LIMIT);
			if (publishAnswer) this.publish({ kind: "answer", id, jobId: game.JobId, ok: answer.ok, summary });
			else this.collecting.get(id)?.answer(game.JobId, answer.ok, summary);
		});
	}

	private publish(message: FleetMessage): boolean {
		if (!this.subscribed) return false;
		const [ok, problem] = pcall(() => MessagingService.PublishAsync(FleetConfig.topic, message));
		if (!ok) warn(`FleetCommandService: publish failed: ${problem}`);
		return ok;
	}
}
