// Browser mode: the real core behind the loopback web bridge, configured from the environment
// (LJD_DATA_DIR, LJD_SERVER_ADDRESS + LJD_API_TOKEN, LJD_PORT). What `npm run start:web` runs, and
// what `npm start` falls back to where the Electron binary is missing.

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../core';
import { acquireDataFolderLock } from '../files/dataFolderLock';
import { launchEnvOf } from './launch-env';
import { startWebBridge, type WebBridge } from './web';
import { startCoreWorker } from '../worker/host';

export interface BrowserMode {
  core: Core;
  bridge: WebBridge;
  dataDir: string;
  stop(): Promise<void>;
}

/** The per-user data folder, as each OS expects it (Electron uses app.getPath('userData') instead). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const name = 'labeling-jobs-desktop';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), name);
}

export async function startBrowserMode(options: {
  staticDir: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<BrowserMode> {
  const env = options.env ?? process.env;
  const launch = launchEnvOf(env);
  const dataDir = launch.dataDir ?? defaultDataDir(env);
  // before anything opens the folder's caches: a second copy on the same folder refuses here
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireDataFolderLock(dataDir);

  // the core runs in its worker thread: this thread only serves HTTP and routes calls and events
  const core = startCoreWorker({
    dataDir,
    heldLock: lock.proof,
    transport: 'web',
    ...(launch.profileOverride ? { profileOverride: launch.profileOverride } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  let bridge: WebBridge;
  try {
    await core.start();
    bridge = await startWebBridge({ core, staticDir: options.staticDir, port: launch.port, ...(options.log ? { log: options.log } : {}) });
  } catch (err) {
    await core.close();
    lock.release();
    throw err;
  }
  return {
    core,
    bridge,
    dataDir,
    async stop() {
      await bridge.close();
      await core.close();
      lock.release();
    },
  };
}
