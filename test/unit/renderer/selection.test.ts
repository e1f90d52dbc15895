// Grid selection rules: click, shift-click, ctrl/cmd-click, keyboard, select-all, clear.
import { describe, expect, it } from 'vitest';
import { encodeIdRuns, parseIdRuns } from '#shared/idRuns';
import { IdSet } from '../../../renderer/src/lib/idSet';
import {
  clearSelection,
  clickIntent,
  emptySelection,
  keepListed,
  keyIntent,
  moveFocus,
  remapId,
  selectAll,
  selectRange,
  selectSingle,
  toggleOne,
  withoutIds,
  type Selection,
} from '../../../renderer/src/lib/selection';

const noMods = { shift: false, toggle: false };
const idOf = (index: number) => 1000 + index;
const idsOf = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => idOf(from + i));
const sorted = (selection: Selection) => [...selection.ids].sort((a, b) => a - b);

describe('mouse selection', () => {
  it('a plain click selects only that row and sets the anchor', () => {
    let selection = selectSingle(2, idOf(2));
    expect(clickIntent(selection, 5, noMods)).toEqual({ kind: 'single', index: 5 });
    selection = selectSingle(5, idOf(5));
    expect(sorted(selection)).toEqual([idOf(5)]);
    expect(selection.anchor).toBe(5);
  });

  it('shift-click selects the range from the anchor, in either direction, replacing the selection', () => {
    const start = toggleOne(selectSingle(0, idOf(0)), 7, idOf(7)); // anchor now 7, ids {0,7}
    const intent = clickIntent(start, 3, { shift: true, toggle: false });
    expect(intent).toEqual({ kind: 'range', from: 3, to: 7, focus: 3, additive: false });
    if (intent.kind !== 'range') throw new Error('expected a range');
    const next = selectRange(start, idsOf(intent.from, intent.to), intent.focus, intent.additive, intent.from);
    expect(sorted(next)).toEqual(idsOf(3, 7));
    expect(next.anchor).toBe(7);
    expect(next.focus).toBe(3);
  });

  it('ctrl+shift-click adds the range to the selection', () => {
    const start = selectSingle(0, idOf(0));
    const moved = toggleOne(start, 10, idOf(10));
    const intent = clickIntent(moved, 12, { shift: true, toggle: true });
    if (intent.kind !== 'range') throw new Error('expected a range');
    expect(intent.additive).toBe(true);
    const next = selectRange(moved, idsOf(intent.from, intent.to), intent.focus, true, intent.from);
    expect(sorted(next)).toEqual([idOf(0), ...idsOf(10, 12)]);
  });

  it('ctrl/cmd-click toggles one row and keeps the others', () => {
    const start = selectSingle(1, idOf(1));
    expect(clickIntent(start, 4, { shift: false, toggle: true })).toEqual({ kind: 'toggle', index: 4 });
    const added = toggleOne(start, 4, idOf(4));
    expect(sorted(added)).toEqual([idOf(1), idOf(4)]);
    const removed = toggleOne(added, 1, idOf(1));
    expect(sorted(removed)).toEqual([idOf(4)]);
    expect(start.ids.size).toBe(1); // pure: the old selection is untouched
  });

  it('shift-click with no anchor selects just the clicked row', () => {
    const intent = clickIntent(emptySelection, 6, { shift: true, toggle: false });
    expect(intent).toEqual({ kind: 'range', from: 6, to: 6, focus: 6, additive: false });
  });
});

