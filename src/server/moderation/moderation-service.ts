import { RadiusCounts } from "server/placement-tracker/spatial-hash";
import { OnStart, Service } from "@flamework/core";
import { Players, Workspace } from "@rbxts/services";
import { PlacementTracker } from "server/placement-tracker/placement-tracker";
import { ModerationEscalation, ModerationPresets, ModerationRules } from "shared/config/moderation-config";
import { SlidingWindow } from "./sliding-window";
import { ModerationLog, ModerationLogEntry } from "./moderation-log";
import { MODERATION_RULES, ModerationRule, PlacementContext } from "./rules";
import { SystemRegistry } from "server/system-manager/system-registry";

const LOG_CAPACITY = 1000;
/** Placements and strikes remembered per player: more than any limit needs. */
const PLACEMENT_HISTORY = 256;
const STRIKE_HISTORY = 64;

/** The outcome of a moderation check. */
export type ModerationVerdict =
	| { readonly allowed: true }
	| { readonly allowed: false; readonly cooldown: true; readonly rule: string; readonly remainingSeconds: number }
	| { readonly allowed: false; readonly cooldown: false; readonly rule: string; readonly detail: string };

/** Every allowed placement gets this one verdict: nothing to make per call. */
const ALLOWED: ModerationVerdict = { allowed: true };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface PlayerRecord {
	readonly placements: SlidingWindow;
	readonly strikes: SlidingWindow;
	cooldownUntil: number;
}

/**
 * Anti-griefing: rate, density and same-item rules on every placement, strikes for violations,
 * escalating to a cooldown and then a kick, all written to a log admins can read.
 */
@Service()
export class ModerationService implements OnStart {
	private limits: ModerationRules = ModerationPresets.public;
	private rules: readonly ModerationRule[] = MODERATION_RULES;
	private readonly records = new Map<number, PlayerRecord>();
	/** Players who left whose records may still be kept (see departed); a record dropped while its player is back is made again when needed. */
	private readonly departedIds = new Set<number>();
	private readonly log = new ModerationLog(LOG_CAPACITY);
	/** Filled for each check and read only during it (checks never yield): one table for all of them. */
	private readonly context: Mutable<PlacementContext> = { ownerId: 0, itemId: "", placementsLastMinute: 0, objectsInRadius: 0, sameItemInRadius: 0 };
	/** Reused by every check: both density counts come from one pass over the tracker's index. */
	private readonly counts: RadiusCounts = { all: 0, ofKind: 0 };

	constructor(
		private readonly tracker: PlacementTracker,
		private readonly registry: SystemRegistry,
	) {}

	onStart() {
		// Private servers host trusted builders; public ones get the strict preset.
		this.limits = game.PrivateServerId !== "" ? ModerationPresets.private : ModerationPresets.public;
		this.registry.connect("moderation", Players.PlayerRemoving, "PlayerRemoving", (player) => this.departed(player.UserId));
	}

	/** Replaces the thresholds, e.g. with a preset. */
	configure(limits: ModerationRules) {
		this.limits = { ...limits };
	}

	settings(): Readonly<ModerationRules> {
		return this.limits;
	}

	/**
	 * Checks a placement by `player` (whose UserId the caller has read already) about to happen at
	 * world (`worldX`, `worldZ`) at server time `now`. Violations count as strikes.
	 */
	checkPlacement(player: Player, userId: number, itemId: string, worldX: number, worldZ: number, now: number): ModerationVerdict {
		const record = this.recordOf(userId);
		if (now < record.cooldownUntil) {
			return { allowed: false, cooldown: true, rule: "cooldown", remainingSeconds: record.cooldownUntil - now };
		}
		const context = this.contextFor(userId, itemId, worldX, worldZ, now, record);
		for (const rule of this.rules) {
			const detail = rule.check(context, this.limits);
			if (detail !== undefined) {
				this.strike(player, userId, rule.name, detail, now, record);
				return { allowed: false, cooldown: false, rule: rule.name, detail };
			}
		}
		return ALLOWED;
	}

	/** Records a placement that went through at `now` (server time; it counts toward the per-minute rule). */
	recordPlacement(userId: number, now: number) {
		this.recordOf(userId).placements.record(now);
	}

	/** Writes an action another system took (e.g. the inbound gate's kicks) to the moderation log. */
	logAction(entry: ModerationLogEntry) {
		this.write(entry);
	}

	/** Moderation actions, newest last; optionally one player's. */
	readLog(userId?: number): ModerationLogEntry[] {
		return this.log.read(userId);
	}

	strikeCount(userId: number): number {
		return this.recordOf(userId).strikes.count(Workspace.GetServerTimeNow());
	}

	private contextFor(ownerId: number, itemId: string, x: number, z: number, now: number, record: PlayerRecord): PlacementContext {
		// Counts stop at the limits: past a limit the exact figure changes nothing.
		const limits = this.limits;
		const context = this.context;
		context.ownerId = ownerId;
		context.itemId = itemId;
		context.placementsLastMinute = record.placements.count(now);
		const counts = this.tracker.countNearAndItem(x, z, limits.checkRadius, limits.maxObjectsInRadius, itemId, limits.maxSameItemType, this.counts);
		context.objectsInRadius = counts.all;
		context.sameItemInRadius = counts.ofKind;
		return context;
	}

	private strike(player: Player, userId: number, rule: string, detail: string, now: number, record: PlayerRecord) {
		record.strikes.record(now);
		const strikes = record.strikes.count(now);
		this.write({ time: now, userId, action: "reject", rule, detail });
		if (strikes >= ModerationEscalation.strikesForKick) {
			this.write({ time: now, userId, action: "kick", rule, detail: `${strikes} strikes` });
			player.Kick(`Removed by automatic moderation: repeated ${rule} violations.`);
		} else if (strikes >= ModerationEscalation.strikesForCooldown) {
			record.cooldownUntil = now + ModerationEscalation.cooldownSeconds;
			this.write({
				time: now,
				userId,
				action: "cooldown",
				rule,
				detail: `${strikes} strikes: ${ModerationEscalation.cooldownSeconds} s cooldown`,
			});
		}
	}

	/**
	 * A player left: their record stays while it still counts (placements in the last minute,
	 * strikes in the window, a cooldown), so leaving and rejoining resets none of it. Records of
	 * players who left earlier and no longer count are dropped now.
	 */
	private departed(userId: number) {
		const now = Workspace.GetServerTimeNow();
		this.departedIds.add(userId);
		for (const id of this.departedIds) {
			const record = this.records.get(id);
			if (record !== undefined && (record.placements.count(now) > 0 || record.strikes.count(now) > 0 || now < record.cooldownUntil)) continue;
			this.records.delete(id);
			this.departedIds.delete(id);
		}
	}

	private write(entry: ModerationLogEntry) {
		this.log.add(entry);
	}

	private recordOf(userId: number): PlayerRecord {
		let record = this.records.get(userId);
		if (record === undefined) {
			record = {
				placements: new SlidingWindow(60, PLACEMENT_HISTORY),
				strikes: new SlidingWindow(ModerationEscalation.strikeWindowSeconds, STRIKE_HISTORY),
				cooldownUntil: 0,
			};
			this.records.set(userId, record);
		}
		return record;
	}
}
