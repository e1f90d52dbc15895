// The core's events as Server-Sent Events (GET /api/events): every open stream gets every event, and a
// comment line now and then so proxies and browsers keep an idle stream open.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { events, type EventName } from '#shared/contract';
import type { Core } from '../core';
import { SECURITY_HEADERS } from './web-http';

const HEARTBEAT_MS = 25_000;

export interface EventStreams {
  /** answers the request with a stream that stays open until the caller goes */
  open(req: IncomingMessage, res: ServerResponse): void;
  /** stops listening to the core and ends every stream */
  close(): void;
}

export function createEventStreams(core: Pick<Core, 'on'>): EventStreams {
  const streams = new Set<ServerResponse>();
  const unsubscribers = (Object.keys(events) as EventName[]).map((name) =>
    core.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const stream of streams) stream.write(frame);
    }),
  );
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    open(req, res) {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
    },
    close() {
      clearInterval(heartbeat);
      for (const off of unsubscribers) off();
      for (const stream of streams) stream.end();
    },
  };
}
