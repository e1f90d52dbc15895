// The Electron bundles (no tsx at runtime): `--mode main` → dist/electron/main.js (ESM, Node target,
// electron, better-sqlite3 and electron-updater external, everything else inlined); `--mode worker` →
// dist/electron/core-worker.mjs (the core's worker thread, main/worker/core-worker.ts, built the same way; .mjs: ESM
// without a package.json beside it, as in app.asar.unpacked); `--mode preload` →
// dist/electron/preload.cjs (ONE CommonJS file: a sandboxed preload may only require('electron')).
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// LJD_ELECTRON_OUT_DIR: tests build into their own folder instead of the shared dist/electron
const outDir = process.env.LJD_ELECTRON_OUT_DIR || here('./dist/electron');
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const mainConfig: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  ssr: { noExternal: true, external: ['electron', 'better-sqlite3', 'electron-updater'] },
  build: {
    ssr: here('./main/electron/main.ts'),
    outDir,
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    rolldownOptions: {
      external: ['electron', 'better-sqlite3', 'electron-updater', ...nodeBuiltins],
      output: { format: 'es', entryFileNames: 'main.js', codeSplitting: false },
    },
  },
};

// the core's thread: one more entry with main's settings (one file, nothing to load beside it)
const workerConfig: UserConfig = {
  ...mainConfig,
  build: {
    ...mainConfig.build,
    ssr: here('./main/worker/core-worker.ts'),
    rolldownOptions: {
      ...mainConfig.build!.rolldownOptions,
      output: { format: 'es', entryFileNames: 'core-worker.mjs', codeSplitting: false },
    },
  },
};

const preloadConfig: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: false,
    target: 'chrome130',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    lib: { entry: here('./preload/index.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rolldownOptions: {
      external: ['electron'],
      output: { codeSplitting: false },
    },
  },
};

export default defineConfig(({ mode }) => {
  if (mode === 'main') return mainConfig;
  if (mode === 'worker') return workerConfig;
  if (mode === 'preload') return preloadConfig;
  throw new Error(`vite.electron.config.ts: build with --mode main, --mode worker or --mode preload (got '${mode}')`);
});
