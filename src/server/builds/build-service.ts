import { OnStart, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { Events } from "server/network";
import { BuildJournalService } from "server/build-journal/build-journal-service";
import { Durability } from "server/build-journal/durability-ledger";
import { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { PlayerDataService, PlayerProfile } from "server/player-data/player-data-service";
import { StoredPlacement } from "server/player-data/player-data";
import { Plot, PlotService } from "server/plots/plot-service";
import { findItem } from "shared/catalog/catalog";
import { FootprintBox, footprintBoxInto } from "shared/placement/footprint";
import { PlacementSnapshot } from "shared/placement/placement-types";
import { encodedSize, fitsInProfile } from "./build-size";
import { BuildRows } from "./build-rows";
import { PlacedObjectService } from "./placed-object-service";

/** A player's build as loaded on this server. */
interface LoadedBuild {
	readonly player: Player;
	readonly profile: PlayerProfile;
	readonly plot: Plot;
	/** Characters the stored placements take in the profile's JSON. */
	encodedSize: number;
	/** The stored placements as binary rows, kept in step with every change (backups copy them). */
	rows: BuildRows;
}

/**
 * Moves builds between profiles and plots: loads a player's stored placements into their plot
 * when their profile loads, writes every change to the profile, and unloads the build when the
 * session ends.
 */
@Service()
export class BuildService implements OnStart {
	private readonly builds = new Map<number, LoadedBuild>();
	/** The placement `canStore` last measured and its size, so `store` right after need not measure again. */
	private lastMeasured?: StoredPlacement;
	private lastMeasuredSize = 0;

	constructor(
		private readonly playerData: PlayerDataService,
		private readonly plots: PlotService,
		private readonly tracker: PlacementTracker,
		private readonly objects: PlacedObjectService,
		private readonly journal: BuildJournalService,
	) {}

	onStart() {
		this.journal.onLateReplay((userId, build) => {
			if (!this.builds.has(userId)) return false;
			this.replaceBuild(userId, build.placements, build.revision);
			return true;
		});
		this.playerData.profileReleased.Connect((player) => this.unload(player.UserId));
		Players.PlayerRemoving.Connect((player) => {
			// Without a loaded profile there is nothing to save; just free the plot.
			if (!this.builds.has(player.UserId)) this.plots.release(player.UserId);
		});
	}

	/** The loaded build's plot, if the player's build is loaded here. */
	plotOf(userId: number): Plot | undefined {
		return this.builds.get(userId)?.plot;
	}

	isLoaded(userId: number): boolean {
		return this.builds.has(userId);
	}

	/** The loaded build's binary rows (what backups copy), if the build is loaded here. */
	rowsOf(userId: number): BuildRows | undefined {
		return this.builds.get(userId)?.rows;
	}

	/**
	 * Whether one more stored placement still fits in the player's profile. `serverMadeId`: its id
	 * is one PlacementIds just made (see encodedSize).
	 */
	canStore(userId: number, placement: StoredPlacement, serverMadeId = false): boolean {
		const build = this.builds.get(userId);
		if (build === undefined) return false;
		this.lastMeasured = placement;
		this.lastMeasuredSize = encodedSize(placement, serverMadeId);
		return fitsInProfile(build.encodedSize, this.lastMeasuredSize);
	}

	/** Writes a new placement to the owner's profile; returns the build revision it produced. */
	store(userId: number, placement: StoredPlacement): number {
		const build = this.builds.get(userId);
		// Not assert(): its message would be built on every placement.
		if (build === undefined) error(`build of ${userId} is not loaded`);
		build.profile.Data.placements.push(placement);
		build.profile.Data.buildRevision += 1;
		build.rows.add(placement);
		build.encodedSize += placement === this.lastMeasured ? this.lastMeasuredSize : encodedSize(placement);
		this.lastMeasured = undefined;
		return build.profile.Data.buildRevision;
	}

	/** Removes a placement from the owner's profile; returns the build revision it produced, if it was there. */
	forget(userId: number, placementId: string): number | undefined {
		const build = this.builds.get(userId);
		if (build === undefined) return undefined;
		const placements = build.profile.Data.placements;
		const index = placements.findIndex((placement) => placement.id === placementId);
		if (index === -1) return undefined;
		build.encodedSize -= encodedSize(placements[index]);
		placements.unorderedRemove(index);
		build.profile.Data.buildRevision += 1;
		build.rows.remove(placementId);
		return build.profile.Data.buildRevision;
	}

	/**
	 * Replaces a loaded build with `placements` (a recovery or rollback, or a journal replayed
	 * late at `revision`): the plot, the tracker, every client and the profile all change, and the
	 * profile is saved at once. A recovery or rollback (no `revision`) is in no journal entry:
	 * returns whether its save landed in time (the journal keeps later changes pending until it does).
	 */
	replaceBuild(userId: number, placements: readonly StoredPlacement[], revision?: number): Durability {
		const build = this.builds.get(userId);
		assert(build !== undefined, `build of ${userId} is not loaded`);
		for (const id of this.despawnAll(userId)) Events.objectRemoved.fire(build.player, id, userId);
		const data = build.profile.Data;
		data.placements = placements.map((placement) => ({ ...placement }));
		data.buildRevision = revision ?? data.buildRevision + 1;
		build.encodedSize = 0;
		build.rows = new BuildRows(data.placements);
		for (const stored of data.placements) {
			const tracked = this.spawnStored(build, stored);
			if (tracked !== undefined) Events.objectPlaced.fire(build.player, toSnapshot(tracked));
		}
		build.profile.Save();
		if (revision !== undefined) return this.journal.durabilityOf(userId, revision);
		return this.journal.replaced(userId, data.buildRevision);
	}

	/** Snapshots of a player's loaded build. */
	snapshotOf(userId: number): PlacementSnapshot[] {
		const result: PlacementSnapshot[] = [];
		for (const [, placement] of this.tracker.ownedBy(userId)) result.push(toSnapshot(placement));
		return result;
	}

	/**
	 * Spawns a loaded profile's build on the player's plot. BuildLoadService calls it once it has
	 * decided what the build is (profile, hand-over, backups, journal), with the rows a restore
	 * brought along when the build is exactly that backup's.
	 */
	loadBuild(player: Player, profile: PlayerProfile, restoredRows?: BuildRows) {
		const plot = this.plots.plotOf(player);
		if (plot === undefined) {
			warn(`${player.Name}'s build cannot load: no plot`);
			return;
		}
		if (!profile.IsActive() || player.Parent !== Players) return;
		const placements = profile.Data.placements;
		const rows = restoredRows !== undefined && restoredRows.size() === placements.size() ? restoredRows : new BuildRows(placements);
		const build: LoadedBuild = { player, profile, plot, encodedSize: 0, rows };
		this.builds.set(player.UserId, build);
		for (const stored of profile.Data.placements) this.spawnStored(build, stored);
		Events.buildLoaded.fire(player, this.snapshotOf(player.UserId));
	}

	/** Tracks and shows one stored placement of a loaded build; unknown items stay stored only. */
	private spawnStored(build: LoadedBuild, stored: StoredPlacement): TrackedPlacement | undefined {
		build.encodedSize += encodedSize(stored);
		const item = findItem(stored.itemId);
		if (item === undefined) {
			warn(`${build.player.Name}'s build has an object of unknown item ${stored.itemId}; it stays stored but is not shown`);
			return undefined;
		}
		const tracked = trackedPlacement(build.plot, build.player.UserId, stored);
		this.tracker.add(tracked, worldFootprintInto(build.plot, stored, item.footprint, LOADED_BOX));
		this.objects.spawn(build.plot, item, tracked);
		return tracked;
	}

	/** Takes a player's objects out of the tracker and the world; returns their ids. */
	private despawnAll(userId: number): string[] {
		const ids: string[] = [];
		for (const [id] of this.tracker.ownedBy(userId)) ids.push(id);
		for (const id of ids) {
			this.tracker.remove(id);
			this.objects.despawn(id);
		}
		return ids;
	}

	private unload(userId: number) {
		const build = this.builds.get(userId);
		if (build === undefined) return;
		this.builds.delete(userId);
		this.despawnAll(userId);
		this.plots.release(userId);
	}
}

/** Where spawnStored writes a loaded placement's footprint for the tracker (which copies it). */
const LOADED_BOX: FootprintBox = { minX: 0, minZ: 0, maxX: 0, maxZ: 0 };

export function trackedPlacement(plot: Plot, ownerId: number, stored: StoredPlacement): TrackedPlacement {
	return {
		id: stored.id,
		ownerId,
		itemId: stored.itemId,
		position: new Vector3(stored.x, stored.y, stored.z),
		rotation: stored.rotation,
		placedAt: stored.placedAt,
		worldPosition: new Vector3(plot.originX + stored.x, plot.originY + stored.y, plot.originZ + stored.z),
	};
}

/** A stored placement's X/Z footprint in the world (on `plot`), written into `into`. */
export function worldFootprintInto(plot: Plot, stored: StoredPlacement, footprint: Vector3, into: FootprintBox): FootprintBox {
	return footprintBoxInto(plot.originX + stored.x, plot.originZ + stored.z, footprint, stored.rotation, into);
}

export function toSnapshot(placement: TrackedPlacement): PlacementSnapshot {
	return {
		id: placement.id,
		ownerId: placement.ownerId,
		itemId: placement.itemId,
		position: placement.position,
		rotation: placement.rotation,
		placedAt: placement.placedAt,
	};
}
