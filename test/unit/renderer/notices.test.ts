// Toast rules: repeats are counted, everything expires, few at once, errors stay on their page.
import { describe, expect, it } from 'vitest';
import { addNotice, lifetimeMs, MAX_NOTICES, withoutErrors, withoutExpired, type Notice } from '../../../renderer/src/lib/notices';

const add = (list: Notice[], id: number, title: string, tone: Notice['tone'] = 'success', now = 0) =>
  addNotice(list, { id, tone, title, detail: null }, now);

describe('notices', () => {
  it('counts the same notice again instead of stacking it', () => {
    let list: Notice[] = [];
    for (let i = 1; i <= 5; i++) list = add(list, i, 'Archive 1 job: sending', 'success', i * 100);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 1, count: 5, expiresAt: 500 + lifetimeMs('success') });
  });

  it('shows only the latest few', () => {
    let list: Notice[] = [];
    for (let i = 1; i <= 6; i++) list = add(list, i, `notice ${i}`);
    expect(list.map((n) => n.title)).toEqual(['notice 4', 'notice 5', 'notice 6'].slice(-MAX_NOTICES));
  });

  it('lets every notice go, errors included, and drops errors on leaving the page', () => {
    let list = add([], 1, 'Saved', 'success', 0);
    list = add(list, 2, 'Could not save', 'error', 0);
    expect(withoutExpired(list, lifetimeMs('success') + 1).map((n) => n.id)).toEqual([2]);
    expect(withoutExpired(list, lifetimeMs('error') + 1)).toEqual([]);
    expect(withoutErrors(list).map((n) => n.id)).toEqual([1]);
  });
});
