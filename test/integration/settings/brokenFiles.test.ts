// A broken settings.json or secrets.json is kept aside under a timestamped name, the user is told
// (Settings names the file), and the next save writes a new file instead of overwriting the old one.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core';
import { tempDir } from '../support';
import { inReadOnlyFolder } from './unprivileged';

describe('broken settings and secrets files', () => {
  const t = tempDir('ljd-broken-');
  afterAll(() => t.cleanup());

  it('are moved aside, reported by name, and never overwritten', async () => {
    const data = join(t.dir, 'data');
    mkdirSync(data);
    const brokenSettings = '{"profiles": [{"id": "p1", "name": "Prod", "serverAddress": "https://sv.example"';
    writeFileSync(join(data, 'settings.json'), brokenSettings);
    writeFileSync(join(data, 'secrets.json'), '["not", "tokens"]');
    const core = createCore({ dataDir: data, homeDir: t.dir });
    const settings = await core.handlers['settings.get']({});
    expect(settings.dataFileProblems.map((p) => p.file)).toEqual([join(data, 'settings.json'), join(data, 'secrets.json')]);
    for (const problem of settings.dataFileProblems) {
      expect(problem.keptAs).toMatch(/\.broken-\d{4}-\d\d-\d\dT/);
      expect(problem.message).toContain(problem.keptAs);
    }
    const keptSettings = settings.dataFileProblems[0]!.keptAs!;
    expect(readFileSync(keptSettings, 'utf8')).toBe(brokenSettings);
    expect(readFileSync(settings.dataFileProblems[1]!.keptAs!, 'utf8')).toBe('["not", "tokens"]');

    await core.handlers['settings.saveProfile']({ name: 'New', serverAddress: 'http://127.0.0.1:9', apiToken: 'tok' });
    expect(readFileSync(keptSettings, 'utf8')).toBe(brokenSettings);
    expect(JSON.parse(readFileSync(join(data, 'settings.json'), 'utf8')).profiles).toHaveLength(1);
    await core.close();
  });

  it('refuses to write over a broken file it cannot move aside', () => {
    const data = join(t.dir, 'locked');
    mkdirSync(data);
    writeFileSync(join(data, 'settings.json'), 'not json');
    const seen = inReadOnlyFolder<{ problems: { file: string; keptAs: string | null }[]; updateError: string | null }>('settings', data);
    expect(seen.problems[0]).toMatchObject({ file: join(data, 'settings.json'), keptAs: null });
    expect(seen.updateError).toMatch(/not overwritten/);
    expect(readFileSync(join(data, 'settings.json'), 'utf8')).toBe('not json');
    expect(readdirSync(data)).toEqual(['settings.json']);
  }, 30_000);
});
