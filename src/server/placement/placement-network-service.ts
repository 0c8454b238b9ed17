import { OnStart, Service } from "@flamework/core";
import { Functions } from "server/network";
import { SystemManager } from "server/system-manager/system-manager";

/**
 * Connects the placement remotes to SystemManager. What never reaches it (malformed and
 * rate-limited calls) is refused and counted by the inbound gate (InboundGateService).
 */
@Service()
export class PlacementNetworkService implements OnStart {
	constructor(private readonly systems: SystemManager) {}

	onStart() {
		Functions.placeObject.setCallback((player, itemId, position, rotation) =>
			this.systems.placeObject(player, itemId, position, rotation),
		);
		Functions.removeObject.setCallback((player, placementId) => this.systems.removeObject(player, placementId));
	}
}
