/**
 * The spec's integration test as a ModuleScript at ServerScriptService.test_critical_systems_integration:
 * `require(game.ServerScriptService.test_critical_systems_integration)` from the command bar of a
 * running server prints one line per check and returns the typed report. It uses the running
 * server's systems and never touches real players' data.
 */
import { Modding } from "@flamework/core";
import { SystemManager } from "server/system-manager/system-manager";

export = Modding.resolveSingleton(SystemManager).runPreflight();
