import { useSyncExternalStore } from 'react';

/**
 * A tiny external store: one immutable state value, replaced on every change, read in
 * React through useSyncExternalStore. No dependency, no magic — selectors must return a
 * value already in the state (or a primitive), so React sees a stable snapshot.
 */
export class ExternalStore<S> {
  private state: S;
  private readonly listeners = new Set<() => void>();

  constructor(initial: S) {
    this.state = initial;
  }

  get = (): S => this.state;

  set(next: S | ((prev: S) => S)): void {
    const value = typeof next === 'function' ? (next as (prev: S) => S)(this.state) : next;
    if (Object.is(value, this.state)) return;
    this.state = value;
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  };
}

/** Reads a slice of a store and re-renders when that slice changes (by identity). */
export function useStore<S, T>(store: ExternalStore<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()), () => select(store.get()));
}
