// Replays every request the official Python SDK sent for the tutorial (test/fixtures/sdk-requests-trace.jsonl,
// a copy of the trace that came with docs/supervisely-api.md)
// against a fresh demo-world local server, mapping the trace's job ids to the ones this server assigns, and checks
// each status against status_seen and each answer against the SDK's shape needs (supervisely-api.md §7.8).
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLocalServer, type TestLocalServer } from './helpers';
import { expectSdkShape } from './sdk-shapes';

const tracePath = resolve(import.meta.dirname, '..', '..', 'fixtures', 'sdk-requests-trace.jsonl');

interface TraceRow {
  seq: number;
  event?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  json?: Record<string, any>;
  status_seen?: number;
}
const trace: TraceRow[] = readFileSync(tracePath, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as TraceRow);

let localServer: TestLocalServer;
beforeAll(async () => {
  localServer = await startTestLocalServer();
});
afterAll(() => localServer.stop());

/** Trace job ids are 1001, 1002, … in creation order; this maps them to the ids our server answered. */
const jobIds = new Map<number, number>();
let nextTraceJobId = 1001;
const mapId = (id: number): number => jobIds.get(id) ?? id;

function mapJobIds(method: string, body: Record<string, any>): Record<string, any> {
  if (!method.startsWith('jobs.')) return body;
  const out = { ...body };
  if (typeof out.id === 'number') out.id = mapId(out.id);
  if (typeof out.jobId === 'number') out.jobId = mapId(out.jobId);
  if (Array.isArray(out.ids)) out.ids = out.ids.map((id: number) => mapId(id));
  return out;
}

function tlsHello(port: number): Promise<void> {
  return new Promise((done) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    const finish = () => {
      socket.destroy();
      done();
    };
    socket.on('error', finish);
    socket.on('close', finish);
    socket.setTimeout(3000, finish);
  });
}

describe('SDK trace replay', () => {
  it(`replays all ${trace.length} trace rows with the statuses the SDK saw`, async () => {
    expect(trace.length).toBeGreaterThan(60);
    let requests = 0;
    for (const row of trace) {
      if (row.event === 'tls_client_hello_on_plain_http') {
        await tlsHello(localServer.port);
        continue;
      }
      const method = row.path!.replace('/public/api/v3/', '');
      const valid = row.headers?.['x-api-key']?.includes('valid>') && !row.headers['x-api-key'].includes('INVALID');
      const token = valid ? localServer.adminToken : 'Z'.repeat(128);
      const body = mapJobIds(method, row.json ?? {});
      const answer = await localServer.call(method, body, token);
      requests++;
      const where = `seq ${row.seq} ${method} ${JSON.stringify(body)} → ${JSON.stringify(answer.body).slice(0, 300)}`;
      expect(answer.status, where).toBe(row.status_seen);
      expect(answer.headers.get('content-type'), where).toContain('application/json');
      if (answer.status === 200) {
        expectSdkShape(method, body, answer.body);
        if (method === 'jobs.add') for (const job of answer.body as { id: number }[]) jobIds.set(nextTraceJobId++, job.id);
      } else {
        expect(answer.body).toMatchObject({ error: expect.any(String), details: { message: expect.any(String) } });
      }
    }
    expect(requests).toBe(trace.length - 1);
    expect([...jobIds.keys()]).toEqual([1001, 1002, 1003, 1004]);
    expect([...jobIds.values()]).toEqual([1, 2, 3, 4]);
  });
});
