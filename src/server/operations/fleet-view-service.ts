import { OnStart, Service } from "@flamework/core";
import { MemoryStoreService, Players } from "@rbxts/services";
import { MemoryManager } from "server/memory-manager/memory-manager";
import { ServerPerformanceService } from "server/performance/server-performance-service";
import { PlacementTracker } from "server/placement-tracker/placement-tracker";
import { OverallState } from "server/system-manager/critical-system";
import { FleetConfig } from "shared/config/operations-config";
import { OperationsService } from "./operations-service";

/** One server as the fleet view shows it. */
export interface FleetEntry {
	readonly jobId: string;
	readonly players: number;
	readonly objects: number;
	readonly overall: OverallState;
	readonly memoryMb: number;
	readonly fps: number;
	readonly uptime: number;
	/** Unix seconds of the publication. */
	readonly publishedAt: number;
}

/** Entries read at most (MemoryStore's GetRangeAsync limit). */
const MAX_SERVERS = 200;

/**
 * The fleet view: every server publishes its status to one MemoryStore sorted map every few
 * seconds, with an expiry, so `getFleetStatus()` on any server lists every live one and a
 * server that died drops out on its own.
 */
@Service()
export class FleetViewService implements OnStart {
	private readonly map = MemoryStoreService.GetSortedMap(FleetConfig.mapName);
	private published = 0;
	private failures = 0;
	private lastError?: string;
	private stopped = false;

	constructor(
		private readonly operations: OperationsService,
		private readonly memory: MemoryManager,
		private readonly performance: ServerPerformanceService,
		private readonly tracker: PlacementTracker,
	) {}

	onStart() {
		game.BindToClose(() => this.stop());
		task.spawn(() => {
			for (;;) {
				task.wait(FleetConfig.publishIntervalSeconds);
				if (this.stopped) break;
				this.publish();
			}
		});
	}

	/** Stops publishing and takes this server's entry out of the view (on shutdown). */
	stop() {
		if (this.stopped) return;
		this.stopped = true;
		if (this.published > 0) pcall(() => this.map.RemoveAsync(this.key()));
	}

	/** This server's entry as it would be published now. */
	entry(): FleetEntry {
		const performance = this.performance.snapshot();
		return {
			jobId: game.JobId,
			players: Players.GetPlayers().size(),
			objects: this.tracker.totalObjects(),
			overall: this.operations.getSystemStatus().overall,
			memoryMb: this.memory.currentMemory(),
			fps: math.floor(performance.framesPerSecond * 10 + 0.5) / 10,
			uptime: math.floor(performance.uptimeSeconds),
			publishedAt: os.time(),
		};
	}

	/** Publishes this server's entry; a MemoryStore failure is counted and retried next time. */
	publish(): boolean {
		const [ok, problem] = pcall(() => this.map.SetAsync(this.key(), this.entry(), FleetConfig.expirationSeconds));
		if (ok) this.published += 1;
		else {
			this.failures += 1;
			this.lastError = tostring(problem);
		}
		return ok;
	}

	/** Every live server's entry, by job id; throws when the MemoryStore cannot be read. */
	getFleetStatus(): FleetEntry[] {
		const items = this.map.GetRangeAsync(Enum.SortDirection.Ascending, MAX_SERVERS);
		const result: FleetEntry[] = [];
		for (const item of items) result.push(item.value as FleetEntry);
		return result;
	}

	publishStats() {
		return { published: this.published, failures: this.failures, lastError: this.lastError };
	}

	private key(): string {
		return game.JobId === "" ? "studio" : game.JobId;
	}
}
