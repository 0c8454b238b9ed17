import { OnStart, Service } from "@flamework/core";
import ProfileStore from "@rbxts/profile-store";
import { Players, Workspace } from "@rbxts/services";
import Signal from "@rbxts/signal";
import { DataStoreNames, playerProfileKey } from "shared/config/data-stores";
import { KickReason, kickMessage } from "shared/kick-reason";
import { migratePlayerData } from "./migrations";
import { DEFAULT_PLAYER_DATA, PlayerData } from "./player-data";

export type PlayerProfile = ProfileStore.Profile<PlayerData>;

/** What the stored profile said about earlier sessions when this session loaded it. */
export interface SessionHistory {
	/**
	 * True when the last session to hold the profile released it with a save that landed (nothing
	 * can be newer than the loaded build); false after a crash, a stolen session or a failed save.
	 */
	readonly releasedCleanly: boolean;
	/** Unix seconds from which backups newer than the loaded build can exist. */
	readonly newerBackupsSince: number;
	/**
	 * The SessionLoadCount from which every session before this one ended with its last save
	 * landed (this session's own count when the one before did not): a session from there on left
	 * its build's session in the store, whatever it journaled.
	 */
	readonly savedEndsSince: number;
}
/**
 * Owns every player's ProfileStore session: started when they join (their data then follows
 * them from server to server), ended when they leave, and the player removed when the session
 * cannot be held.
 */
@Service()
export class PlayerDataService implements OnStart {
	/** Fires once a player's profile is loaded and they are still in the game. */
	readonly profileLoaded = new Signal<(player: Player, profile: PlayerProfile) => void>();
	/**
	 * Fires when a player's session ends, after its last save was queued; `profile.Data` is final.
	 * `buildDecided`: whether the build loader decided the session's build (see isLoadIncomplete);
	 * passed along because handlers run deferred, after the session's own state is gone.
	 */
	readonly profileReleased = new Signal<(player: Player, profile: PlayerProfile, buildDecided: boolean) => void>();

	private readonly store = ProfileStore.New(DataStoreNames.playerData, DEFAULT_PLAYER_DATA);
	private readonly profiles = new Map<Player, PlayerProfile>();
	private readonly histories = new Map<Player, SessionHistory>();
	/** Sessions whose build is not decided yet, with when each started (stamped into its profile once it is). */
	private readonly undecided = new Map<Player, number>();

	onStart() {
		Players.PlayerAdded.Connect((player) => this.startSession(player));
		Players.PlayerRemoving.Connect((player) => this.endSession(player));
		for (const player of Players.GetPlayers()) {
			task.spawn(() => this.startSession(player));
		}
	}

	/** The player's loaded profile, if their session is active on this server. */
	getProfile(player: Player): PlayerProfile | undefined {
		return this.profiles.get(player);
	}

	/**
	 * The build loader decided the player's build: their profile data is their build from now on,
	 * and the session's start is stamped in it (the next load searches backups from there; a
	 * session that ends undecided leaves the earlier stamp, so the next one searches as far back).
	 */
	markBuildDecided(player: Player) {
		const startedAt = this.undecided.get(player);
		this.undecided.delete(player);
		const profile = this.profiles.get(player);
		if (startedAt !== undefined && profile !== undefined) profile.Data.lastSessionStartedAt = startedAt;
	}

	/**
	 * Whether the player's build is still undecided (its profile data is not their build). Every
	 * session starts so until the build loader decides it, which may wait for backups it cannot
	 * read: a session that ends before then holds nothing for a hand-over, and its last save does
	 * not mark the profile as released cleanly, so the next load still searches backups.
	 */
	isLoadIncomplete(player: Player): boolean {
		return this.undecided.has(player);
	}

	/** What the stored profile said about earlier sessions when the player's session loaded it. */
	sessionHistoryOf(player: Player): SessionHistory | undefined {
		return this.histories.get(player);
	}

	/** Every profile whose session is active on this server. */
	loadedProfiles(): ReadonlyMap<Player, PlayerProfile> {
		return this.profiles;
	}

	/** The player's data as saved at or before `unixSeconds`, from the profile's version history. */
	dataAt(userId: number, unixSeconds: number): PlayerData | undefined {
		const query = this.store.VersionQuery(
			playerProfileKey(userId),
			Enum.SortDirection.Descending,
			undefined,
			DateTime.fromUnixTimestamp(unixSeconds),
		);
		const data = query.NextAsync()?.Data;
		if (data !== undefined) migratePlayerData(data);
		return data;
	}

	private startSession(player: Player) {
		const profile = this.store.StartSessionAsync(playerProfileKey(player.UserId), {
			Cancel: () => player.Parent !== Players,
		});
		if (profile === undefined) {
			if (player.Parent === Players) player.Kick(kickMessage(KickReason.ProfileLoadFailed));
			return;
		}
		this.undecided.set(player, Workspace.GetServerTimeNow());
		profile.AddUserId(player.UserId);
		migratePlayerData(profile.Data);
		profile.Reconcile();
		profile.OnLastSave.Connect(() => {
			const data = profile.Data;
			const count = profile.SessionLoadCount;
			if (!this.undecided.has(player)) data.releasedAtLoadCount = count;
			// Decided or not: stored only if this save lands, and the run goes on only from the session before.
			if (data.endedSavedThrough !== count - 1) data.endedSavedFrom = count;
			data.endedSavedThrough = count;
		});
		profile.OnSessionEnd.Connect(() => {
			this.profiles.delete(player);
			this.histories.delete(player);
			const buildDecided = !this.undecided.has(player);
			this.undecided.delete(player);
			this.profileReleased.Fire(player, profile, buildDecided);
			if (player.Parent === Players) player.Kick(kickMessage(KickReason.ProfileSessionEnded));
		});
		if (player.Parent !== Players) {
			profile.EndSession();
			return;
		}
		const data = profile.Data;
		this.histories.set(player, {
			// A profile this session created, or one its previous session released with a landed save.
			releasedCleanly: profile.SessionLoadCount <= 1 || data.releasedAtLoadCount === profile.SessionLoadCount - 1,
			newerBackupsSince: math.max(data.lastSessionStartedAt, profile.FirstSessionTime) - 60,
			savedEndsSince: data.endedSavedThrough === profile.SessionLoadCount - 1 ? data.endedSavedFrom : profile.SessionLoadCount,
		});
		profile.Data.sessionCount += 1;
		this.profiles.set(player, profile);
		this.profileLoaded.Fire(player, profile);
	}

	private endSession(player: Player) {
		this.profiles.get(player)?.EndSession();
	}
}
