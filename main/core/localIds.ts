// Requests may still name a job or user by the local id it had before the server answered (a
// screen opened offline, a click racing the remap): swap in the server id before a handler runs.

import type { RemapKind } from '../cache/remaps';

/** Which request fields hold job ids and which hold user ids, across the contract. */
const FIELD_KINDS: Record<string, RemapKind> = {
  ids: 'job',
  id: 'job',
  jobId: 'job',
  userId: 'user',
  userIds: 'user',
  reviewerId: 'user',
};

export function resolveLocalIds<T>(request: T, resolve: (kind: RemapKind, id: number) => number): T {
  if (!request || typeof request !== 'object' || Array.isArray(request)) return request;
  let changed: Record<string, unknown> | null = null;
  for (const [field, value] of Object.entries(request as Record<string, unknown>)) {
    const kind = FIELD_KINDS[field];
    if (!kind) continue;
    const next =
      typeof value === 'number' && value < 0
        ? resolve(kind, value)
        : Array.isArray(value) && value.some((v) => typeof v === 'number' && v < 0)
          ? value.map((v) => (typeof v === 'number' ? resolve(kind, v) : v))
          : value;
    if (next !== value) (changed ??= { ...(request as Record<string, unknown>) })[field] = next;
  }
  return (changed ?? request) as T;
}
