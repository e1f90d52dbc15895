// Auto-update through electron-builder's updater (electron-updater), only in a packaged build made
// with a publish target: electron-builder then ships resources/app-update.yml. electron-builder.yml
// has no `publish`, so updates are off by default and no build ever calls out by itself.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface UpdateOptions { isPackaged: boolean; resourcesPath: string | undefined; log: (line: string) => void }

/** Where this build's publish target is described, or null when updates are off for it. */
export function updateConfigOf(options: Pick<UpdateOptions, 'isPackaged' | 'resourcesPath'>): string | null {
  if (!options.isPackaged || !options.resourcesPath) return null;
  const file = join(options.resourcesPath, 'app-update.yml');
  return existsSync(file) ? file : null;
}

/** Checks once at start; electron-updater downloads in the background and notifies when an update is ready. */
export async function checkForUpdates(options: UpdateOptions): Promise<void> {
  const config = updateConfigOf(options);
  if (!config) {
    options.log('updates: off (this build has no publish target)');
    return;
  }
  const { autoUpdater } = await import('electron-updater');
  const say = (message: unknown) => options.log(`updates: ${String(message)}`);
  autoUpdater.logger = { info: say, warn: say, error: say, debug: () => undefined };
  options.log(`updates: checking (${config})`);
  await autoUpdater.checkForUpdatesAndNotify();
}
