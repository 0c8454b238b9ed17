import { ModerationRules } from "shared/config/moderation-config";
import { countText } from "shared/text/count-text";

/** What a rule sees about one placement attempt. */
export interface PlacementContext {
	readonly ownerId: number;
	readonly itemId: string;
	/** Placements this player made in the last minute. */
	readonly placementsLastMinute: number;
	/** Objects within `checkRadius` of the new object's position, counted up to `maxObjectsInRadius`. */
	readonly objectsInRadius: number;
	/** Objects of the same item within `checkRadius`, counted up to `maxSameItemType`. */
	readonly sameItemInRadius: number;
}

/** A rule is data: a name and a check. Adding one never touches the pipeline. */
export interface ModerationRule {
	readonly name: string;
	/** A description of the violation, or undefined when the placement is allowed. */
	readonly check: (context: PlacementContext, limits: ModerationRules) => string | undefined;
}

export const MODERATION_RULES: readonly ModerationRule[] = [
	{
		name: "maxObjectsPerMinute",
		check: (context, limits) =>
			context.placementsLastMinute >= limits.maxObjectsPerMinute
				? `${countText(context.placementsLastMinute, "placement")} in the last minute (limit ${limits.maxObjectsPerMinute})`
				: undefined,
	},
	{
		name: "maxObjectsInRadius",
		check: (context, limits) =>
			context.objectsInRadius >= limits.maxObjectsInRadius
				? `${countText(context.objectsInRadius, "object")} within ${limits.checkRadius} studs (limit ${limits.maxObjectsInRadius})`
				: undefined,
	},
	{
		name: "maxSameItemType",
		check: (context, limits) =>
			context.sameItemInRadius >= limits.maxSameItemType
				? `${context.sameItemInRadius} × ${context.itemId} within ${limits.checkRadius} studs (limit ${limits.maxSameItemType})`
				: undefined,
	},
];
