import { TextChatService } from "@rbxts/services";
import { parseChatCommand, SECOND_ALIAS } from "shared/admin/chat-syntax";
import { AdminCommand, AdminCommandName, AdminResponse } from "shared/admin/admin-types";
import { formatResponse } from "shared/admin/format-response";

const FOLDER_NAME = "AdminCommands";
const SYSTEM_METADATA = "AdminCommand";

/**
 * Chat commands for the commands this player's role allows. They are created here, on this
 * client only: a TextChatCommand's Triggered fires where the instance exists, so commands the
 * server created would show up (and autocomplete) for every player. The server never trusts
 * this: each command goes through the admin remote, where the role is checked again and the
 * call audited. Answers appear to this player alone as system messages.
 */
export class AdminChat {
	private readonly commands = new Map<AdminCommandName, TextChatCommand>();
	private folder?: Folder;

	constructor(private readonly send: (command: AdminCommand) => AdminResponse) {}

	/** Makes exactly `allowed` available in chat. */
	offer(allowed: readonly AdminCommandName[]) {
		const keep = new Set(allowed);
		for (const [name, command] of this.commands) {
			if (!keep.has(name)) {
				command.Destroy();
				this.commands.delete(name);
			}
		}
		for (const name of allowed) if (!this.commands.has(name)) this.commands.set(name, this.create(name));
	}

	/** Shows a line to this player in the chat window. */
	show(text: string) {
		const system = TextChatService.FindFirstChild("TextChannels")?.FindFirstChild("RBXSystem");
		if (system?.IsA("TextChannel")) system.DisplaySystemMessage(text, SYSTEM_METADATA);
	}

	private create(name: AdminCommandName): TextChatCommand {
		if (this.folder === undefined) {
			this.folder = new Instance("Folder");
			this.folder.Name = FOLDER_NAME;
			this.folder.Parent = TextChatService;
		}
		const command = new Instance("TextChatCommand");
		command.Name = `Admin_${name}`;
		command.PrimaryAlias = `/${name}`;
		const second = SECOND_ALIAS[name];
		if (second !== undefined) command.SecondaryAlias = `/${second}`;
		command.Triggered.Connect((_, text) => this.triggered(text));
		command.Parent = this.folder;
		return command;
	}

	private triggered(text: string) {
		const parsed = parseChatCommand(text);
		if (typeIs(parsed, "string")) {
			this.show(parsed);
			return;
		}
		this.show(formatResponse(this.send(parsed)));
	}
}
