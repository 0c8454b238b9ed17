import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { DataStoreNames } from "shared/config/data-stores";
import { rejectionMessage, RejectionReason } from "shared/placement/rejection-reason";
import { waitUntil, World } from "../../harness/world";
import { startGameServer } from "../data-backup/backup-world";
import { journalOf } from "../build-journal/journal-world";
import { joinBuilder, systemsOf } from "../placement/placement-world";
import { BuildSession } from "./build-session";

describe("building while saving is delayed", () => {
	const world = new World();
	let server: HeadlessServer;
	let ben: BuildSession;
	afterAll(() => world.stop());

	beforeAll(() => {
		server = startGameServer(world, Headless.newDataStore()).server;
		journalOf(server).configure({ refuseAfterSeconds: 6 });
		ben = new BuildSession(joinBuilder(world, server, 1411, "Ben").client);
	});

	function saveNotice(): string | undefined {
		const notice = ben.hud.FindFirstChild("SaveNotice") as TextLabel;
		return notice.Visible ? notice.Text : undefined;
	}

	function placedCount(): number {
		return systemsOf(server).tracker.ownedBy(1411).size();
	}

	it("shows no notice while every change is saved", () => {
		ben.client.pressKey(Enum.KeyCode.Three);
		ben.aimAt(new Vector3(10, 0, 10));
		ben.click();
		expect(placedCount()).toBe(1);
		expect(saveNotice()).toBeUndefined();
	});

	it("shows saving delayed when neither the journal nor the profile store can take a placement", () => {
		server.memoryStoreFaults().setFailureRate(1, 21);
		server.dataStoreFaults().filter((request) => request.name === DataStoreNames.playerData);
		server.dataStoreFaults().setFailureRate(1, 21);
		ben.aimAt(new Vector3(30, 0, 10));
		ben.client.click();
		// The server waits for the journal write before it answers "pending".
		waitUntil(() => placedCount() === 2 && saveNotice() !== undefined, 10, "the pending answer");
		expect(saveNotice()).toBe(BuildUiConfig.savingDelayedText);
		// It is a notice, not a refusal: the object stands and no toast says otherwise.
		expect(ben.toast()).toBeUndefined();
		expect(BuildSession.objectsOf(ben.client, 1411).size()).toBe(2);
	});

	it("refuses the next placement with the server's message once the changes have waited too long", () => {
		Headless.seconds(7);
		ben.aimAt(new Vector3(50, 0, 10));
		ben.click();
		expect(ben.toast()).toBe(rejectionMessage(RejectionReason.SavingDelayed));
		expect(placedCount()).toBe(2);
		expect(saveNotice()).toBe(BuildUiConfig.savingDelayedText);
	});

	it("clears the notice once saving has caught up and a change is durable again", () => {
		server.memoryStoreFaults().clear();
		server.dataStoreFaults().clear();
		waitUntil(() => journalOf(server).status().pendingPlayers === 0, 60, "the journal to catch up");
		Headless.seconds(4);
		expect(ben.toast()).toBeUndefined();
		ben.aimAt(new Vector3(70, 0, 10));
		ben.click();
		waitUntil(() => placedCount() === 3, 10, "the placement");
		Headless.frames(2);
		expect(saveNotice()).toBeUndefined();
	});
});
