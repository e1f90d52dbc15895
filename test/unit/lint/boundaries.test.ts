// The room boundaries of eslint.config.mjs bite: each forbidden import, placed in a file of that room, is an
// error naming the rule, and the same import where it is allowed is not.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../..', import.meta.url).pathname });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('room boundaries', () => {
  it.each([
    ['main/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n", /Only main\/electron\/ and preload\//],
    ['main/cache/x.ts', "import ky from 'ky';\nexport const k = ky;\n", /knows no network/],
    ['main/cache/x.ts', "import { request } from 'node:https';\nexport const r = request;\n", /knows no network/],
    ['main/cache/x.ts', "import { pull } from '../sync/pull';\nexport const p = pull;\n", /bottom layer/],
    ['main/cache/x.ts', "import { createClient } from '../supervisely/client';\nexport const c = createClient;\n", /never its code/],
    ['main/local-server/handlers/x.ts', "import { AppError } from '#shared/contract';\nexport const e = AppError;\n", /stands alone/],
    ['main/local-server/x.ts', "import { openCache } from '../cache';\nexport const o = openCache;\n", /stands alone/],
    ['main/supervisely/x.ts', "import { openCache } from '../cache/index';\nexport const o = openCache;\n", /knows only the wire/],
    ['main/sync/x.ts', "import { startLocalServer } from '../local-server';\nexport const s = startLocalServer;\n", /only over HTTP/],
    [
      'renderer/src/lib/x.ts',
      "import { createCore } from '../../../main/core';\nexport const c = createCore;\n",
      /only the shared contract/,
    ],
    ['renderer/src/lib/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /no Node modules/],
    ['shared/x.ts', "import { join } from 'node:path';\nexport const j = join;\n", /is pure/],
    ['main/files/x.ts', "import { openCache } from '../cache';\nexport const o = openCache;\n", /below every room/],
    [
      'main/bridge/x.ts',
      "import type { WebFrameMain } from 'electron';\nexport type F = WebFrameMain;\n",
      /Only main\/electron\/ and preload\//,
    ],
  ])('%s: %s is refused', async (file, code, reason) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(reason);
  });

  it.each([
    ['main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['preload/x.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n"],
    ['main/cache/x.ts', "import type { TeamInfo } from '../supervisely/types';\nexport type T = TeamInfo;\n"],
    ['main/cache/x.ts', "import { writePrivateFile } from '../files/private-files';\nexport const w = writePrivateFile;\n"],
    ['main/core/x.ts', "import { startLocalServer } from '../local-server';\nexport const s = startLocalServer;\n"],
    ['renderer/src/lib/x.ts', "import { channels } from '#shared/contract';\nexport const c = channels;\n"],
    ['main/local-server/handlers/x.ts', "import { sendJson } from '../http';\nexport const s = sendJson;\n"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
