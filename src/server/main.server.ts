import { Flamework } from "@flamework/core";

Flamework.addPaths("src/server");
Flamework.ignite();
