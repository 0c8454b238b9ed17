import type { PlacementController } from "client/placement/placement-controller";
import { catalogItems } from "shared/catalog/catalog";
import { PlotConfig } from "shared/config/placement-config";
import { BotStats, countRejection, newStats } from "./bot-stats";
import { walkAroundOwnPlot } from "./walker";

/**
 * A builder: lays out furniture and structures on its own plot at a human pace (a few seconds
 * between actions), now and then removing something it placed.
 */
export function runBuilder(controller: PlacementController, name: string, seed: number): BotStats {
	const stats = newStats(name, "builder");
	const random = new Random(seed);
	const items = catalogItems();
	walkAroundOwnPlot(seed);
	task.spawn(() => {
		for (;;) {
			task.wait(random.NextNumber(9, 16));
			const own = controller.ownObjects();
			if (own.size() > 6 && random.NextNumber() < 0.2) {
				for (const [id] of own) {
					stats.attempts += 1;
					const result = controller.remove(id);
					if (result.success) stats.removed += 1;
					else countRejection(stats, result.reason);
					break;
				}
				continue;
			}
			const item = items[random.NextInteger(0, items.size() - 1)];
			const margin = math.max(item.footprint.X, item.footprint.Z);
			const position = new Vector3(
				random.NextInteger(math.ceil(margin), PlotConfig.size - math.ceil(margin)),
				0,
				random.NextInteger(math.ceil(margin), PlotConfig.size - math.ceil(margin)),
			);
			stats.attempts += 1;
			const result = controller.place(item.id, position, random.NextInteger(0, 3) * 90);
			if (result.success) stats.placed += 1;
			else countRejection(stats, result.reason);
		}
	});
	return stats;
}
