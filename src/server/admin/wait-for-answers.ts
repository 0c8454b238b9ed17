import { yieldUntil } from "shared/threads/yield-until";
import { FleetCollection } from "./fleet-messages";

/** Yields until every expected server gave its final answer or `limit` seconds have passed, whichever comes first. */
export function waitForAnswers(collection: FleetCollection, limit: number) {
	if (collection.complete()) return;
	yieldUntil(limit, (wake) =>
		collection.onAnswer(() => {
			if (collection.complete()) wake();
		}),
	);
}
