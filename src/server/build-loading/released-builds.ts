import { StoredPlacement } from "server/player-data/player-data";
import { BuildState } from "./journal-source";

interface HeldBuild extends BuildState {
	readonly heldAt: number;
}

/**
 * Final builds of sessions that ended on this server, kept until their last save lands: a player
 * who rejoins while that save is still retrying gets this build, not the stale stored profile.
 */
export class ReleasedBuilds {
	private readonly held = new Map<number, HeldBuild>();

	constructor(private readonly keepSeconds: number) {}

	hold(userId: number, placements: readonly StoredPlacement[], revision: number, session: number, now: number) {
		this.held.set(userId, { placements: placements.map((placement) => ({ ...placement })), revision, session, heldAt: now });
	}

	/** The last save landed with at least this revision: the stored profile has it. */
	saved(userId: number, revision: number) {
		const build = this.held.get(userId);
		if (build !== undefined && revision >= build.revision) this.held.delete(userId);
	}

	/**
	 * The player's held build, if one is still fresh. It stays held until `taken`: a load that ends
	 * before deciding (the player left again) leaves it for the next session's load.
	 */
	find(userId: number, now: number): BuildState | undefined {
		const build = this.held.get(userId);
		return build !== undefined && now - build.heldAt <= this.keepSeconds ? build : undefined;
	}

	/** A load decided the player's build from `build` (or over it): it is held no longer, unless a newer one replaced it. */
	taken(userId: number, build: BuildState) {
		if (this.held.get(userId) === build) this.held.delete(userId);
	}

	expire(now: number) {
		for (const [userId, build] of this.held) if (now - build.heldAt > this.keepSeconds) this.held.delete(userId);
	}

	size(): number {
		return this.held.size();
	}
}
