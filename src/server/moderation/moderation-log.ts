/** One moderation action, as an admin reads it. */
export interface ModerationLogEntry {
	/** Unix seconds, server clock. */
	readonly time: number;
	readonly userId: number;
	readonly action: "reject" | "cooldown" | "kick";
	readonly rule: string;
	readonly detail: string;
}

/** Keeps the most recent moderation actions, oldest dropped first. */
export class ModerationLog {
	private readonly entries: ModerationLogEntry[] = [];

	constructor(private readonly capacity: number) {}

	add(entry: ModerationLogEntry) {
		this.entries.push(entry);
		if (this.entries.size() > this.capacity) this.entries.shift();
	}

	/** Newest last; optionally only one player's. */
	read(userId?: number): ModerationLogEntry[] {
		return userId === undefined ? [...this.entries] : this.entries.filter((entry) => entry.userId === userId);
	}
}
