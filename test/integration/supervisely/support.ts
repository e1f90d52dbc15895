// Test support for the client's integration tests: the local server on a temp file, clients with a
// fast retry policy, and tiny node:http servers for answers the local server never gives.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServerOptions, type RunningLocalServer } from '../../../main/local-server';
import { createSuperviselyApi, type ClientTuning } from '../../../main/supervisely/client';
import type { ServerProfile } from '../../../main/supervisely/api';

export interface TestServer {
  localServer: RunningLocalServer;
  close(): Promise<void>;
}

/** The local server on port 0 with a fresh data file in a temp folder (removed on close). */
export async function startTestLocalServer(options: Omit<LocalServerOptions, 'port' | 'dataFile'> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'client-test-'));
  const localServer = await startLocalServer({ port: 0, seed: 'demo', ...options, dataFile: join(dir, 'local-server.sqlite') });
  return {
    localServer,
    async close() {
      await localServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client with a fast retry policy so fault tests take milliseconds, not minutes. */
export function fastClient(url: string, token: string, extra: Partial<ServerProfile & ClientTuning> = {}) {
  return createSuperviselyApi({
    serverAddress: url,
    apiToken: token,
    retryBaseMs: 5,
    retryMaxDelayMs: 20,
    offlineBudgetMs: 1000,
    timeoutMs: 5000,
    ...extra,
  });
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface TinyServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A node:http server whose `answer` decides every reply; every request is recorded. */
export async function startTinyServer(answer: (req: RecordedRequest, res: ServerResponse) => void): Promise<TinyServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      answer(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The endpoint name of a recorded API path. */
export const endpointOf = (r: RecordedRequest) => r.path.replace('/public/api/v3/', '');
