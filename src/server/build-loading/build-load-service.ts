import { OnStart, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { BuildService } from "server/builds/build-service";
import { BackupArchive } from "server/data-backup/backup-archive";
import { PlayerDataService, PlayerProfile } from "server/player-data/player-data-service";
import { BackupLimits } from "shared/config/backup-config";
import { JournalSource } from "./journal-source";
import { BuildCandidate, BuildOrigin, newestBuild } from "./load-decision";
import { ReleasedBuilds } from "./released-builds";

/** How one player's build was decided on load. */
export interface LoadDecision {
	readonly userId: number;
	readonly origin: BuildOrigin;
	/** Revision of the stored profile and of the build loaded (after journal entries). */
	readonly savedRevision: number;
	readonly revision: number;
	readonly detail?: string;
	/** Whether backups were searched (only when the profile may be behind them). */
	readonly searchedBackups: boolean;
	readonly journalEntries: number;
	readonly problem?: string;
}

/**
 * The one load path: decides a player's build when their profile loads, from the stored
 * profile, the build a session that just ended here still holds (hand-over), backups newer
 * than the profile from any server, and then the crash journal on top; writes the result to the
 * profile and hands it to BuildService to spawn.
 */
@Service()
export class BuildLoadService implements OnStart {
	private readonly released = new ReleasedBuilds(BackupLimits.releasedBuildSeconds);
	private readonly decisions = new Map<number, LoadDecision>();
	private journal?: JournalSource;

	constructor(
		private readonly playerData: PlayerDataService,
		private readonly builds: BuildService,
		private readonly archive: BackupArchive,
	) {}

	onStart() {
		this.playerData.profileLoaded.Connect((player, profile) => this.load(player, profile));
		this.playerData.profileReleased.Connect((player, profile) => {
			const userId = player.UserId;
			this.released.expire(os.clock());
			this.released.hold(userId, profile.Data.placements, profile.Data.buildRevision, os.clock());
			const connection = profile.OnAfterSave.Connect((saved) => {
				this.released.saved(userId, saved.buildRevision);
				connection.Disconnect();
			});
		});
	}

	/** Registers the crash journal whose entries are replayed on top of the chosen build. */
	useJournal(source: JournalSource) {
		this.journal = source;
	}

	/** How the player's build was decided on its latest load here. */
	decisionOf(userId: number): LoadDecision | undefined {
		return this.decisions.get(userId);
	}

	/** Builds of ended sessions still held for a hand-over. */
	heldBuilds(): number {
		return this.released.size();
	}

	private load(player: Player, profile: PlayerProfile) {
		const userId = player.UserId;
		const saved = profile.Data.buildRevision;
		const candidates: BuildCandidate[] = [];
		const handover = this.released.take(userId, os.clock());
		if (handover !== undefined) candidates.push({ ...handover, origin: "handover", detail: "the session that ended here" });
		const history = this.playerData.sessionHistoryOf(player);
		const searchBackups = history === undefined || !history.releasedCleanly;
		let problem: string | undefined;
		if (searchBackups) {
			const [ok, found] = pcall(() => this.archive.newerBuildThan(userId, saved, history?.newerBackupsSince ?? 0, { requests: 0, retries: 0 }));
			if (!ok) problem = `backups could not be checked: ${found}`;
			else if (found !== undefined) candidates.push({ ...found, origin: "backup", detail: `backup ${found.usedBackupId}` });
		}
		if (!profile.IsActive() || player.Parent !== Players) return;
		let chosen = newestBuild({ placements: profile.Data.placements, revision: saved, origin: "profile" }, candidates);
		// The profile holds the chosen build before the journal goes on top of it.
		if (chosen.origin !== "profile") {
			profile.Data.placements = chosen.placements.map((placement) => ({ ...placement }));
			profile.Data.buildRevision = chosen.revision;
		}
		// JOURNAL SEAM: changes acknowledged after the chosen revision are applied on top.
		let journalEntries = 0;
		const journal = this.journal;
		if (journal !== undefined) {
			const [ok, entries] = pcall(() => journal.pendingChanges(userId, chosen.revision));
			if (!ok) problem = `${problem ?? ""}journal could not be read: ${entries}`;
			else if (entries.size() > 0) {
				journalEntries = entries.size();
				chosen = { ...journal.applyJournal(chosen, entries), origin: chosen.origin, detail: chosen.detail };
				profile.Data.placements = chosen.placements.map((placement) => ({ ...placement }));
				profile.Data.buildRevision = chosen.revision;
			}
			if (!profile.IsActive() || player.Parent !== Players) return;
		}
		if (chosen.origin !== "profile" || journalEntries > 0) {
			profile.Save();
			print(`${player.Name}'s build restored from ${chosen.detail ?? chosen.origin}${journalEntries > 0 ? ` and ${journalEntries} journal entries` : ""}: revision ${saved} -> ${chosen.revision}`);
		}
		if (problem !== undefined) warn(`${player.Name}'s build loaded without every source (${problem})`);
		this.decisions.set(userId, {
			userId,
			origin: chosen.origin,
			savedRevision: saved,
			revision: chosen.revision,
			detail: chosen.detail,
			searchedBackups: searchBackups,
			journalEntries,
			problem,
		});
		this.builds.loadBuild(player, profile);
	}
}
