/** A placeable item. Its model lives in ReplicatedStorage.TS.catalog.models under `id`. */
export interface CatalogItem {
	readonly id: string;
	readonly displayName: string;
	readonly category: "structure" | "furniture" | "nature" | "decoration";
	/** Size in studs before rotation: X (width), Y (height), Z (depth). */
	readonly footprint: Vector3;
	/** The footprint's X, Y and Z as plain numbers: every placement request reads them. */
	readonly sizeX: number;
	readonly sizeY: number;
	readonly sizeZ: number;
	/** How many a player may own at once. */
	readonly perPlayerCap: number;
}

function item(id: string, displayName: string, category: CatalogItem["category"], footprint: Vector3, perPlayerCap: number): CatalogItem {
	return { id, displayName, category, footprint, sizeX: footprint.X, sizeY: footprint.Y, sizeZ: footprint.Z, perPlayerCap };
}

const ITEMS: CatalogItem[] = [
	item("wood-wall", "Wooden Wall", "structure", new Vector3(8, 8, 1), 200),
	item("wood-floor", "Wooden Floor", "structure", new Vector3(8, 1, 8), 200),
	item("chair", "Chair", "furniture", new Vector3(2, 4, 2), 50),
	item("table", "Table", "furniture", new Vector3(6, 3, 4), 30),
	item("lamp", "Lamp", "decoration", new Vector3(1, 5, 1), 40),
	item("tree", "Tree", "nature", new Vector3(6, 16, 6), 25),
];

const BY_ID = new Map<string, CatalogItem>();
for (const item of ITEMS) BY_ID.set(item.id, item);

export function findItem(itemId: string): CatalogItem | undefined {
	return BY_ID.get(itemId);
}

export function catalogItems(): readonly CatalogItem[] {
	return ITEMS;
}
