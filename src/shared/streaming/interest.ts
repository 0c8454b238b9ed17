import { chunkCoordOf, chunkKey, chunkX, chunkZ, distanceToChunk } from "./chunk-grid";

/** A chunk a player should receive, with how far it is from their focus. */
export interface WantedChunk {
	readonly key: number;
	readonly distance: number;
	/** Part of the player's own plot: always in, sent first. */
	readonly pinned: boolean;
}

export interface InterestInput {
	readonly focusX: number;
	readonly focusZ: number;
	readonly chunkSize: number;
	readonly streamInRadius: number;
	readonly streamOutRadius: number;
	/** Chunks of the player's own plot. */
	readonly pinned: ReadonlySet<number>;
}

/**
 * Chunks within the stream-in radius (and the pinned ones) that are not held yet, own plot
 * first, then nearest first. Ties break on the key so the order is deterministic.
 */
export function chunksToStreamIn(input: InterestInput, held: ReadonlyMap<number, unknown>): WantedChunk[] {
	const { focusX, focusZ, chunkSize, streamInRadius } = input;
	const wanted: WantedChunk[] = [];
	for (const key of input.pinned) {
		if (!held.has(key)) wanted.push({ key, distance: distanceToChunk(focusX, focusZ, chunkX(key), chunkZ(key), chunkSize), pinned: true });
	}
	const minX = chunkCoordOf(focusX - streamInRadius, chunkSize);
	const maxX = chunkCoordOf(focusX + streamInRadius, chunkSize);
	const minZ = chunkCoordOf(focusZ - streamInRadius, chunkSize);
	const maxZ = chunkCoordOf(focusZ + streamInRadius, chunkSize);
	for (let cx = minX; cx <= maxX; cx++) {
		for (let cz = minZ; cz <= maxZ; cz++) {
			const key = chunkKey(cx, cz);
			if (held.has(key) || input.pinned.has(key)) continue;
			const distance = distanceToChunk(focusX, focusZ, cx, cz, chunkSize);
			if (distance <= streamInRadius) wanted.push({ key, distance, pinned: false });
		}
	}
	wanted.sort((a, b) => {
		if (a.pinned !== b.pinned) return a.pinned;
		if (a.distance !== b.distance) return a.distance < b.distance;
		return a.key < b.key;
	});
	return wanted;
}

/** Held chunks that are past the stream-out radius and not pinned: they are dropped. */
export function chunksToStreamOut(input: InterestInput, held: ReadonlyMap<number, unknown>): number[] {
	const dropped: number[] = [];
	streamOut(input.focusX, input.focusZ, input.chunkSize, input.streamOutRadius, input.pinned, held, dropped);
	return dropped;
}

/**
 * Puts the held chunks past `streamOutRadius` (not pinned) in `dropped` and returns the slack: how
 * far the focus can move (in any direction) before another held chunk could be past the radius.
 * A radius below 0 drops every chunk that is not pinned.
 */
export function streamOut(
	focusX: number,
	focusZ: number,
	chunkSize: number,
	streamOutRadius: number,
	pinned: ReadonlySet<number>,
	held: ReadonlyMap<number, unknown>,
	dropped: number[],
): number {
	const radiusSquared = streamOutRadius < 0 ? -1 : streamOutRadius * streamOutRadius;
	let farthestSquared = -1;
	for (const [key] of held) {
		if (pinned.has(key)) continue;
		const minX = chunkX(key) * chunkSize;
		const minZ = chunkZ(key) * chunkSize;
		const dx = focusX < minX ? minX - focusX : focusX > minX + chunkSize ? focusX - minX - chunkSize : 0;
		const dz = focusZ < minZ ? minZ - focusZ : focusZ > minZ + chunkSize ? focusZ - minZ - chunkSize : 0;
		const squared = dx * dx + dz * dz;
		if (squared > radiusSquared) dropped.push(key);
		else if (squared > farthestSquared) farthestSquared = squared;
	}
	return farthestSquared < 0 ? math.huge : streamOutRadius - math.sqrt(farthestSquared);
}
