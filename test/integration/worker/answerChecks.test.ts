// Where the contract is checked (#14): requests at the boundary (callChannel, on the main thread), answers
// where they are produced (the core's worker). The main thread does not parse a worker's answer again;
// handlers without the worker's mark (a core on this thread, a test double) are still checked there.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { channels, type Handlers } from '#shared/contract';
import { callChannel, checkAnswer, markAnswersChecked } from '../../../main/bridge/dispatch';
import { startCoreWorker } from '../../../main/worker/host';
import { tempDir } from '../support';

const NARROW = join(import.meta.dirname, '../../fixtures/narrowContractCoreWorker.ts');
const sortById = { column: 'id', direction: 'asc' } as const;

describe('answer checks', () => {
  const t = tempDir('ljd-answer-checks-');
  afterAll(() => t.cleanup());
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("the main thread does not parse the worker's answers again; unmarked handlers it does", async () => {
    const core = startCoreWorker({ dataDir: join(t.dir, 'a'), homeDir: t.dir, syncIntervalSec: 3600 });
    closers.push(() => core.close());
    await core.start();
    const parse = vi.spyOn(channels['jobs.query'].response, 'safeParse');
    const request = { filter: {}, sort: sortById, offset: 0, limit: 1000 };
    const routed = await callChannel(core.handlers, 'jobs.query', request, { validateResponse: true });
    expect(routed.envelope).toMatchObject({ ok: true, value: { total: expect.any(Number) } });
    expect(parse).not.toHaveBeenCalled();
    const unmarked = { ...core.handlers } as Handlers; // same calls, without the worker's mark
    const checked = await callChannel(unmarked, 'jobs.query', request, { validateResponse: true });
    expect(checked.envelope).toEqual(routed.envelope);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('requests are still validated on the main thread: a bad one never reaches the worker', async () => {
    const seen: unknown[] = [];
    const handlers = markAnswersChecked({
      'jobs.query': async (r: unknown) => {
        seen.push(r);
        return { rows: [], total: 0 };
      },
    } as unknown as Handlers);
    const outcome = await callChannel(
      handlers,
      'jobs.query',
      { filter: {}, sort: sortById, offset: -1, limit: 5000 },
      { validateResponse: true },
    );
    expect(outcome.failure).toBe('invalid_request');
    expect(outcome.envelope).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    expect(seen).toEqual([]);
  });

  it('the worker checks its answers before posting them: unknown keys stripped, an out-of-contract answer refused and logged', async () => {
    const lines: string[] = [];
    const core = startCoreWorker({
      entry: NARROW,
      dataDir: join(t.dir, 'b'),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      log: (l) => lines.push(l),
    });
    closers.push(() => core.close());
    await core.start();
    // under the narrowed contract only `version` may cross; the real answer also has transport, demo, …
    expect(await core.handlers['app.info']({})).toEqual({ version: expect.any(String) });
    await expect(core.handlers['presets.list']({})).rejects.toMatchObject({
      kind: 'internal',
      message: 'presets.list: the app answered in an unexpected shape.',
    });
    expect(lines.some((l) => l.startsWith('presets.list answered outside the contract'))).toBe(true);
  });

  it('checkAnswer answers the parsed value, or an error naming the channel', () => {
    expect(checkAnswer('app.info', { version: '1', transport: 'web', demo: true, serverAddress: 'x', userLogin: null, extra: 1 })).toEqual({
      envelope: { ok: true, value: { version: '1', transport: 'web', demo: true, serverAddress: 'x', userLogin: null } },
      failure: null,
    });
    expect(checkAnswer('app.info', { version: 1 })).toMatchObject({
      envelope: { ok: false, error: { kind: 'internal', message: 'app.info: the app answered in an unexpected shape.' } },
      failure: 'bad_response',
    });
  });
});
