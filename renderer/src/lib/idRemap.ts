// Remembers which local ids (things created offline or not yet sent) got which server ids, so a view
// that kept a local id can still name the right object after the creation reached the server —
// even when the remap event arrived before the view got its answer.
import { subscribe } from './transport';

const remapped = { job: new Map<number, number>(), user: new Map<number, number>() };
let started = false;

export function trackRemaps(): void {
  if (started) return;
  started = true;
  subscribe('ids.remapped', (event) => remapped[event.kind].set(event.localId, event.serverId));
}

export function currentId(kind: 'job' | 'user', id: number): number {
  return id < 0 ? (remapped[kind].get(id) ?? id) : id;
}
