import type { GlobalEvent, NamespaceMetadata as EventMetadata, ServerHandler as EventServer } from "@flamework/networking/out/events/types";
import type { GlobalFunction, NamespaceMetadata as FunctionMetadata, ServerHandler as FunctionServer } from "@flamework/networking/out/functions/types";
import type { MiddlewareFactory } from "@flamework/networking/out/middleware/types";
import { Skip, SkipBadRequest } from "@flamework/networking/out/middleware/skip";
import { ReplicatedStorage } from "@rbxts/services";
import { InboundConfig } from "shared/config/inbound-config";
import { InboundGate } from "./inbound-gate";
import { ArgumentCheck, GatedRemote, InboundVerdict } from "./inbound-types";

/** The server's one inbound gate; every gated remote of this server goes through it. */
export const inboundGate = new InboundGate<Player>((player) => player.UserId);

/** A client→server remote as the fuzzer and reports see it. */
export interface ContractRemote extends GatedRemote {
	/** The `id` attribute of the RemoteEvent Flamework created for it. */
	readonly remoteId: string;
	/** The `id` attribute of the folder under ReplicatedStorage that holds it. */
	readonly folderId: string;
}

/** A server→client remote: sealed, a client firing it is counted and ignored. */
export interface SealedRemote {
	readonly name: string;
	readonly remoteId: string;
	readonly folderId: string;
}

const contractRemotes: ContractRemote[] = [];
const sealedRemotes: SealedRemote[] = [];

/** Every client→server remote of the contract, as gated on this server. */
export function gatedRemotes(): readonly ContractRemote[] {
	return contractRemotes;
}

/** Every server→client remote of the contract, as sealed on this server. */
export function sealedRemoteList(): readonly SealedRemote[] {
	return sealedRemotes;
}

type AnyMiddleware = MiddlewareFactory<unknown[], unknown>;
type MiddlewareTree = { [name: string]: AnyMiddleware[] | MiddlewareTree | undefined };

/** What a gated function answers when it refuses a call before it reaches its handler. */
export interface FunctionAnswers {
	/** Answer for a call refused by its rate limit (default: the call is cancelled). */
	readonly rateLimited?: { readonly [name: string]: unknown };
	/** Answer for a malformed call (default: Flamework's BadRequest). */
	readonly malformed?: { readonly [name: string]: unknown };
}

interface MetadataShape {
	readonly incomingIds: string[];
	readonly incoming: Record<string, [ArgumentCheck[], ArgumentCheck | undefined]>;
	readonly incomingUnreliable?: Record<string, boolean>;
	readonly outgoingIds: string[];
	readonly outgoingUnreliable?: Record<string, boolean>;
	readonly namespaceIds: string[];
	readonly namespaces: Record<string, MetadataShape>;
}

function gateMiddleware(remote: GatedRemote, refusal: (verdict: InboundVerdict) => unknown): AnyMiddleware {
	return (processNext) =>
		(player, ...args) => {
			// The server predicting its own call has no sender to gate.
			if (player === undefined) return processNext(player, ...args);
			const verdict = inboundGate.check(player, remote, args, select("#", ...args), os.clock());
			if (verdict === "accepted") return processNext(player, ...args);
			return refusal(verdict) as never;
		};
}

/**
 * Puts the gate first in every incoming remote's middleware (Flamework's own guards are turned
 * off and run by the gate instead, after the rate limit and size checks) and records the
 * contract for reports and the fuzzer.
 */
function gateNamespace(
	meta: MetadataShape,
	prefix: string,
	kind: "Event" | "Function",
	extra: MiddlewareTree | undefined,
	answers: FunctionAnswers,
): MiddlewareTree {
	const tree: MiddlewareTree = {};
	for (const id of meta.incomingIds) {
		const name = `${prefix}${id}`;
		const [checks, restCheck] = meta.incoming[id];
		const remote: GatedRemote = {
			name,
			kind,
			checks,
			restCheck,
			budget: InboundConfig.remotes[name] ?? InboundConfig.defaultRemote,
		};
		const rateLimitedAnswer = answers.rateLimited?.[name];
		const malformedAnswer = answers.malformed?.[name] ?? SkipBadRequest;
		const refusal =
			kind === "Event"
				? () => undefined
				: (verdict: InboundVerdict) =>
						verdict === "malformed" ? malformedAnswer : verdict === "rateLimited" && rateLimitedAnswer !== undefined ? rateLimitedAnswer : Skip;
		const rest = (extra?.[id] as AnyMiddleware[] | undefined) ?? [];
		tree[id] = [gateMiddleware(remote, refusal), ...rest];
		// Flamework names an unreliable event's remote "unreliable:<name>".
		const remoteId = kind === "Event" && meta.incomingUnreliable?.[id] === true ? `unreliable:${name}` : name;
		contractRemotes.push({ ...remote, remoteId, folderId: "" });
	}
	for (const namespaceId of meta.namespaceIds) {
		tree[namespaceId] = gateNamespace(
			meta.namespaces[namespaceId],
			`${prefix}${namespaceId}/`,
			kind,
			extra?.[namespaceId] as MiddlewareTree | undefined,
			answers,
		);
	}
	return tree;
}

