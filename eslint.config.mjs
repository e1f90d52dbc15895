// Lint rules, above all the boundaries between rooms (see README "Layout"): which folder may import what.
// A boundary is written once here as a list of forbidden import patterns per room; test/unit/lint proves each bites.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electron = { name: 'electron', message: 'Only main/electron/ and preload/ may import electron: the core runs under plain Node.' };
const nodeBuiltins = { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' };

/** Folders of main/ by name, as an import path from anywhere below main/ spells them. */
const mainRoom = (room) => [`../${room}`, `../${room}/*`, `../../${room}`, `../../${room}/*`, `**/main/${room}`, `**/main/${room}/*`];

/** room → the import patterns it may not use (besides electron, forbidden everywhere but the shell). */
const boundaries = {
  'renderer/**': {
    paths: [
      electron,
      { name: 'better-sqlite3', message: 'The renderer reads the cache only through the contract.' },
      { name: 'ky', message: 'The renderer never talks to a server: the core does, through the contract.' },
    ],
    patterns: [
      nodeBuiltins,
      {
        group: ['**/main/**', '**/preload/**', '**/test/**', '**/scripts/**'],
        message: 'The renderer imports only the shared contract (#shared/*) and its own files.',
      },
    ],
  },
  'shared/**': {
    paths: [electron],
    patterns: [
      {
        group: ['node:*', '../*', '**/main/**', '**/renderer/**', '**/preload/**'],
        message: 'shared/ is pure (zod only): all three processes import it.',
      },
    ],
  },
  'main/local-server/**': {
    paths: [electron],
    patterns: [
      {
        group: ['\\#shared/*', ...['supervisely', 'cache', 'sync', 'core', 'bridge', 'electron', 'settings'].flatMap(mainRoom)],
        message: 'The local server stands alone: it imports no other room (it plays a foreign server).',
      },
    ],
  },
  'main/cache/**': {
    paths: [electron, { name: 'ky', message: 'The cache knows no network.' }],
    patterns: [
      { group: ['node:http', 'node:https', 'node:net', 'node:tls', 'node:dgram'], message: 'The cache knows no network.' },
      {
        group: mainRoom('supervisely'),
        allowTypeImports: true,
        message: 'The cache may share the domain types of main/supervisely, never its code.',
      },
      {
        group: [...['sync', 'core', 'bridge', 'local-server', 'settings'].flatMap(mainRoom)],
        message: 'The cache is the bottom layer: it imports no room above it.',
      },
    ],
  },
  'main/files/**': {
    paths: [electron],
    patterns: [
      {
        group: ['supervisely', 'cache', 'sync', 'core', 'bridge', 'electron', 'settings', 'local-server', 'worker'].flatMap(mainRoom),
        message: 'main/files/ (the data folder: private files, damaged files kept aside, the folder lock) is below every room.',
      },
    ],
  },
  'main/supervisely/**': {
    paths: [electron],
    patterns: [
      {
        group: [...['cache', 'sync', 'core', 'bridge', 'local-server', 'settings'].flatMap(mainRoom)],
        message: 'The API client knows only the wire: no cache, sync or core.',
      },
    ],
  },
  'main/{sync,settings,bridge,worker}/**': {
    paths: [electron],
    patterns: [
      {
        group: mainRoom('local-server'),
        message: 'The app meets the local server only over HTTP, like any server (only the core starts it, for demo mode).',
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'test-results/', 'playwright-report/', '.tools/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Prettier wraps code at 140; comments must fit too. Long SQL and message strings stay whole, so they can be grepped.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electron] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  ...Object.entries(boundaries).map(([room, restricted]) => ({
    files: [room],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restricted] },
  })),
  // The shell and its tests may import electron; tests may import any room they prove.
  { files: ['main/electron/**', 'preload/**', 'test/**'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  // Tests read raw wire JSON and poke at internals: any is honest there.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Playwright reads a fixture's first parameter as a destructuring pattern: `async ({}, use)` is its idiom.
  { files: ['test/e2e/**'], rules: { 'no-empty-pattern': 'off' } },
);
