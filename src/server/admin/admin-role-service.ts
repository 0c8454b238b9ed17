import { OnStart, Service } from "@flamework/core";
import { Players, RunService } from "@rbxts/services";
import Signal from "@rbxts/signal";
import { AdminCommandName, AdminRole, AdminStanding } from "shared/admin/admin-types";
import { AdminConfig } from "shared/config/admin-config";
import { atLeast, roleFrom, RolePolicy } from "./admin-roles";

/** The role sources this server uses; `configure` swaps them at run time. */
export interface RoleSettings extends RolePolicy {
	readonly users: ReadonlyMap<number, AdminRole>;
	readonly groupId: number;
}

/**
 * Who holds which admin role on this server. A role is worked out once per player from the
 * configured sources (user ids, group ranks, Studio play-solo, private-server ownership) and
 * kept until they leave; everyone else has none.
 */
@Service()
export class AdminRoleService implements OnStart {
	/** Fires when the role sources change, so players can be told their new roles. */
	readonly changed = new Signal<() => void>();

	private readonly roles = new Map<Player, AdminStanding>();
	private settings: RoleSettings = {
		users: AdminConfig.users,
		groupId: AdminConfig.group.groupId,
		groupRanks: AdminConfig.group.ranks,
		studioPlayerIsOwner: AdminConfig.studioPlayerIsOwner,
		privateServerOwnerIsModerator: AdminConfig.privateServerOwnerIsModerator,
	};

	onStart() {
		Players.PlayerRemoving.Connect((player) => this.roles.delete(player));
	}

	/** The player's role (worked out on first use; the group lookup may yield once). */
	roleOf(player: Player): AdminStanding {
		const known = this.roles.get(player);
		if (known !== undefined) return known;
		const groupRank = this.groupRank(player);
		const standing = roleFrom(
			{
				userRole: this.settings.users.get(player.UserId),
				groupRank: groupRank ?? 0,
				studioPlayer: RunService.IsStudio(),
				privateServerOwner: game.PrivateServerId !== "" && game.PrivateServerOwnerId === player.UserId,
			},
			this.settings,
		);
		// A failed group lookup is tried again next time rather than remembered as no rank.
		if (player.Parent !== undefined && groupRank !== undefined) this.roles.set(player, standing);
		return standing;
	}

	/** Replaces role sources (e.g. a group id) and works every role out again on next use. */
	configure(settings: Partial<RoleSettings>) {
		this.settings = { ...this.settings, ...settings };
		this.roles.clear();
		this.changed.Fire();
	}

	/** Whether the player holds `role` or a stronger one. */
	hasRole(player: Player, role: AdminRole): boolean {
		return atLeast(this.roleOf(player), role);
	}

	/** Whether the player's role allows the command. */
	mayRun(player: Player, command: AdminCommandName): boolean {
		return this.hasRole(player, AdminConfig.minimumRole[command]);
	}

	/** Whether the player may remove objects other players own. */
	mayRemoveOthersObjects(player: Player): boolean {
		return this.hasRole(player, AdminConfig.removeOthersObjects);
	}

	/** The player's rank in the configured group; undefined when the lookup failed. */
	private groupRank(player: Player): number | undefined {
		const groupId = this.settings.groupId;
		if (groupId <= 0) return 0;
		// A failed lookup grants nothing; the player keeps their other sources.
		const [ok, rank] = pcall(() => player.GetRankInGroupAsync(groupId));
		return ok && typeIs(rank, "number") ? rank : undefined;
	}
}
