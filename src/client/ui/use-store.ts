import { useLayoutEffect, useReducer, useRef, useState } from "@rbxts/react";

/** A store the views read: its current state and a signal fired after every change. */
export interface ReadableStore<S> {
	readonly changed: { Connect(listener: (state: S) => void): { Disconnect(): void } };
	state(): S;
}

// Subscriptions are made in layout effects, which run as the tree commits; passive effects run
// when React's scheduler gets to them, which depends on how much real time the frame has left.

/**
 * The value `pick` takes from a store's state; the component re-renders only when that value
 * changes (compared with ===), so selectors return strings, numbers, booleans or objects the
 * store replaces when they change.
 */
export function useStoreValue<S, T>(store: ReadableStore<S>, pick: (state: S) => T): T {
	const [value, setValue] = useState(() => pick(store.state()));
	const selector = useRef(pick);
	selector.current = pick;
	const shown = useRef(value);
	shown.current = value;
	useLayoutEffect(() => {
		// Most changes leave a component's value alone (the preview moving to another cell changes
		// nothing the HUD shows): compare first, so those cost one call and no allocation.
		const update = () => {
			const picked = selector.current(store.state());
			if (picked !== shown.current) {
				shown.current = picked;
				setValue(() => picked);
			}
		};
		const connection = store.changed.Connect(update);
		// A change between the render and this subscription would otherwise be missed.
		update();
		return () => connection.Disconnect();
	}, [store]);
	return value;
}

/**
 * The store's state, re-rendering on every change (for views that show most of a store whose
 * state object is changed in place).
 */
export function useStoreState<S>(store: ReadableStore<S>): S {
	const [, bump] = useReducer((count: number) => count + 1, 0);
	useLayoutEffect(() => {
		const connection = store.changed.Connect(() => bump());
		bump();
		return () => connection.Disconnect();
	}, [store]);
	return store.state();
}
