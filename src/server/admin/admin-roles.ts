import { AdminCommandName, AdminRole, AdminStanding } from "shared/admin/admin-types";
import { GroupRankRole } from "shared/config/admin-config";

const RANK: Record<AdminStanding, number> = { none: 0, moderator: 1, admin: 2, owner: 3 };

/** Whether `standing` is `role` or stronger. */
export function atLeast(standing: AdminStanding, role: AdminRole): boolean {
	return RANK[standing] >= RANK[role];
}

/** The stronger of two standings. */
export function stronger(a: AdminStanding, b: AdminStanding): AdminStanding {
	return RANK[a] >= RANK[b] ? a : b;
}

/** What is known about a player that can grant a role. */
export interface RoleSources {
	/** The role configured for their user id. */
	readonly userRole?: AdminRole;
	/** Their rank in the configured group (0 when not a member or no group is set). */
	readonly groupRank: number;
	/** True only in Studio play-solo, for the local player. */
	readonly studioPlayer: boolean;
	/** True when they own the private server they are in. */
	readonly privateServerOwner: boolean;
}

export interface RolePolicy {
	readonly groupRanks: readonly GroupRankRole[];
	readonly studioPlayerIsOwner: boolean;
	readonly privateServerOwnerIsModerator: boolean;
}

/** The strongest role any source grants; "none" when none does (deny by default). */
export function roleFrom(sources: RoleSources, policy: RolePolicy): AdminStanding {
	let standing: AdminStanding = sources.userRole ?? "none";
	for (const threshold of policy.groupRanks) {
		if (sources.groupRank >= threshold.minRank) standing = stronger(standing, threshold.role);
	}
	if (sources.studioPlayer && policy.studioPlayerIsOwner) standing = "owner";
	if (sources.privateServerOwner && policy.privateServerOwnerIsModerator) standing = stronger(standing, "moderator");
	return standing;
}

/** The commands a standing may run, given each command's minimum role. */
export function commandsFor(standing: AdminStanding, minimum: Readonly<Record<AdminCommandName, AdminRole>>): AdminCommandName[] {
	const allowed: AdminCommandName[] = [];
	for (const [name, role] of pairs(minimum)) if (atLeast(standing, role)) allowed.push(name);
	table.sort(allowed);
	return allowed;
}
