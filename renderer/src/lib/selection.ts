// Multi-selection in a virtual grid, as pure functions: rows are known by their index in the current
// order, ids may not be loaded yet, so range operations name the indexes and the caller resolves ids.
// The ids are an immutable IdSet: select all matching holds a million without copying them per click.

import { IdSet } from './idSet';

export interface Selection {
  /** selected job ids (a job stays selected while it scrolls out of view) */
  readonly ids: IdSet;
  /** index where a range starts (last plain or toggle click) */
  readonly anchor: number | null;
  /** index of the keyboard focus */
  readonly focus: number | null;
}

export interface Modifiers {
  shift: boolean;
  /** ctrl on Linux/Windows, cmd on macOS */
  toggle: boolean;
}

export const emptySelection: Selection = { ids: IdSet.empty, anchor: null, focus: null };

/** What a click or key asks for; ranges are by index so the caller can fetch ids it has not loaded. */
export type SelectionIntent =
  | { kind: 'none' }
  | { kind: 'single'; index: number }
  | { kind: 'toggle'; index: number }
  | { kind: 'range'; from: number; to: number; focus: number; additive: boolean }
  | { kind: 'focus'; index: number }
  | { kind: 'open'; index: number }
  | { kind: 'selectAll' }
  | { kind: 'clear' };

export function clickIntent(selection: Selection, index: number, modifiers: Modifiers): SelectionIntent {
  if (modifiers.shift) {
    const anchor = selection.anchor ?? index;
    return { kind: 'range', from: Math.min(anchor, index), to: Math.max(anchor, index), focus: index, additive: modifiers.toggle };
  }
  if (modifiers.toggle) return { kind: 'toggle', index };
  return { kind: 'single', index };
}

export interface KeyInput {
  key: string;
  shift: boolean;
  toggle: boolean;
}

/** Keyboard in the grid: arrows/Home/End/PageUp/PageDown move, shift extends, space toggles, Enter opens. */
export function keyIntent(selection: Selection, input: KeyInput, rowCount: number, pageSize: number): SelectionIntent {
  if (rowCount === 0) return input.key === 'Escape' ? { kind: 'clear' } : { kind: 'none' };
  const last = rowCount - 1;
  const focus = selection.focus === null ? -1 : Math.min(selection.focus, last);
  const target = (next: number) => Math.max(0, Math.min(last, next));
  let moveTo: number;
  switch (input.key) {
    case 'ArrowDown':
      moveTo = target(focus + 1);
      break;
    case 'ArrowUp':
      moveTo = target(focus < 0 ? 0 : focus - 1);
      break;
    case 'PageDown':
      moveTo = target(focus + pageSize);
      break;
    case 'PageUp':
      moveTo = target(focus - pageSize);
      break;
    case 'Home':
      moveTo = 0;
      break;
    case 'End':
      moveTo = last;
      break;
    case ' ':
    case 'Spacebar':
      return focus < 0 ? { kind: 'none' } : { kind: 'toggle', index: focus };
    case 'Enter':
      return focus < 0 ? { kind: 'none' } : { kind: 'open', index: focus };
    case 'Escape':
      return { kind: 'clear' };
    case 'a':
    case 'A':
      return input.toggle ? { kind: 'selectAll' } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
  if (input.shift) {
    const anchor = selection.anchor ?? (focus < 0 ? moveTo : focus);
    return { kind: 'range', from: Math.min(anchor, moveTo), to: Math.max(anchor, moveTo), focus: moveTo, additive: input.toggle };
  }
  return { kind: 'focus', index: moveTo };
}

export function selectSingle(index: number, id: number): Selection {
  return { ids: IdSet.of([id]), anchor: index, focus: index };
}

export function toggleOne(selection: Selection, index: number, id: number): Selection {
  const ids = selection.ids.has(id) ? selection.ids.without([id]) : selection.ids.with([id]);
  return { ids, anchor: index, focus: index };
}

/**
 * Applies a resolved range. Without `additive` the range replaces the selection (a file-manager
 * shift-click); with it the range is added. The anchor stays so the range can be re-extended.
 */
export function selectRange(
  selection: Selection,
  rangeIds: readonly number[],
  focus: number,
  additive: boolean,
  anchorIfNone: number,
): Selection {
  const ids = additive ? selection.ids.with(rangeIds) : IdSet.of(rangeIds);
  return { ids, anchor: selection.anchor ?? anchorIfNone, focus };
}

export function moveFocus(selection: Selection, index: number): Selection {
  return { ...selection, focus: index, anchor: index };
}

/** Every matching id: the IdSet decoded from the core's id runs (or any ids, for tests and small lists). */
export function selectAll(selection: Selection, allIds: IdSet | Iterable<number>): Selection {
  return { ids: allIds instanceof IdSet ? allIds : IdSet.of(allIds), anchor: selection.anchor, focus: selection.focus };
}

export function clearSelection(selection: Selection): Selection {
  return { ids: IdSet.empty, anchor: null, focus: selection.focus };
}

/** Drops ids that no longer exist (removed jobs, remapped local ids). */
export function withoutIds(selection: Selection, gone: Iterable<number>): Selection {
  const ids = selection.ids.without(gone);
  return ids === selection.ids ? selection : { ...selection, ids };
}

/** A job's local id replaced by the server id it received, keeping it selected. */
export function remapId(selection: Selection, localId: number, serverId: number): Selection {
  if (!selection.ids.has(localId)) return selection;
  return { ...selection, ids: selection.ids.without([localId]).with([serverId]) };
}

/**
 * Keeps only ids the current filter still lists, so a selection never acts on hidden jobs; says how
 * many left (archived, removed, changed status) so the view can tell the user.
 */
export function keepListed(selection: Selection, listed: IdSet | Iterable<number>): { selection: Selection; dropped: number } {
  const { kept, dropped } = selection.ids.keepOnly(listed instanceof IdSet ? listed : IdSet.of(listed));
  return { selection: dropped === 0 ? selection : { ...selection, ids: kept }, dropped };
}
