import { OnStart, Service } from "@flamework/core";
import { HttpService, MessagingService } from "@rbxts/services";
import { AdminResponse, AdminStanding, FleetCommandResult } from "shared/admin/admin-types";
import { FleetViewService } from "server/operations/fleet-view-service";
import { FleetConfig } from "shared/config/admin-config";
import { FleetCommand } from "./command-runner";
import { followUnderWay, LateAnswer } from "./fleet-follow-up";
import { cutSummary, FleetAnswerMessage, FleetCollection, FleetMessage, FleetUnderWayMessage, fleetMessageOf, SeenCommands } from "./fleet-messages";
import { waitForAnswers } from "./wait-for-answers";

/** Who sent a command to every server, and from which server. */
export interface FleetOrigin {
	readonly callerId: number;
	readonly callerName: string;
	readonly callerRole: AdminStanding;
	readonly origin: string;
}

/** How a command's run on this server ended, in one line. */
export interface FleetOutcome {
	readonly ok: boolean;
	readonly summary: string;
}

/** What runs a command that arrived from another server (or this one). */
export interface FleetHandler {
	/** Runs it and summarizes the outcome. */
	readonly run: (command: FleetCommand, from: FleetOrigin) => FleetOutcome;
	/** What it is doing here while still running (the answer `underWay`). */
	readonly progress: (command: FleetCommand) => string;
}

const STILL_RUNNING = "still running here";

/**
 * Sends admin commands to every server of the experience through MessagingService. Each
 * command has a unique id; every server (this one included) runs it once and answers on the
 * same topic; the caller gets a per-server table where servers that stayed silent for the
 * answer window are listed as such. A server still running it shortly before the window closes
 * answers `underWay` first, and the caller's server hands its final answer on when it comes, or
 * that none came in time (see fleet-follow-up). Messages on the topic are checked before use (see
 * fleetMessageOf): malformed ones are dropped. The servers expected to answer are the fleet view's (the
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
			MessagingService.SubscribeAsync(FleetConfig.topic, (message) => this.receive((message as { Data?: unknown }).Data)),
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

	/**
	 * Sends `command` to every server and yields until all answered or the window closed. Each
	 * server the table lists under way has its final answer handed to `late` when it comes.
	 */
	sendToAll(command: FleetCommand, caller: Player, callerRole: AdminStanding, late?: LateAnswer): AdminResponse {
		const id = HttpService.GenerateGUID(false);
		const collection = new FleetCollection(id, this.liveServers());
		this.collecting.set(id, collection);
		const sent = this.publish({ kind: "command", id, origin: game.JobId, callerId: caller.UserId, callerName: caller.Name, callerRole, command });
		if (!sent) {
			// Without MessagingService the command still runs here, and the table says so.
			this.runOnce(id, command, { callerId: caller.UserId, callerName: caller.Name, callerRole, origin: game.JobId }, false);
		}
		waitForAnswers(collection, FleetConfig.answerWindowSeconds);
		const result: FleetCommandResult = { commandId: id, servers: collection.table() };
		const stopCollecting = () => this.collecting.delete(id);
		if (late === undefined) stopCollecting();
		else followUnderWay(collection, FleetConfig.followUpSeconds, late, stopCollecting);
		return { ok: true, name: "fleetCommand", result };
	}

	private receive(data: unknown) {
		const message = fleetMessageOf(data);
		if (message === undefined) return;
		if (message.kind === "command") {
			this.lastSeen.set(message.origin, os.clock());
			this.runOnce(message.id, message.command as FleetCommand, message, true);
		} else if (message.kind === "answer" || message.kind === "underWay") {
			this.lastSeen.set(message.jobId, os.clock());
			this.collect(message);
		}
	}

	private collect(message: FleetAnswerMessage | FleetUnderWayMessage) {
		const collection = this.collecting.get(message.id);
		if (message.kind === "answer") collection?.answer(message.jobId, message.ok, message.summary);
		else collection?.underWay(message.jobId, message.summary);
	}

	private runOnce(id: string, command: FleetCommand, from: FleetOrigin, publishAnswer: boolean) {
		if (!this.seen.firstTime(id, os.clock())) return;
		const handler = this.handler;
		if (handler === undefined) return;
		const tell = (message: FleetAnswerMessage | FleetUnderWayMessage) => {
			if (publishAnswer) this.publish(message);
			else this.collect(message);
		};
		let finished = false;
		task.delay(FleetConfig.underWayAnswerSeconds, () => {
			if (finished) return;
			const [known, progress] = pcall(() => handler.progress(command));
			const summary = cutSummary(known && typeIs(progress, "string") ? progress : STILL_RUNNING);
			tell({ kind: "underWay", id, jobId: game.JobId, summary });
		});
		task.spawn(() => {
			const [ok, outcome] = pcall(() => handler.run(command, from));
			finished = true;
			const answer = ok ? outcome : { ok: false, summary: `error: ${tostring(outcome)}` };
			tell({ kind: "answer", id, jobId: game.JobId, ok: answer.ok, summary: cutSummary(answer.summary) });
		});
	}

	private publish(message: FleetMessage): boolean {
		if (!this.subscribed) return false;
		const [ok, problem] = pcall(() => MessagingService.PublishAsync(FleetConfig.topic, message));
		if (!ok) warn(`FleetCommandService: publish failed: ${problem}`);
		return ok;
	}
}
