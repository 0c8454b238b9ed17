/** A placeable item. Its model lives in ReplicatedStorage.TS.catalog.models under `id`. */
export interface CatalogItem {
	readonly id: string;
	readonly displayName: string;
	readonly category: "structure" | "furniture" | "nature" | "decoration";
	/** Size in studs before rotation: X (width), Y (height), Z (depth). */
	readonly footprint: Vector3;
	/** How many a player may own at once. */
	readonly perPlayerCap: number;
}

const ITEMS: CatalogItem[] = [
	{ id: "wood-wall", displayName: "Wooden Wall", category: "structure", footprint: new Vector3(8, 8, 1), perPlayerCap: 200 },
	{ id: "wood-floor", displayName: "Wooden Floor", category: "structure", footprint: new Vector3(8, 1, 8), perPlayerCap: 200 },
	{ id: "chair", displayName: "Chair", category: "furniture", footprint: new Vector3(2, 4, 2), perPlayerCap: 50 },
	{ id: "table", displayName: "Table", category: "furniture", footprint: new Vector3(6, 3, 4), perPlayerCap: 30 },
	{ id: "lamp", displayName: "Lamp", category: "decoration", footprint: new Vector3(1, 5, 1), perPlayerCap: 40 },
	{ id: "tree", displayName: "Tree", category: "nature", footprint: new Vector3(6, 16, 6), perPlayerCap: 25 },
];

const BY_ID = new Map<string, CatalogItem>();
for (const item of ITEMS) BY_ID.set(item.id, item);

export function findItem(itemId: string): CatalogItem | undefined {
	return BY_ID.get(itemId);
}

export function catalogItems(): readonly CatalogItem[] {
	return ITEMS;
}
