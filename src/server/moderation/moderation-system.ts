import { Service } from "@flamework/core";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { ModerationRules } from "shared/config/moderation-config";
import { ModerationService } from "./moderation-service";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		moderation: ModerationSystem;
	}
}

export interface ModerationReport {
	readonly settings: ModerationRules;
	readonly logEntries: number;
	readonly rejects: number;
	readonly cooldowns: number;
	readonly kicks: number;
}

/** Automatic moderation as a critical system. */
@Service()
export class ModerationSystem implements CriticalSystem {
	readonly systemName = "moderation";
	readonly servesPlacements = true;
	readonly isolates: readonly object[];

	constructor(readonly moderation: ModerationService) {
		this.isolates = [moderation];
	}

	status(): SystemStatus {
		const settings = this.moderation.settings();
		return { state: "OPERATIONAL", reason: `${settings.maxObjectsPerMinute}/min, ${settings.maxObjectsInRadius} in ${settings.checkRadius} studs` };
	}

	report(): ModerationReport {
		let rejects = 0;
		let cooldowns = 0;
		let kicks = 0;
		const log = this.moderation.readLog();
		for (const entry of log) {
			if (entry.action === "reject") rejects += 1;
			else if (entry.action === "cooldown") cooldowns += 1;
			else if (entry.action === "kick") kicks += 1;
		}
		return { settings: { ...this.moderation.settings() }, logEntries: log.size(), rejects, cooldowns, kicks };
	}

	/** Re-applies the current thresholds; strikes, cooldowns and the log are kept. */
	restart() {
		this.moderation.configure(this.moderation.settings());
	}
}
