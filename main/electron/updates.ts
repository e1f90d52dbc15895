// Auto-update through electron-builder's updater (electron-updater), only in a packaged build made
// with a publish target: electron-builder then ships resources/app-update.yml. electron-builder.yml
// has no `publish`, so updates are off by default and no build ever calls out by itself.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateChannel } from '#shared/contract';

export interface UpdateOptions {
  isPackaged: boolean;
  resourcesPath: string | undefined;
  /** the user's choice in Settings */
  channel: UpdateChannel;
  log: (line: string) => void;
}

/** What electron-updater is told for a channel: beta also takes prereleases (electron-builder's `beta` channel files). */
export function updaterSettingsFor(channel: UpdateChannel): { channel: UpdateChannel; allowPrerelease: boolean } {
  return { channel, allowPrerelease: channel === 'beta' };
}

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
  Object.assign(autoUpdater, updaterSettingsFor(options.channel));
  options.log(`updates: checking the ${options.channel} channel (${config})`);
  await autoUpdater.checkForUpdatesAndNotify();
}
