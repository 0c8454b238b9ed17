/** Why the server removed a player; each reason has one player-facing message. */
export enum KickReason {
	ProfileLoadFailed = "ProfileLoadFailed",
	ProfileSessionEnded = "ProfileSessionEnded",
	Maintenance = "Maintenance",
	/** Maintenance whose emergency backup failed: the message promises nothing about the build. */
	MaintenanceBackupFailed = "MaintenanceBackupFailed",
	HostileTraffic = "HostileTraffic",
}

const MESSAGES: Record<KickReason, string> = {
	[KickReason.ProfileLoadFailed]: "Your build could not be loaded right now. Please rejoin in a moment.",
	[KickReason.ProfileSessionEnded]: "Your build was opened on another server. Rejoin to continue building here.",
	[KickReason.Maintenance]: "The game is down for a short maintenance. Your build is saved; please rejoin in a few minutes.",
	[KickReason.MaintenanceBackupFailed]: "The game is down for a short maintenance. Please rejoin in a few minutes.",
	[KickReason.HostileTraffic]: "Removed by automatic moderation: your game client kept sending invalid or flooding requests.",
};

export function kickMessage(reason: KickReason): string {
	return MESSAGES[reason];
}
