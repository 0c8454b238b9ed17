import { AdminConfig } from "shared/config/admin-config";

/** Whether the player may act on other players' objects and read moderation logs. */
export function isAdmin(player: Player): boolean {
	return AdminConfig.userIds.includes(player.UserId);
}
