-- Server-side run: every spec except the client peer's.
return {
	testMatch = { "**/*.spec" },
	testPathIgnorePatterns = { "/client/" },
	setupFiles = { script.Parent.setup["isolate-runtime"] },
}
