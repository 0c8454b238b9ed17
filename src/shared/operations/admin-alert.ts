/** An operations alert as admins see it (the admin UI shows them; admin commands read the buffer). */
export interface AdminAlert {
	/** Increasing per server. */
	readonly sequence: number;
	/** Unix seconds. */
	readonly at: number;
	readonly severity: "info" | "warning" | "critical";
	/** What raised it, e.g. "monitor", "emergency", "memoryManager". */
	readonly source: string;
	readonly message: string;
}
