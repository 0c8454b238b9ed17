import { FleetAnswer, FleetCommandResult } from "shared/admin/admin-types";

/** A followed table as it stands: the button label it was run under, and its rows with the late ones merged in. */
export interface FollowedTable {
	readonly label: string;
	readonly result: FleetCommandResult;
	/** True while any row is still under way (more rows follow). */
	readonly underWay: boolean;
}

function anyUnderWay(rows: readonly FleetAnswer[]): boolean {
	return rows.some((answer) => answer.status === "underWay");
}

/**
 * The per-server tables of commands sent to every server that listed servers under way, by
 * command id: each server's late row replaces its row as it comes, and a table stops being
 * followed once no row is under way. At most `limit` are followed; past it the oldest is dropped.
 */
export class FollowedFleet {
	private readonly tables = new Map<string, FollowedTable>();
	/** Command ids, oldest first. */
	private readonly order: string[] = [];

	constructor(private readonly limit: number) {}

	/** Follows `result` under `label` when it lists servers under way; true when it does. */
	follow(label: string, result: FleetCommandResult): boolean {
		if (!anyUnderWay(result.servers)) return false;
		this.forget(result.commandId);
		while (this.order.size() >= this.limit) this.forget(this.order[0]);
		this.tables.set(result.commandId, { label, result, underWay: true });
		this.order.push(result.commandId);
		return true;
	}

	/** Merges late rows into their followed table: the table as it now stands, or undefined when it is not followed. */
	merge(commandId: string, late: readonly FleetAnswer[]): FollowedTable | undefined {
		const followed = this.tables.get(commandId);
		if (followed === undefined) return undefined;
		const servers = followed.result.servers.map((row) => late.find((answer) => answer.jobId === row.jobId) ?? row);
		for (const answer of late) if (!servers.some((row) => row.jobId === answer.jobId)) servers.push(answer);
		const merged: FollowedTable = { label: followed.label, result: { commandId, servers }, underWay: anyUnderWay(servers) };
		if (merged.underWay) this.tables.set(commandId, merged);
		else this.forget(commandId);
		return merged;
	}

	/** The command ids followed, oldest first. */
	followed(): readonly string[] {
		return [...this.order];
	}

	private forget(commandId: string) {
		this.tables.delete(commandId);
		const index = this.order.indexOf(commandId);
		if (index >= 0) this.order.remove(index);
	}
}
