/**
 * A module under ServerScriptService.TS, loaded in the calling peer, e.g.
 * `requireServerModule<typeof SpatialHashModule>("placement-tracker/spatial-hash")`.
 *
 * Specs and benchmarks live in ReplicatedStorage, where roblox-ts refuses value imports of
 * server files; they import the module's types with `import type * as` and its code through this.
 */
export function requireServerModule<T>(path: string): T {
	let current: Instance = game.GetService("ServerScriptService");
	for (const part of `TS/${path}`.split("/")) {
		const child = current.FindFirstChild(part);
		if (child === undefined) error(`ServerScriptService has no ${path} (missing ${part})`, 2);
		current = child;
	}
	assert(current.IsA("ModuleScript"), `ServerScriptService.TS ${path} is not a ModuleScript`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- Roblox's require of a ModuleScript, not CommonJS
	return require(current) as T;
}
