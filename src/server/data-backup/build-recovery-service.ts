import { Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { BuildJournalService } from "server/build-journal/build-journal-service";
import { BuildService } from "server/builds/build-service";
import { PlayerDataService, PlayerProfile } from "server/player-data/player-data-service";
import { StoredPlacement } from "server/player-data/player-data";
import { BackupArchive, PayloadCache } from "./backup-archive";
import { PlayerRecovery, ProfileRollback, RecoveryReport, RecoveryScope, RecoveryTarget, SkippedBackup } from "./backup-types";
import { SaveState } from "shared/placement/placement-types";
import { countText } from "shared/text/count-text";

function describeSkipped(skipped: readonly SkippedBackup[]): string {
	return skipped.map((backup) => `${backup.id} (${backup.problem})`).join(", ");
}

/**
 * Puts builds back from backups: rebuilds each player's build as of the target backup, and
 * applies it to their live plot and profile (saved at once), or only reports what would change.
 */
@Service()
export class BuildRecoveryService {
	constructor(
		private readonly playerData: PlayerDataService,
		private readonly builds: BuildService,
		private readonly archive: BackupArchive,
		private readonly journal: BuildJournalService,
	) {}

	/**
	 * The profile of the player's session whose build can be replaced now, or why it cannot: not
	 * loaded here, or loaded before its journal could be read (the journal's changes are not in it
	 * yet, and a replaced build would take the revision of one of them). Asked again after reading
	 * backups or versions, which yields: the player may have left or rejoined.
	 */
	private replaceable(userId: number): PlayerProfile | string {
		const player = Players.GetPlayerByUserId(userId);
		const profile = player && this.playerData.getProfile(player);
		if (profile === undefined || !this.builds.isLoaded(userId)) return `player ${userId}'s build is not loaded on this server`;
		if (this.journal.waitsForRead(userId)) return `player ${userId}'s journal has not been read yet; try again once it has`;
		return profile;
	}

	recoverFromBackup(target: RecoveryTarget, scope: RecoveryScope, preview = false): RecoveryReport {
		const userIds: number[] = [];
		if (scope.kind === "player") userIds.push(scope.userId);
		else for (const [player] of this.playerData.loadedProfiles()) userIds.push(player.UserId);
		userIds.sort();
		const payloads: PayloadCache = new Map();
		return { target, preview, players: userIds.map((userId) => this.recoverPlayer(userId, target, preview, payloads)) };
	}

	/**
	 * The second line of defence: the player's build as their profile was saved at or before
	 * `unixSeconds`, from ProfileStore's version history, put back on their live plot.
	 */
	rollbackProfile(userId: number, unixSeconds: number): ProfileRollback {
		const refusal = this.replaceable(userId);
		if (typeIs(refusal, "string")) return { success: false, message: refusal };
		const [ok, data] = pcall(() => this.playerData.dataAt(userId, unixSeconds));
		if (!ok) return { success: false, message: `the profile's versions could not be read: ${data}` };
		if (data === undefined) return { success: false, message: `player ${userId}'s profile has no version at or before ${unixSeconds}` };
		const profile = this.replaceable(userId);
		if (typeIs(profile, "string")) return { success: false, message: `${profile} (it changed while the versions were read)` };
		const [added, removed] = difference(profile.Data.placements, data.placements);
		const saved = this.builds.replaceBuild(userId, data.placements);
		return {
			success: true,
			added,
			removed,
			objectsAfter: data.placements.size(),
			saved,
			message: `player ${userId}'s build rolled back to ${unixSeconds}: ${countText(added, "object")} back, ${removed} taken away${savedNote(saved)}`,
		};
	}

	private recoverPlayer(userId: number, target: RecoveryTarget, preview: boolean, payloads: PayloadCache): PlayerRecovery {
		const empty = { userId, skipped: [], added: 0, removed: 0, objectsAfter: 0 };
		const refusal = this.replaceable(userId);
		if (typeIs(refusal, "string")) return { ...empty, status: "notLoaded", message: refusal };
		const [ok, outcome] = pcall(() => this.archive.findBuild(userId, target, { requests: 0, retries: 0 }, payloads));
		if (!ok) return { ...empty, status: "failed", message: `backups could not be read: ${outcome}` };
		const { build, skipped } = outcome;
		if (build === undefined) {
			const reason = skipped.size() > 0 ? `every candidate is unusable: ${describeSkipped(skipped)}` : `no backup ${target} covers them`;
			return { ...empty, skipped, status: "noBackup", message: `player ${userId} cannot be recovered: ${reason}` };
		}
		const profile = this.replaceable(userId);
		if (typeIs(profile, "string")) return { ...empty, skipped, status: "notLoaded", message: `${profile} (it changed while the backups were read)` };
		const [added, removed] = difference(profile.Data.placements, build.placements);
		const counts = { userId, skipped, added, removed, objectsAfter: build.placements.size(), usedBackupId: build.usedBackupId };
		let message = `player ${userId}: ${countText(added, "object")} back, ${removed} taken away, ${build.placements.size()} in the build as of backup ${build.usedBackupId}`;
		if (skipped.size() > 0) message += `; corrupt backups skipped: ${describeSkipped(skipped)}`;
		if (preview) return { ...counts, status: "preview", message: `preview of ${message}` };
		const saved = this.builds.replaceBuild(userId, build.placements);
		message += savedNote(saved);
		if (skipped.size() > 0) warn(`recovery fell back past corrupt backups: ${message}`);
		return { ...counts, status: "recovered", saved, message };
	}
}

/** What an admin is told when the replaced build's save has not landed yet. */
function savedNote(saved: SaveState): string {
	return saved === "durable" ? "" : "; its save has not landed yet (retried): a crash before it does undoes this";
}

/** How many placements `target` has that `current` lacks, and the other way round. */
function difference(current: readonly StoredPlacement[], target: readonly StoredPlacement[]): [added: number, removed: number] {
	const currentIds = new Set<string>();
	for (const placement of current) currentIds.add(placement.id);
	let added = 0;
	const targetIds = new Set<string>();
	for (const placement of target) {
		targetIds.add(placement.id);
		if (!currentIds.has(placement.id)) added += 1;
	}
	let removed = 0;
	for (const id of currentIds) if (!targetIds.has(id)) removed += 1;
	return [added, removed];
}
