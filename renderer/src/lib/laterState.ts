// The sync state arrives two ways, as answers and as events, over channels that do not keep their order between them:
// an answer read before a sync ended could land after the event that told its end, and the header kept "not synced"
// until the next change. Of two states, the one the core read later wins.

/** `next`, unless `current` was read later */
export function laterState<T extends { readAt: number }>(current: T | null, next: T): T {
  return current && current.readAt > next.readAt ? current : next;
}
