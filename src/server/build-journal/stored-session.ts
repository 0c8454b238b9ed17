import { DataStoreService } from "@rbxts/services";
import { DataStoreNames, playerProfileKey } from "shared/config/data-stores";

/**
 * The ProfileStore session load count stored with the player's profile, read past the GetAsync
 * cache; undefined when it cannot be read. ProfileStore raises it inside the UpdateAsync that
 * starts a session, so it is the one record of "a newer session has loaded" that never expires.
 */
export function storedSessionLoadCount(userId: number): number | undefined {
	const [ok, value] = pcall(() => {
		const options = new Instance("DataStoreGetOptions");
		options.UseCache = false;
		const [stored] = DataStoreService.GetDataStore(DataStoreNames.playerData).GetAsync(playerProfileKey(userId), options);
		return stored;
	});
	if (!ok || !typeIs(value, "table")) return undefined;
	const metaData = (value as { MetaData?: unknown }).MetaData;
	if (!typeIs(metaData, "table")) return undefined;
	const count = (metaData as { SessionLoadCount?: unknown }).SessionLoadCount;
	return typeIs(count, "number") ? count : undefined;
}
