// The core's event fan-out: listeners per event name, called in order; a listener that throws is
// logged and never stops the others. One home for both the core and its worker host.
import type { EventName, EventOf } from '#shared/contract';

export type Listener<E extends EventName> = (payload: EventOf<E>) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  /** returns the function that removes the listener */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
}

export function createEventHub(log?: (line: string) => void): EventHub {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) {
        try {
          (l as Listener<typeof event>)(payload);
        } catch (err) {
          log?.(`event ${event} listener failed: ${String(err)}`);
        }
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
