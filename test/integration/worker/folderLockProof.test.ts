// The proof a worker thread works under: adoptDataFolderLock accepts only the proof of the lock this
// process holds on that very folder (owner file with this pid and the proof's nonce).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataFolderLock, adoptDataFolderLock } from '../../../main/files/dataFolderLock';
import { tempDir } from '../support';

describe('adoptDataFolderLock', () => {
  const t = tempDir('ljd-proof-');
  afterAll(() => t.cleanup());
  const folder = (name: string) => {
    const dir = join(t.dir, name);
    mkdirSync(dir);
    return dir;
  };

  it('accepts the holder\u2019s proof for its folder; releasing the adopted lock leaves the holder\u2019s in place', () => {
    const dir = folder('a');
    const lock = acquireDataFolderLock(dir);
    const adopted = adoptDataFolderLock(lock.proof, dir);
    expect(adopted.folder).toBe(lock.folder);
    adopted.release();
    // the holder's lock (and its owner file) is untouched by that release
    expect(() => adoptDataFolderLock(lock.proof, dir)).not.toThrow();
    lock.release();
  });

  it('refuses a forged nonce, another pid and another folder', () => {
    const dir = folder('b');
    const other = folder('c');
    const lock = acquireDataFolderLock(dir);
    const refused = expect.objectContaining({ kind: 'conflict' });
    try {
      expect(() => adoptDataFolderLock({ ...lock.proof, nonce: 'guessed' }, dir)).toThrow(refused);
      expect(() => adoptDataFolderLock({ ...lock.proof, pid: process.pid + 1 }, dir)).toThrow(refused);
      expect(() => adoptDataFolderLock(lock.proof, other)).toThrow(refused);
    } finally {
      lock.release();
    }
  });
});
