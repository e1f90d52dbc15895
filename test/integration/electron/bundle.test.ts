// The Electron bundles as built by `npm run build:electron`: the preload is ONE CommonJS file that
// requires nothing but 'electron' and runs in a sandbox-like context (no Node); main.js imports
// only electron, better-sqlite3, Node builtins, and electron-updater where a build has a publish target.

import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildElectron } from './build';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let outDir: string;

// The same config as `npm run build:electron`, built into a private folder (the tree is shared).
beforeAll(() => {
  outDir = buildElectron(['main', 'worker', 'preload']);
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('dist/electron', () => {
  it('holds just main.js, core-worker.mjs (+ maps) and preload.cjs: no chunks to load', () => {
    expect(readdirSync(outDir).sort()).toEqual(['core-worker.mjs', 'core-worker.mjs.map', 'main.js', 'main.js.map', 'preload.cjs']);
  });

  it('preload.cjs requires only electron, and has no import statements', () => {
    const code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    const required = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g)].map((m) => m[2]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import[\s{*]/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
  });

  it('preload.cjs runs with only require("electron") available and exposes window.ljd', async () => {
    const code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    const exposed = new Map<string, { invoke: (c: string, p: unknown) => Promise<unknown>; on: unknown }>();
    const invoked: unknown[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (k: string, v: never) => exposed.set(k, v) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: 1 };
        },
        on() {},
        removeListener() {},
      },
    };
    const requireOnlyElectron = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: requireOnlyElectron, module, exports: module.exports, console }, { filename: 'preload.cjs' });
    expect([...exposed.keys()]).toEqual(['ljd']);
    const ljd = exposed.get('ljd')!;
    await expect(ljd.invoke('app.info', {})).resolves.toEqual({ ok: true, value: 1 });
    await expect(ljd.invoke('no.such', {})).resolves.toMatchObject({ ok: false });
    expect(invoked).toEqual([['ljd:app.info', {}]]);
  });

  it('main.js imports only electron, better-sqlite3, electron-updater and Node builtins (everything else is inlined)', () => {
    const code = readFileSync(join(outDir, 'main.js'), 'utf8');
    // rolldown hoists every static import to the top (later "import … from 'ky'" lines are ky's doc comments)
    const lines = code.split('\n');
    const header = lines.slice(
      0,
      lines.findIndex((l) => !/^import\s/.test(l)),
    );
    expect(header.length).toBeGreaterThan(3);
    const specifiers = new Set([
      ...header.map((line) => /["']([^"']+)["'];?$/.exec(line)?.[1] ?? `unparsed: ${line}`),
      ...[...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!),
    ]);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const others = [...specifiers].filter((s) => !builtins.has(s));
    expect(others.sort()).toEqual(['better-sqlite3', 'electron', 'electron-updater']);
    // electron-updater is loaded on demand only (updates.ts), never at start
    expect(header.some((line) => line.includes('electron-updater'))).toBe(false);
  });

  it('core-worker.mjs imports only better-sqlite3 and Node builtins: the core never needs electron', () => {
    const code = readFileSync(join(outDir, 'core-worker.mjs'), 'utf8');
    const lines = code.split('\n');
    const header = lines.slice(
      0,
      lines.findIndex((l) => !/^import\s/.test(l)),
    );
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const others = header.map((line) => /["']([^"']+)["'];?$/.exec(line)?.[1] ?? `unparsed: ${line}`).filter((s) => !builtins.has(s));
    expect(new Set(others)).toEqual(new Set(['better-sqlite3']));
  });
});