/** Names of the server→client remotes of a namespace and its children. */
function outgoingOnly(meta: MetadataShape, prefix: string, into: Map<string, string>) {
	const incoming = new Set(meta.incomingIds);
	for (const id of meta.outgoingIds) {
		if (incoming.has(id)) continue;
		const name = `${prefix}${id}`;
		into.set(meta.outgoingUnreliable?.[id] === true ? `unreliable:${name}` : name, name);
	}
	for (const namespaceId of meta.namespaceIds) outgoingOnly(meta.namespaces[namespaceId], `${prefix}${namespaceId}/`, into);
}

/** The folder Flamework made for one createEvent/createFunction: the one holding these remote ids. */
function folderHolding(ids: ReadonlySet<string>): Folder | undefined {
	for (const folder of ReplicatedStorage.GetChildren()) {
		if (!folder.IsA("Folder") || folder.GetAttribute("id") === undefined) continue;
		let found = 0;
		for (const child of folder.GetChildren()) {
			const id = child.GetAttribute("id");
			if (typeIs(id, "string") && ids.has(id)) found += 1;
		}
		if (found === ids.size()) return folder;
	}
	return undefined;
}

/**
 * Connects a counting handler to every server→client remote, so a client firing one costs a
 * counter (and a strike) instead of filling the engine's queue and the log; and one to every
 * function's remote that checks the request id the gate's middleware never sees.
 */
function seal(meta: MetadataShape, firstContract: number) {
	const outgoing = new Map<string, string>();
	outgoingOnly(meta, "", outgoing);
	const allIds = new Set<string>();
	for (const [id] of outgoing) allIds.add(id);
	for (let index = firstContract; index < contractRemotes.size(); index++) allIds.add(contractRemotes[index].remoteId);
	if (allIds.size() === 0) return;
	const folder = folderHolding(allIds);
	assert(folder, "the networking folder for these remotes was not found");
	const folderId = folder.GetAttribute("id") as string;
	const functions = new Map<string, string>();
	for (let index = firstContract; index < contractRemotes.size(); index++) {
		const remote = { ...contractRemotes[index], folderId };
		contractRemotes[index] = remote;
		if (remote.kind === "Function") functions.set(remote.remoteId, remote.name);
	}
	for (const child of folder.GetChildren()) {
		const id = child.GetAttribute("id");
		if (!typeIs(id, "string") || !(child.IsA("RemoteEvent") || child.IsA("UnreliableRemoteEvent"))) continue;
		const functionName = functions.get(id);
		if (functionName !== undefined) {
			(child as RemoteEvent).OnServerEvent.Connect((player, requestId) => inboundGate.checkRequestId(player, functionName, requestId, os.clock()));
			continue;
		}
		const name = outgoing.get(id);
		if (name === undefined) continue;
		sealedRemotes.push({ name, remoteId: id, folderId });
		(child as RemoteEvent).OnServerEvent.Connect((player) => inboundGate.sealedCall(player, name, os.clock()));
	}
}

/**
 * Calls Flamework's createServer with a config built at run time. Its typed signature is a
 * macro that wants a literal config; the metadata is the one our own macro received.
 */
function createWithConfig(global: unknown, config: object, meta: unknown): unknown {
	return (global as { createServer(config: object, meta: unknown): unknown }).createServer(config, meta);
}

export interface GatedServerOptions {
	/** Middleware that runs after the gate, per remote (as in Flamework's createServer). */
	readonly middleware?: MiddlewareTree;
}

/**
 * `GlobalEvents.createServer` with the inbound gate in front of every incoming event and every
 * outgoing event sealed. The contract's guards come from Flamework's generated metadata.
 * @metadata macro
 */
export function createGatedEventServer<S, C>(
	global: GlobalEvent<S, C>,
	options: GatedServerOptions,
	meta?: EventMetadata<S, C>,
): EventServer<C, S> {
	assert(meta, "createGatedEventServer needs the contract metadata Flamework generates");
	const shape = meta as unknown as MetadataShape;
	const firstContract = contractRemotes.size();
	const middleware = gateNamespace(shape, "", "Event", options.middleware, {});
	const server = createWithConfig(global, { disableIncomingGuards: true, middleware }, meta);
	seal(shape, firstContract);
	return server as EventServer<C, S>;
}

/**
 * `GlobalFunctions.createServer` with the inbound gate in front of every incoming function.
 * A malformed call is answered `answers.malformed[name]` (else BadRequest), a rate-limited one
 * with `answers.rateLimited[name]` (else the call is cancelled).
 * @metadata macro
 */
export function createGatedFunctionServer<S, C>(
	global: GlobalFunction<S, C>,
	options: GatedServerOptions & FunctionAnswers,
	meta?: FunctionMetadata<S, C>,
): FunctionServer<C, S> {
	assert(meta, "createGatedFunctionServer needs the contract metadata Flamework generates");
	const shape = meta as unknown as MetadataShape;
	const firstContract = contractRemotes.size();
	const middleware = gateNamespace(shape, "", "Function", options.middleware, options);
	const server = createWithConfig(global, { disableIncomingGuards: true, middleware }, meta);
	seal(shape, firstContract);
	return server as FunctionServer<C, S>;
}
