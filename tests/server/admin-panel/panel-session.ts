import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, placeChairs, switchOffScheduledBackups } from "../data-backup/backup-world";
import { adminControllerOf, AdminSystems, startAdminServer } from "../admin/admin-world";
import { systemsOf } from "../placement/placement-world";

/** The panel's pickers by instance name. */
export type PickerName = "Target" | "Since" | "Backup" | "System" | "Audit" | "Scope";

/** A person at a client with the admin panel: what they see in it and what they press. */
export class PanelSession {
	constructor(readonly client: HeadlessClient) {}

	/** The panel's frame, or undefined when this player was never given one. */
	panel(): Frame | undefined {
		const gui = this.client.localPlayer()!.FindFirstChildOfClass("PlayerGui")!;
		return gui.FindFirstChild("AdminPanel")?.FindFirstChild("Panel") as Frame | undefined;
	}

	isOpen(): boolean {
		return this.panel()?.Visible === true;
	}

	/** Presses the panel's key, as a person would. */
	toggle() {
		this.client.pressKey(Enum.KeyCode.F2);
		Headless.frames(3);
	}

	text(name: "Title" | "Status" | "Report" | "Fleet" | "Alerts" | "Result"): string {
		return (this.panel()!.FindFirstChild(name) as TextLabel).Text;
	}

	shown(name: "Report" | "Fleet"): boolean {
		return (this.panel()!.FindFirstChild(name) as TextLabel).Visible;
	}

	commandButton(id: string): TextButton {
		return this.panel()!.FindFirstChild("Commands")!.FindFirstChild(id) as TextButton;
	}

	/** The ids of the command buttons on screen. */
	visibleCommands(): string[] {
		const shown: string[] = [];
		for (const child of this.panel()!.FindFirstChild("Commands")!.GetChildren()) {
			if (child.IsA("TextButton") && child.Visible) shown.push(child.Name);
		}
		return shown.sort();
	}

	confirmation(): string | undefined {
		const confirm = this.panel()!.FindFirstChild("Confirm") as Frame;
		return confirm.Visible ? (confirm.FindFirstChild("Question") as TextLabel).Text : undefined;
	}

	pickerShown(name: PickerName): boolean {
		return (this.panel()!.FindFirstChild(name) as Frame).Visible;
	}

	pickerValue(name: PickerName): string {
		return (this.panel()!.FindFirstChild(name)!.FindFirstChild("Value") as TextLabel).Text;
	}

	pickerStep(name: PickerName, direction: "Previous" | "Next") {
		this.clickGui(this.panel()!.FindFirstChild(name)!.FindFirstChild(direction) as TextButton);
	}

	/** Clicks the message box, erases what it holds (ASCII: one Backspace a byte), types `text` and presses Enter, as a person would. */
	typeMessage(text: string) {
		this.typeInto(this.panel()!.FindFirstChild("Message")!.FindFirstChild("Box") as TextBox, text);
	}

	/** Types into the User id box beside the player picker ("" empties it), as a person would. */
	typeUserId(text: string) {
		this.typeInto(this.panel()!.FindFirstChild("Target")!.FindFirstChild("UserId") as TextBox, text);
	}

	private typeInto(box: TextBox, text: string) {
		this.clickGui(box);
		for (let erase = box.Text.size(); erase > 0; erase--) this.client.pressKey(Enum.KeyCode.Backspace);
		if (text !== "") this.client.typeText(text);
		this.client.pressKey(Enum.KeyCode.Return);
		Headless.frames(1);
	}

	messageShown(): boolean {
		return (this.panel()!.FindFirstChild("Message") as Frame).Visible;
	}

	/** Clicks the middle of a GUI object, as a person would. */
	clickGui(target: GuiObject) {
		const centre = target.AbsolutePosition.add(target.AbsoluteSize.div(2));
		this.client.click(centre.X, centre.Y);
		Headless.frames(2);
	}

	press(id: string) {
		this.clickGui(this.commandButton(id));
	}

	answer(choice: "Yes" | "No") {
		this.clickGui(this.panel()!.FindFirstChild("Confirm")!.FindFirstChild(choice) as TextButton);
	}

	/** Waits until the result box shows the answer to `title`. */
	resultOf(title: string): string {
		waitUntil(() => this.text("Result").find(`${title} — `, 1, true)[0] === 1, 10, `the answer to ${title}`);
		return this.text("Result");
	}
}

/**
 * The Studio play-solo player `userId` (owner there) at a client of `server`, once their access
 * and their build are in; on a phone when `touch`.
 */
export function studioOwnerPanel(world: World, server: HeadlessServer, userId: number, name: string, touch = false): PanelSession {
	const client = world.join(server, { userId, name, touch });
	const controller = adminControllerOf(client);
	waitUntil(() => controller.currentAccess().role === "owner", 10, "the Studio player's access");
	waitUntil(() => systemsOf(server).builds.isLoaded(userId), 60, "the owner's build");
	return new PanelSession(client);
}

/**
 * A Studio play-solo server with its owner at the panel and two chairs of theirs placed;
 * `withoutScheduledBackups` switches the scheduled backups off before the owner joins.
 */
export function startStudioOwnerPanel(world: World, userId: number, name: string, withoutScheduledBackups = false): { server: HeadlessServer; systems: AdminSystems; me: PanelSession } {
	const { server, systems } = startAdminServer(world, { studio: true });
	if (withoutScheduledBackups) switchOffScheduledBackups(backupSystemsOf(server).backups);
	const me = studioOwnerPanel(world, server, userId, name);
	placeChairs(server, userId, 2);
	return { server, systems, me };
}