describe('keyboard selection', () => {
  const key = (k: string, shift = false, toggle = false) => ({ key: k, shift, toggle });

  it('arrows move the focus within bounds', () => {
    expect(keyIntent(emptySelection, key('ArrowDown'), 10, 5)).toEqual({ kind: 'focus', index: 0 });
    const at9 = moveFocus(emptySelection, 9);
    expect(keyIntent(at9, key('ArrowDown'), 10, 5)).toEqual({ kind: 'focus', index: 9 });
    const at0 = moveFocus(emptySelection, 0);
    expect(keyIntent(at0, key('ArrowUp'), 10, 5)).toEqual({ kind: 'focus', index: 0 });
    expect(keyIntent(at0, key('End'), 10, 5)).toEqual({ kind: 'focus', index: 9 });
    expect(keyIntent(at9, key('Home'), 10, 5)).toEqual({ kind: 'focus', index: 0 });
    expect(keyIntent(at0, key('PageDown'), 10, 5)).toEqual({ kind: 'focus', index: 5 });
  });

  it('shift+arrows extend a range from the anchor', () => {
    const at3 = moveFocus(emptySelection, 3);
    const down = keyIntent(at3, key('ArrowDown', true), 10, 5);
    expect(down).toEqual({ kind: 'range', from: 3, to: 4, focus: 4, additive: false });
    if (down.kind !== 'range') throw new Error('expected a range');
    const extended = selectRange(at3, idsOf(3, 4), down.focus, false, 3);
    const further = keyIntent(extended, key('ArrowDown', true), 10, 5);
    expect(further).toEqual({ kind: 'range', from: 3, to: 5, focus: 5, additive: false });
    const back = keyIntent({ ...extended, focus: 3 }, key('ArrowUp', true), 10, 5);
    expect(back).toEqual({ kind: 'range', from: 2, to: 3, focus: 2, additive: false });
  });

  it('space toggles the focused row, Enter opens it, Escape clears', () => {
    const at2 = moveFocus(emptySelection, 2);
    expect(keyIntent(at2, key(' '), 10, 5)).toEqual({ kind: 'toggle', index: 2 });
    expect(keyIntent(at2, key('Enter'), 10, 5)).toEqual({ kind: 'open', index: 2 });
    expect(keyIntent(at2, key('Escape'), 10, 5)).toEqual({ kind: 'clear' });
    expect(keyIntent(emptySelection, key(' '), 10, 5)).toEqual({ kind: 'none' });
  });

  it('ctrl/cmd+A selects all matching; plain "a" does nothing', () => {
    expect(keyIntent(emptySelection, key('a', false, true), 10, 5)).toEqual({ kind: 'selectAll' });
    expect(keyIntent(emptySelection, key('a'), 10, 5)).toEqual({ kind: 'none' });
    const all = selectAll(emptySelection, idsOf(0, 99_999));
    expect(all.ids.size).toBe(100_000);
  });

  it('an empty grid only reacts to Escape', () => {
    expect(keyIntent(emptySelection, key('ArrowDown'), 0, 5)).toEqual({ kind: 'none' });
    expect(keyIntent(emptySelection, key('Escape'), 0, 5)).toEqual({ kind: 'clear' });
  });
});

describe('maintenance', () => {
  it('clear keeps the focus but drops ids and anchor', () => {
    const selection = clearSelection(toggleOne(selectSingle(1, 11), 2, 12));
    expect(selection.ids.size).toBe(0);
    expect(selection.anchor).toBeNull();
    expect(selection.focus).toBe(2);
  });

  it('select all takes the decoded id runs as they are; a toggle and a range then change only what they name', () => {
    const matching = IdSet.fromRuns(parseIdRuns(encodeIdRuns(idsOf(0, 99_999))));
    const all = selectAll(moveFocus(emptySelection, 4), matching);
    expect(all.ids).toBe(matching);
    expect(all.focus).toBe(4);
    const toggled = toggleOne(all, 3, idOf(3));
    expect(toggled.ids.size).toBe(99_999);
    expect(toggled.ids.has(idOf(3))).toBe(false);
    expect(all.ids.has(idOf(3))).toBe(true); // the select-all selection is untouched
    const ranged = selectRange(toggled, [idOf(3), idOf(200_000)], 5, true, 3);
    expect(ranged.ids.size).toBe(100_001);
    expect(selectRange(toggled, [idOf(7), idOf(8)], 8, false, 7).ids.size).toBe(2);
  });

  it('a remapped local id stays selected under its server id', () => {
    const selection = selectAll(emptySelection, [-4, 10, 11]);
    const remapped = remapId(selection, -4, 12);
    expect(sorted(remapped)).toEqual([10, 11, 12]);
    expect(remapId(selection, -9, 13)).toBe(selection); // not selected: nothing changes
  });

  it('removed jobs leave the selection', () => {
    const selection = selectAll(emptySelection, [1, 2, 3]);
    expect(sorted(withoutIds(selection, [2, 9]))).toEqual([1, 3]);
    expect(withoutIds(selection, [9])).toBe(selection);
  });
});

describe('a selection only ever holds listed jobs', () => {
  it('drops ids the filter no longer lists and counts them', () => {
    const selection = selectAll(emptySelection, idsOf(0, 4));
    const { selection: kept, dropped } = keepListed(selection, [idOf(1), idOf(3), idOf(9)]);
    expect(sorted(kept)).toEqual([idOf(1), idOf(3)]);
    expect(dropped).toBe(3);
  });

  it('returns the same selection when every id is still listed', () => {
    const selection = selectAll(emptySelection, idsOf(0, 2));
    const result = keepListed(selection, idsOf(0, 5));
    expect(result.selection).toBe(selection);
    expect(result.dropped).toBe(0);
  });
});
