// Remembered window bounds (userData/window-state.json): read, clamp to a visible display, write.
// Node-only (no electron import) so it is unit-tested; window.ts feeds it Electron's displays.

import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../files/private-files';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Rect | null;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 800, height: 560 } as const;

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

export function readWindowState(file: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { bounds?: Partial<Rect>; maximized?: unknown };
    const b = raw.bounds;
    const bounds =
      b && isInt(b.x) && isInt(b.y) && isInt(b.width) && isInt(b.height) && b.width > 0 && b.height > 0
        ? { x: b.x, y: b.y, width: b.width, height: b.height }
        : null;
    return { bounds, maximized: raw.maximized === true };
  } catch {
    return { bounds: null, maximized: false };
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  writePrivateFile(file, JSON.stringify(state));
}

/**
 * Where to open the window: the saved bounds when at least a usable part (title bar area) lies on a
 * display's work area, shrunk to fit that display; else no position (the OS centres it) and the default size.
 */
export function fitBounds(saved: Rect | null, workAreas: Rect[]): Partial<Rect> & { width: number; height: number } {
  if (!saved) return { ...DEFAULT_SIZE };
  const area = workAreas.find((a) => overlap(saved, a) >= 100 * 40);
  if (!area)
    return {
      width: Math.max(MIN_SIZE.width, Math.min(saved.width, DEFAULT_SIZE.width)),
      height: Math.max(MIN_SIZE.height, Math.min(saved.height, DEFAULT_SIZE.height)),
    };
  const width = Math.max(MIN_SIZE.width, Math.min(saved.width, area.width));
  const height = Math.max(MIN_SIZE.height, Math.min(saved.height, area.height));
  const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - Math.min(width, area.width));
  const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - Math.min(height, area.height));
  return { x, y, width, height };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
