/** Chunk coordinates on the X/Z plane and the numeric keys that name them. */

/** Chunk coordinates are kept within ±2^15 so they fit an int16 on the wire and keys stay exact. */
export const CHUNK_COORD_LIMIT = 32767;
const KEY_STRIDE = 65536;

export interface ChunkCoord {
	readonly cx: number;
	readonly cz: number;
}

export function chunkCoordOf(value: number, chunkSize: number): number {
	return math.clamp(math.floor(value / chunkSize), -CHUNK_COORD_LIMIT, CHUNK_COORD_LIMIT);
}

export function chunkKey(cx: number, cz: number): number {
	return (cx + KEY_STRIDE / 2) * KEY_STRIDE + (cz + KEY_STRIDE / 2);
}

export function chunkKeyAt(x: number, z: number, chunkSize: number): number {
	return chunkKey(chunkCoordOf(x, chunkSize), chunkCoordOf(z, chunkSize));
}

export function chunkX(key: number): number {
	return math.floor(key / KEY_STRIDE) - KEY_STRIDE / 2;
}

export function chunkZ(key: number): number {
	return (key % KEY_STRIDE) - KEY_STRIDE / 2;
}

/** Distance on X/Z from a point to the nearest point of a chunk (0 inside it). */
export function distanceToChunk(x: number, z: number, cx: number, cz: number, chunkSize: number): number {
	const minX = cx * chunkSize;
	const minZ = cz * chunkSize;
	const dx = x < minX ? minX - x : x > minX + chunkSize ? x - minX - chunkSize : 0;
	const dz = z < minZ ? minZ - z : z > minZ + chunkSize ? z - minZ - chunkSize : 0;
	return math.sqrt(dx * dx + dz * dz);
}

/** Keys of every chunk a box on X/Z touches (a plot). */
export function chunksOfBox(minX: number, minZ: number, maxX: number, maxZ: number, chunkSize: number): number[] {
	const keys: number[] = [];
	const lastX = chunkCoordOf(maxX - 1e-6, chunkSize);
	const lastZ = chunkCoordOf(maxZ - 1e-6, chunkSize);
	for (let cx = chunkCoordOf(minX, chunkSize); cx <= lastX; cx++) {
		for (let cz = chunkCoordOf(minZ, chunkSize); cz <= lastZ; cz++) keys.push(chunkKey(cx, cz));
	}
	return keys;
}
