/** Why the server refused a placement or removal; each has one player-facing message. */
export enum RejectionReason {
	InvalidPayload = "InvalidPayload",
	RateLimited = "RateLimited",
	UnknownItem = "UnknownItem",
	InvalidNumber = "InvalidNumber",
	InvalidRotation = "InvalidRotation",
	NoPlot = "NoPlot",
	OutsidePlot = "OutsidePlot",
	TooHigh = "TooHigh",
	Overlap = "Overlap",
	Conflict = "Conflict",
	ItemCap = "ItemCap",
	NotFound = "NotFound",
	NotOwner = "NotOwner",
	Moderation = "Moderation",
	Cooldown = "Cooldown",
	DataNotLoaded = "DataNotLoaded",
	DataLimit = "DataLimit",
	EmergencyMode = "EmergencyMode",
	SystemRestarting = "SystemRestarting",
	SavingDelayed = "SavingDelayed",
	SessionMoved = "SessionMoved",
}

const MESSAGES: Record<RejectionReason, string> = {
	[RejectionReason.InvalidPayload]: "That request was malformed.",
	[RejectionReason.RateLimited]: "You're building too fast. Slow down a little.",
	[RejectionReason.UnknownItem]: "That item doesn't exist.",
	[RejectionReason.InvalidNumber]: "That position isn't valid.",
	[RejectionReason.InvalidRotation]: "Objects can only be turned in fixed steps.",
	[RejectionReason.NoPlot]: "You don't have a plot on this server yet.",
	[RejectionReason.OutsidePlot]: "Objects must stay inside your plot.",
	[RejectionReason.TooHigh]: "That's above the building height limit.",
	[RejectionReason.Overlap]: "Something is already there.",
	[RejectionReason.Conflict]: "Someone else took that spot a moment ago.",
	[RejectionReason.ItemCap]: "You've placed the most of that item you can own.",
	[RejectionReason.NotFound]: "That object is already gone.",
	[RejectionReason.NotOwner]: "You can only remove your own objects.",
	[RejectionReason.Moderation]: "That was blocked by the server's building rules.",
	[RejectionReason.Cooldown]: "You're on a building cooldown. Try again shortly.",
	[RejectionReason.DataNotLoaded]: "Your build is still loading.",
	[RejectionReason.DataLimit]: "Your build is full: it can't hold any more data.",
	[RejectionReason.EmergencyMode]: "Building is paused while the server recovers. Your build is safe; try again in a few minutes.",
	[RejectionReason.SystemRestarting]: "The server is restarting a system. Try again in a moment.",
	[RejectionReason.SavingDelayed]: "Saving is delayed, so building is paused until your recent changes are saved.",
	[RejectionReason.SessionMoved]: "Your build was opened on another server, so it can't be changed here. Rejoin to keep building.",
};

export function rejectionMessage(reason: RejectionReason): string {
	return MESSAGES[reason];
}
