// The rules of the toast stack, as pure functions: the same notice again is counted, not stacked;
// every notice expires (errors later, they say what to do); only a few are shown at once.

export type NoticeTone = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  tone: NoticeTone;
  title: string;
  detail: string | null;
  /** how many times it was shown (×3) */
  count: number;
  expiresAt: number;
}

export const MAX_NOTICES = 3;

export function lifetimeMs(tone: NoticeTone): number {
  return tone === 'error' ? 12_000 : 5_000;
}

/** Adds a notice, or counts it again (and renews it) when the same tone and title are shown. */
export function addNotice(list: readonly Notice[], next: Omit<Notice, 'count' | 'expiresAt'>, now: number): Notice[] {
  const same = list.find((n) => n.tone === next.tone && n.title === next.title);
  const expiresAt = now + lifetimeMs(next.tone);
  if (same) return [...list.filter((n) => n !== same), { ...same, detail: next.detail, count: same.count + 1, expiresAt }];
  return [...list, { ...next, count: 1, expiresAt }].slice(-MAX_NOTICES);
}

export function withoutExpired(list: readonly Notice[], now: number): Notice[] {
  return list.filter((n) => n.expiresAt > now);
}

/** Errors are about the page they happened on: leaving it drops them. */
export function withoutErrors(list: readonly Notice[]): Notice[] {
  return list.filter((n) => n.tone !== 'error');
}
