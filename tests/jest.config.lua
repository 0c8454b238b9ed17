-- Server-side run: every spec under ServerScriptService.Tests, in a server peer.
return {
	testMatch = { "**/*.spec" },
	setupFiles = { game:GetService("ReplicatedStorage").Tests.setup["isolate-runtime"] },
}
