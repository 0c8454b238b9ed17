-- Client-side run: the specs under client/, inside a client peer.
return {
	testMatch = { "**/*.spec" },
	setupFiles = { script.Parent.Parent.setup["isolate-runtime"] },
}
