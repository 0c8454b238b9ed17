import { OnStart, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { BuildJournalService } from "server/build-journal/build-journal-service";
import type { BackedUpBuild } from "server/build-journal/journal-types";
import { BuildService } from "server/builds/build-service";
import { BackupArchive } from "server/data-backup/backup-archive";
import { PlayerDataService, PlayerProfile, SessionHistory } from "server/player-data/player-data-service";
import { BackupLimits } from "shared/config/backup-config";
import { entriesPast } from "server/build-journal/journal-continuation";
import { followingChain, JournalEntry } from "server/build-journal/journal-entry";
import { BuildState, JournalSource } from "./journal-source";
import { BuildCandidate, BuildOrigin, isNewerBuild, newestBuild, overtakenByJournal } from "./load-decision";
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
	private readonly journal: JournalSource<JournalEntry>;

	constructor(
		private readonly playerData: PlayerDataService,
		private readonly builds: BuildService,
		private readonly archive: BackupArchive,
		private readonly journalService: BuildJournalService,
	) {
		this.journal = journalService;
	}

	onStart() {
		this.playerData.profileLoaded.Connect((player, profile) => this.load(player, profile));
		this.journalService.onBehindBackup((userId, revision, session, entries) => this.newerBackup(userId, revision, session, entries));
		this.playerData.profileReleased.Connect((player, profile, buildDecided) => {
			// A build never decided is not the player's build: the hand-over held before stays.
			if (!buildDecided) return;
			const userId = player.UserId;
			this.released.expire(os.clock());
			// The build's own session: an older one when this session never read the journal (see load).
			this.released.hold(userId, profile.Data.placements, profile.Data.buildRevision, profile.Data.buildSession ?? profile.SessionLoadCount, os.clock());
			const connection = profile.OnAfterSave.Connect((saved) => {
				this.released.saved(userId, saved.buildRevision);
				connection.Disconnect();
			});
		});
	}

	/**
	 * The player's newest backup above a build at `revision` of `session` that `entries` (the
	 * journal as just read) do not show was overtaken; "unreadable" when the backups cannot be read.
	 */
	private newerBackup(userId: number, revision: number, session: number, entries: readonly JournalEntry[]): BackedUpBuild | "unreadable" | undefined {
		// The index is read again: the backup was written after the load read it, perhaps moments ago.
		const [ok, found] = pcall(() => this.newestBackupAbove(userId, { revision, session }, 0, entries, true));
		if (!ok) return "unreadable";
		if (found === undefined) return undefined;
		print(`${userId}'s journal shows the build is behind backup ${found.usedBackupId}`);
		return { placements: found.placements, revision: found.revision, session: found.session ?? 0 };
	}

	/** How the player's build was decided on its latest load here. */
	decisionOf(userId: number): LoadDecision | undefined {
		return this.decisions.get(userId);
	}

	/** Builds of ended sessions still held for a hand-over. */
	heldBuilds(): number {
		return this.released.size();
	}

	/**
	 * The player's newest backed-up build above `from` (backups since `since`) that `entries`, the
	 * journal as just read, do not show was overtaken; `fresh` reads the index again. May throw and yield.
	 */
	private newestBackupAbove(userId: number, from: Pick<BuildState, "revision" | "session">, since: number, entries: readonly JournalEntry[], fresh = false) {
		const accept = (build: Pick<BuildState, "revision" | "session">) => isNewerBuild(build, from) && !overtakenByJournal(build, entries);
		return this.archive.newerBuildThan(userId, from.revision, since, { requests: 0, retries: 0 }, accept, fresh);
	}

	/**
	 * Whether `chosen`, a copy of an older session's build (a hand-over or a backup), may be one a
	 * session between it and this one (load count `loadCount`) overtook: that session loaded
	 * without the copy's later changes and journaled its own at the same revisions, which only the
	 * journal shows. Not when every session between ended with its last save landed: one that
	 * journaled left its own session as the stored build's, which ranks above the copy.
	 */
	private mayBeOvertaken(chosen: BuildCandidate, history: SessionHistory | undefined, loadCount: number): boolean {
		if (chosen.origin === "profile") return false;
		const after = (chosen.session ?? 0) + 1;
		return after < loadCount && (history?.savedEndsSince ?? loadCount) > after;
	}

	private load(player: Player, profile: PlayerProfile) {
		const userId = player.UserId;
		const saved = profile.Data.buildRevision;
		const stored: BuildCandidate = { placements: profile.Data.placements, revision: saved, session: profile.Data.buildSession, origin: "profile" };
		const candidates: BuildCandidate[] = [];
		// Held until the build is decided: a session that ends before then leaves it to the next one.
		const handover = this.released.find(userId, os.clock());
		if (handover !== undefined) candidates.push({ ...handover, origin: "handover", detail: "the session that ended here" });
		const history = this.playerData.sessionHistoryOf(player);
		const searchBackups = history === undefined || !history.releasedCleanly;
		const journal = this.journal;
		let problem: string | undefined;
		let chosen: BuildCandidate;
		let entries: readonly JournalEntry[] | undefined;
		let journalProblem: unknown;
		for (let attempt = 0; ; attempt++) {
			problem = undefined;
			let backupsUnread = false;
			// The journal first: a hand-over or backup of an older session that a newer session's
			// entries overtake is not the build (that session took the player over, elsewhere, from
			// an older state, and its durable changes follow that one).
			const [readOk, read] = pcall(() => this.journalService.readJournal(userId));
			journalProblem = readOk ? undefined : read;
			const journaled = readOk ? read : [];
			const found = candidates.filter((candidate) => !overtakenByJournal(candidate, journaled));
			if (!profile.IsActive() || player.Parent !== Players) return;
			if (searchBackups) {
				const [ok, newer] = pcall(() => this.newestBackupAbove(userId, stored, history?.newerBackupsSince ?? 0, journaled));
				if (!ok) {
					problem = `backups could not be checked: ${newer}`;
					backupsUnread = true;
				} else if (newer !== undefined) found.push({ ...newer, origin: "backup", detail: `backup ${newer.usedBackupId}` });
			}
			if (!profile.IsActive() || player.Parent !== Players) return;
			chosen = newestBuild(stored, found);
			entries = readOk ? followingChain(journaled, chosen.revision, chosen.session ?? 0) : undefined;
			// Without the journal, a copy of an older session's build cannot be told from one a later
			// session overtook elsewhere: stored now, at its revision, it would hide that session's
			// durable entries from every later read (a late read continues only above it).
			const overtakable = entries === undefined && this.mayBeOvertaken(chosen, history, profile.SessionLoadCount);
			if (!backupsUnread && !overtakable) break;
			// Without the backups, the journal tells whether the build is behind one: entries above
			// the chain (a backup covered the ones between and they were trimmed), or no journal at all.
			if (entries !== undefined && !entriesPast(journaled, entries, chosen.revision)) break;
			if (attempt === 0) {
				if (overtakable) warn(`${player.Name}'s build waits: journal could not be read (${journalProblem}), and a later session may have overtaken the ${chosen.detail ?? chosen.origin}`);
				else warn(`${player.Name}'s build waits: ${problem}, and the journal shows changes a backup holds`);
			}
			task.wait(math.min(BackupLimits.loadRetryMaxSeconds, BackupLimits.loadRetryBaseSeconds * 2 ** attempt));
			if (!profile.IsActive() || player.Parent !== Players) return;
		}
		this.playerData.markBuildDecided(player);
		if (handover !== undefined) this.released.taken(userId, handover);
		// JOURNAL SEAM: changes acknowledged after the chosen revision are applied on top.
		// A hand-over build is only in memory: the journal entries it holds are kept (counted
		// from the stored profile) until a save covers them; a found backup is stored and covers its own.
		const beforeJournal = chosen.origin === "handover" ? saved : chosen.revision;
		let journalEntries = 0;
		if (entries === undefined) problem = `${problem !== undefined ? `${problem}; ` : ""}journal could not be read: ${journalProblem}`;
		else if (entries.size() > 0) {
			journalEntries = entries.size();
			chosen = { ...journal.applyJournal(chosen, entries), origin: chosen.origin, detail: chosen.detail };
		}
		// The profile takes the chosen build with the journal on top, copied once.
		if (chosen.origin !== "profile" || journalEntries > 0) {
			profile.Data.placements = chosen.placements.map((placement) => ({ ...placement }));
			profile.Data.buildRevision = chosen.revision;
		}
		if (!profile.IsActive() || player.Parent !== Players) return;
		// Starts durability tracking, trims entries the build no longer needs and, when the journal
		// could not be read, holds the player's changes until a later read replays it.
		// The journal's chain continues the chosen build, of the session it records (still in the profile).
		profile.Data.buildSession = chosen.session ?? 0;
		// A hand-over's build continues the stored profile: the entries from there are of that profile's session on.
		const storedSession = chosen.origin === "handover" ? (stored.session ?? 0) : undefined;
		// A backup's build is ahead of the stored profile: the journal keeps an entry to show it (see heldForBackup).
		this.journalService.startSession(player, profile, beforeJournal, storedSession, chosen.origin === "backup" ? saved : undefined);
		// From here the build is this session's: a copy of an older session's build never outranks it.
		// Not while the journal waits to be read: the older session's entries there still continue
		// the build as it stands, and a next load must take them (the late read stamps it instead).
		if (!this.journalService.waitsForRead(userId)) profile.Data.buildSession = profile.SessionLoadCount;
		if (chosen.origin !== "profile" || journalEntries > 0) {
			profile.Save();
			const replayed = `${journalEntries} journal entries replayed`;
			const change = `revision ${saved} -> ${chosen.revision}`;
			if (chosen.origin === "profile") print(`${player.Name}'s build: ${replayed}, ${change}`);
			else print(`${player.Name}'s build restored from ${chosen.detail ?? chosen.origin}${journalEntries > 0 ? `, ${replayed}` : ""}: ${change}`);
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
		// A build restored from one binary backup brings its rows along: nothing is re-encoded. Not when
		// the session's own read of the journal changed the build since (its revision moved).
		const unchanged = profile.Data.buildRevision === chosen.revision;
		const restoredRows = chosen.origin === "backup" && journalEntries === 0 && unchanged ? chosen.rows : undefined;
		this.builds.loadBuild(player, profile, restoredRows);
	}
}
