// Test helper: electron-builder's own config loader and file selection, run offline (no packaging, no
// download): the config as electron-builder reads it, which files of node_modules/better-sqlite3 a
// package for os/arch would carry, and which files asarUnpack takes out of the archive.

import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const { getConfig } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, any>>;
};
type FakeStat = { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean; moduleFullFilePath?: string };
type Filter = (file: string, stat: FakeStat) => boolean;
type Matcher = { patterns: string[]; macroExpander: (p: string) => string; createFilter(): Filter };
const { FileMatcher, getFileMatchers, getNodeModuleFileMatcher, excludedExts } = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (from: string, to: string, expand: (p: string) => string, patterns: string[]) => Matcher;
  getFileMatchers(config: unknown, name: string, to: string, options: Record<string, unknown>): Matcher[] | null;
  getNodeModuleFileMatcher(appDir: string, to: string, expand: (p: string) => string, platformOptions: unknown, info: unknown): Matcher;
  excludedExts: string;
};
const { NodeModuleCopyHelper } = require('app-builder-lib/out/util/NodeModuleCopyHelper') as {
  NodeModuleCopyHelper: new (
    matcher: Matcher,
    info: unknown,
  ) => { collectNodeModules(dep: { name: string; dir: string }, excludedExts: string[], destination: string): Promise<string[]> };
};
const { expandMacro } = require('app-builder-lib/out/util/macroExpander') as {
  expandMacro(pattern: string, arch: string | null, appInfo: unknown, extra: Record<string, string>): string;
};

export const root = resolve(import.meta.dirname, '../../..');
/** electron-builder's configuration keys for the three desktop platforms, with Node's names for them */
export const builderPlatforms = [
  { os: 'linux', node: 'linux' },
  { os: 'mac', node: 'darwin' },
  { os: 'win', node: 'win32' },
] as const;

/** A scratch folder for loaded configs; call the returned function to remove it. */
export function builderScratch(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-builder-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the project's yml (optionally edited) next to our package.json, loaded the way electron-builder does. */
export async function loadBuilderConfig(scratch: string, edit?: (yml: string) => string): Promise<Record<string, any>> {
  const dir = mkdtempSync(join(scratch, 'p-'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  writeFileSync(join(dir, 'electron-builder.yml'), edit ? edit(yml) : yml);
  return getConfig(dir, join(dir, 'electron-builder.yml'), null);
}

const expanderFor = (os: string, arch: string) => (pattern: string) =>
  expandMacro(pattern, arch, { productName: 'Labeling Jobs Desktop', sanitizedProductName: 'Labeling Jobs Desktop' }, { os });

/** The files of node_modules/better-sqlite3 electron-builder would copy when packaging for os/arch (paths inside the package). */
export async function shippedBetterSqlite(config: Record<string, any>, os: string, arch: string, scratch: string): Promise<string[]> {
  const to = join(scratch, 'app');
  const info = { config, appInfo: { type: 'module' }, debugLogger: { isEnabled: false }, getWorkspaceRoot: async () => root };
  const modules = getNodeModuleFileMatcher(root, to, expanderFor(os, arch), config[os], info);
  const packageDir = join(root, 'node_modules', 'better-sqlite3');
  const destination = join(to, 'node_modules', 'better-sqlite3');
  const matcher = new FileMatcher(packageDir, destination, modules.macroExpander, modules.patterns);
  const exts = ['.o', '.obj', '.pdb', ...excludedExts.split(',').map((e) => `.${e}`)];
  const files = await new NodeModuleCopyHelper(matcher, info).collectNodeModules(
    { name: 'better-sqlite3', dir: packageDir },
    exts,
    relative(to, destination),
  );
  return files.map((f) => relative(packageDir, f).split(sep).join('/')).sort();
}

/** Whether asarUnpack takes a file of the app (`dist/…`) or of node_modules (`node_modules/…`) out of the archive. */
export function asarUnpacks(config: Record<string, any>, os: string, scratch: string): (path: string) => boolean {
  const [matcher] = getFileMatchers(config, 'asarUnpack', join(scratch, 'app'), {
    macroExpander: expanderFor(os, 'x64'),
    customBuildOptions: config[os],
    globalOutDir: join(root, 'release'),
    defaultSrc: root,
  })!;
  const filter = matcher!.createFilter();
  return (path) => {
    const stat: FakeStat = { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false };
    // node_modules files are matched by their path in the app (electron-builder's moduleFullFilePath)
    if (path.startsWith('node_modules/')) stat.moduleFullFilePath = path;
    return filter(join(root, path), stat);
  };
}
