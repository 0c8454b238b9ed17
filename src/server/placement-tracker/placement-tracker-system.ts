import { Service } from "@flamework/core";
import { BuildService, trackedPlacement, worldFootprintInto } from "server/builds/build-service";
import { PlayerDataService } from "server/player-data/player-data-service";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { findItem } from "shared/catalog/catalog";
import { FootprintBox } from "shared/placement/footprint";
import { PlacementTracker, TrackedPlacement } from "./placement-tracker";
import { countText } from "shared/text/count-text";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		placementTracker: PlacementTrackerSystem;
	}
}

/** The tracker section of the system report. */
export interface PlacementTrackerReport {
	readonly totalObjects: number;
	readonly owners: number;
	readonly lastRebuild?: TrackerRebuild;
}

/** What a rebuild from the loaded builds found. */
export interface TrackerRebuild {
	readonly before: number;
	readonly after: number;
	/** Stored placements that were not tracked and now are. */
	readonly restored: number;
	/** Tracked placements no loaded build holds; dropped from the registry. */
	readonly dropped: number;
}

/** The placement registry as a critical system: restarting rebuilds it from the loaded profiles. */
@Service()
export class PlacementTrackerSystem implements CriticalSystem {
	readonly systemName = "placementTracker";
	readonly servesPlacements = true;
	readonly isolates: readonly object[];
	private lastRebuild?: TrackerRebuild;

	constructor(
		readonly tracker: PlacementTracker,
		private readonly playerData: PlayerDataService,
		private readonly builds: BuildService,
	) {
		this.isolates = [tracker];
	}

	status(): SystemStatus {
		return { state: "OPERATIONAL", reason: `${countText(this.tracker.totalObjects(), "object")} tracked` };
	}

	report(): PlacementTrackerReport {
		const owners = new Set<number>();
		for (const placement of this.tracker.all()) owners.add(placement.ownerId);
		return { totalObjects: this.tracker.totalObjects(), owners: owners.size(), lastRebuild: this.lastRebuild };
	}

	/**
	 * Rebuilds the registry and its spatial index from the loaded builds (their profiles'
	 * placements). A profile whose build is still being decided holds no build yet: its load
	 * tracks the build once decided.
	 */
	restart() {
		const previous = new Map<string, TrackedPlacement>();
		// Their footprints as indexed, so a rebuild that fails puts back exactly what was there.
		const previousFootprints = new Map<string, FootprintBox>();
		for (const placement of this.tracker.all()) {
			previous.set(placement.id, placement);
			previousFootprints.set(placement.id, this.tracker.footprintOf(placement.id, { minX: 0, minZ: 0, maxX: 0, maxZ: 0 })!);
		}
		const rebuilt: TrackedPlacement[] = [];
		const footprints: FootprintBox[] = [];
		for (const [player, profile] of this.playerData.loadedProfiles()) {
			// Only loaded builds: one still being decided is not the player's build yet.
			const plot = this.builds.plotOf(player.UserId);
			if (plot === undefined) continue;
			for (const stored of profile.Data.placements) {
				const item = findItem(stored.itemId);
				if (item === undefined) continue;
				rebuilt.push(trackedPlacement(plot, player.UserId, stored));
				footprints.push(worldFootprintInto(plot, stored, item.footprint, { minX: 0, minZ: 0, maxX: 0, maxZ: 0 }));
			}
		}
		let restored = 0;
		for (const placement of rebuilt) if (!previous.has(placement.id)) restored += 1;
		const kept = rebuilt.size() - restored;
		this.tracker.clear();
		const [ok, problem] = pcall(() => {
			for (let index = 0; index < rebuilt.size(); index++) this.tracker.add(rebuilt[index], footprints[index]);
		});
		if (!ok) {
			// A rebuild that cannot finish leaves the registry as it was.
			this.tracker.clear();
			for (const [id, placement] of previous) this.tracker.add(placement, previousFootprints.get(id));
			error(`rebuild abandoned, registry kept as it was: ${problem}`, 0);
		}
		this.lastRebuild = { before: previous.size(), after: rebuilt.size(), restored, dropped: previous.size() - kept };
	}
}
