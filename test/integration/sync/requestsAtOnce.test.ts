// "Requests at once" through the core (in its worker, as the app runs it) against the local server over
// real HTTP: a proxy in front of the server counts the requests in flight. The outbox push fills the bound and
// never exceeds it, a new value applies without reconnecting, and under a rate limit a higher bound still
// waits out every Retry-After.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServer, type RunningLocalServer } from '../../../main/local-server';
import type { Core } from '../../../main/core';
import type { Quirks } from '../../../main/local-server';
import { startCoreWorker } from '../../../main/worker/host';
import { adminApi, DATASET, tempDir, waitFor } from '../support';

interface Seen {
  method: string;
  jobId: number | null;
  sentAt: number;
  status: number;
  retryAfterSec: number | null;
}

/** Forwards every request to `target`; tracks the API requests in flight (now and the peak since reset) and each answer. */
async function countingProxy(target: string) {
  const upstream = new URL(target);
  let inFlight = 0;
  let peak = 0;
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const api = req.url?.includes('/public/api/') ?? false;
      const sentAt = Date.now();
      if (api) peak = Math.max(peak, ++inFlight);
      const done = () => {
        if (api) inFlight--;
      };
      const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => {
          done();
          if (api) {
            let jobId: number | null = null;
            try {
              jobId = (JSON.parse(body.toString()) as { id?: number }).id ?? null;
            } catch {
              // a GET or an empty body
            }
            const retryAfter = r.headers['retry-after'];
            seen.push({
              method: req.url!.split('/').pop()!,
              jobId,
              sentAt,
              status: r.statusCode ?? 0,
              retryAfterSec: typeof retryAfter === 'string' ? Number(retryAfter) : null,
            });
          }
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(Buffer.concat(parts));
        });
      });
      up.on('error', () => {
        done();
        res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get peak() {
      return peak;
    },
    /** forgets the peak so far (the requests still in flight count towards the next one) */
    resetPeak() {
      peak = inFlight;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('requests at once', () => {
  const t = tempDir('ljd-in-flight-');
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    t.cleanup();
  });

  /** A local server with `jobs` jobs, a counting proxy before it, and the core on the proxy (first pull done). */
  async function world(name: string, jobs: number, quirks?: Quirks) {
    const server: RunningLocalServer = await startLocalServer({ port: 0, dataFile: join(t.dir, `${name}.sqlite`), seed: 'demo' });
    closers.push(() => server.close());
    const admin = adminApi(server.url, server.adminToken);
    const ids: number[] = [];
    for (let i = 0; i < jobs; i++) ids.push((await admin.jobs.create({ name: `${name}_${i}`, datasetId: DATASET, userIds: [7] }))[0]!.id);
    let limited = server;
    if (quirks) {
      // the same data, now behind the quirk (the jobs were made without it)
      await server.close();
      limited = await startLocalServer({ port: 0, dataFile: join(t.dir, `${name}.sqlite`), seed: 'demo', quirks });
      closers.push(() => limited.close());
    }
    const proxy = await countingProxy(limited.url);
    closers.push(() => proxy.close());
    const core: Core = startCoreWorker({
      dataDir: join(t.dir, `${name}-data`),
      homeDir: t.dir,
      syncIntervalSec: 3600,
      profileOverride: { serverAddress: proxy.url, apiToken: server.adminToken },
    });
    closers.push(() => core.close());
    await core.start();
    const h = core.handlers;
    await waitFor('the first pull', async () => (await h['sync.state']({})).lastSyncAt, 60_000);
    const sent = async (archive: number[]) => {
      await h['jobs.archive']({ ids: archive });
      await waitFor('the outbox sent', async () => (await h['sync.state']({})).outboxPending === 0, 60_000);
    };
    return { server: limited, proxy, h, ids, sent, admin: adminApi(limited.url, server.adminToken) };
  }

  it('the outbox fills the bound and never exceeds it; a new bound applies without reconnecting', async () => {
    const w = await world('bound', 90);
    expect((await w.h['settings.get']({})).requestsAtOnce).toBe(16);
    w.server.setFaults({ latencyMs: 40 });

    await w.h['settings.update']({ requestsAtOnce: 3 });
    w.proxy.resetPeak();
    await w.sent(w.ids.slice(0, 30));
    expect(w.proxy.peak).toBe(3);

    // raised while the session runs: the same client and push loop take it at once
    await w.h['settings.update']({ requestsAtOnce: 12 });
    w.proxy.resetPeak();
    await w.sent(w.ids.slice(30, 90));
    expect(w.proxy.peak).toBe(12);

    w.server.setFaults({ latencyMs: 0 });
    const archived = w.proxy.seen.filter((s) => s.method === 'jobs.archive' && s.status === 200).map((s) => s.jobId);
    expect(archived.sort((a, b) => a! - b!)).toEqual(w.ids); // each once
    expect(await w.admin.jobs.getInfoById(w.ids[89]!)).toBeNull(); // archived: jobs.info answers 404
  }, 120_000);

  it('at 16 in flight against a rate-limited server, every Retry-After is waited out and every job lands once', async () => {
    const w = await world('polite', 30, { rateLimit: { requests: 10, windowMs: 1000 } });
    expect((await w.h['settings.get']({})).requestsAtOnce).toBe(16);
    const started = w.proxy.seen.length;
    await w.sent(w.ids);
    const archives = w.proxy.seen.slice(started).filter((s) => s.method === 'jobs.archive');
    const refused = archives.filter((s) => s.status === 429);
    expect(refused.length).toBeGreaterThan(0); // the bound was above the server's limit: it did push back
    for (const r of refused) {
      const next = archives.find((s) => s.jobId === r.jobId && s.sentAt > r.sentAt);
      expect(next, `job ${r.jobId} was tried again`).toBeDefined();
      // Retry-After is whole seconds; the proxy's clock and the server's agree within a few ms
      expect(next!.sentAt - r.sentAt).toBeGreaterThanOrEqual(r.retryAfterSec! * 1000 - 50);
    }
    const landed = archives.filter((s) => s.status === 200).map((s) => s.jobId);
    expect(landed.sort((a, b) => a! - b!)).toEqual(w.ids);
    const state = await w.h['sync.state']({});
    expect(state.outboxProblems).toBe(0);
  }, 120_000);
});
