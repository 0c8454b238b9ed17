import { RunService } from "@rbxts/services";

/** Studio sessions write to their own stores so testing never touches live player data. */
const SUFFIX = RunService.IsStudio() ? "-Studio" : "";

/** Names of every DataStore the game owns, decided in one place. */
export const DataStoreNames = {
	playerData: `PlayerData${SUFFIX}`,
	/** Build backups, one scope per server (its set) plus the shared "index" scope. */
	backups: `Backups${SUFFIX}`,
	/** The admin audit: batches of audited admin calls. */
	adminAudit: `AdminAudit${SUFFIX}`,
} as const;

/** The ProfileStore key of a player's profile. */
export function playerProfileKey(userId: number): string {
	return `Player_${userId}`;
}
