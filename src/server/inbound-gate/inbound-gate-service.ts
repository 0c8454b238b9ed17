import { OnInit, Service } from "@flamework/core";
import { Players, Workspace } from "@rbxts/services";
import { AnalyticsService } from "server/analytics/analytics-service";
import { ModerationService } from "server/moderation/moderation-service";
import { KickReason, kickMessage } from "shared/kick-reason";
import { RejectionReason } from "shared/placement/rejection-reason";
import { gatedRemotes, inboundGate, sealedRemoteList } from "./gated-server";
import { Escalation, InboundReport, PlayerInboundReport } from "./inbound-types";

/**
 * Wires the inbound gate to the game: refusals are counted by analytics, a player the gate
 * escalates is kicked (`HostileTraffic`) with a moderation log entry saying why (and again on
 * joining within the rejoin block), and a player's state is kept for a while after they leave.
 */
@Service()
export class InboundGateService implements OnInit {
	constructor(
		private readonly analytics: AnalyticsService,
		private readonly moderation: ModerationService,
	) {}

	onInit() {
		inboundGate.onRefused((player, { verdict }) => {
			if (verdict === "rateLimited") this.analytics.recordRejection(player.UserId, RejectionReason.RateLimited);
			else if (verdict === "malformed" || verdict === "overBudget") {
				this.analytics.recordRejection(player.UserId, RejectionReason.InvalidPayload);
			}
		});
		inboundGate.onEscalate = (player, escalation) => this.remove(player, escalation);
		// Before any remote of theirs is handled: a player the gate removed minutes ago is removed again.
		const admit = (player: Player) => {
			const refused = inboundGate.admit(player, os.clock());
			if (refused !== undefined) this.remove(player, refused);
		};
		Players.PlayerAdded.Connect(admit);
		for (const player of Players.GetPlayers()) admit(player);
		Players.PlayerRemoving.Connect((player) => inboundGate.forget(player, os.clock()));
	}

	private remove(player: Player, escalation: Escalation) {
		this.moderation.logAction({
			time: Workspace.GetServerTimeNow(),
			userId: player.UserId,
			action: "kick",
			rule: `inbound-${escalation.rule}`,
			detail: escalation.detail,
		});
		// Kicking from inside a remote's handler thread is fine, but defer so the gate returns first.
		task.defer(() => {
			if (player.Parent !== undefined) player.Kick(kickMessage(KickReason.HostileTraffic));
		});
	}

	report(): InboundReport {
		return inboundGate.report();
	}

	playerReport(userId: number): PlayerInboundReport | undefined {
		return inboundGate.playerReport(userId);
	}

	/** Names of the gated client→server remotes and the sealed server→client ones. */
	remotes(): { gated: string[]; sealed: string[] } {
		return { gated: gatedRemotes().map((remote) => remote.name), sealed: sealedRemoteList().map((remote) => remote.name) };
	}
}
