import { HttpService, Players, Workspace } from "@rbxts/services";
import type { PlacementController } from "client/placement/placement-controller";
import { BotStats, countRejection, newStats } from "./bot-stats";

/**
 * A griefer: spams placements far faster than a person could, outside its plot and with junk
 * values, and tries to remove other players' objects: by the ids of those it can see in the
 * world, else (streaming never sends it other players' ids) by forged ones.
 */
export function runGriefer(controller: PlacementController, name: string, seed: number): BotStats {
	const stats = newStats(name, "griefer");
	const random = new Random(seed);
	const userId = Players.LocalPlayer.UserId;
	const attempt = (act: () => { success: boolean; reason?: string }, removal: boolean) => {
		stats.attempts += 1;
		const result = act();
		if (result.success) {
			if (removal) stats.removed += 1;
			else stats.placed += 1;
		} else countRejection(stats, result.reason!);
	};
	task.spawn(() => {
		for (;;) {
			task.wait(random.NextNumber(0.05, 0.4));
			const roll = random.NextNumber();
			if (roll < 0.3) {
				const victims = Workspace.GetDescendants().filter(
					(item) => item.IsA("Model") && item.GetAttribute("PlacementId") !== undefined && item.GetAttribute("OwnerId") !== userId,
				);
				if (victims.size() > 0) {
					const target = victims[random.NextInteger(0, victims.size() - 1)].GetAttribute("PlacementId") as string;
					attempt(() => controller.remove(target), true);
					continue;
				}
				attempt(() => controller.remove(HttpService.GenerateGUID(false)), true);
				continue;
			}
			if (roll < 0.4) {
				// A burst of real placements in one frame, far past the rate limit: what gets through counts
				// toward the per-minute moderation rule.
				for (let index = 0; index < 20; index++) {
					const position = new Vector3(random.NextInteger(2, 94), 0, random.NextInteger(2, 94));
					task.spawn(() => attempt(() => controller.place("chair", position, 0), false));
				}
			} else if (roll < 0.45) {
				attempt(() => controller.place("sofa", new Vector3(1, 0, 1), 0), false);
			} else if (roll < 0.5) {
				attempt(() => controller.place("lamp", new Vector3(random.NextInteger(-500, 500), 0, random.NextInteger(-500, 500)), 0), false);
			} else if (roll < 0.6) {
				attempt(() => controller.place("lamp", new Vector3(0 / 0, 1e308, math.huge), 45), false);
			} else {
				attempt(() => controller.place("lamp", new Vector3(random.NextInteger(2, 94), 0, random.NextInteger(2, 94)), 0), false);
			}
		}
	});
	return stats;
}
