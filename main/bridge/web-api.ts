// One channel call over HTTP (POST /api/<channel>, a JSON body): the request checked for method, type and
// channel name here, the payload and answer by dispatch.ts, the envelope sent back with its status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isChannelName, type Handlers } from '#shared/contract';
import { callChannel } from './dispatch';
import { HttpRefusal, readBody, sendJson } from './web-http';

export async function serveChannel(
  handlers: Handlers,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  options: { validateResponse: boolean; log?: (line: string) => void },
): Promise<void> {
  if (req.method !== 'POST') throw new HttpRefusal(405, 'invalid_request', 'Call channels with POST.');
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpRefusal(415, 'invalid_request', 'Send channel requests as application/json.');
  }
  if (!isChannelName(name)) throw new HttpRefusal(404, 'invalid_request', `There is no channel named '${name}'.`);
  let payload: unknown;
  try {
    const raw = await readBody(req);
    payload = raw ? JSON.parse(raw) : {};
  } catch (err) {
    if (err instanceof HttpRefusal) throw err;
    throw new HttpRefusal(400, 'invalid_request', `${name}: the request body is not valid JSON.`);
  }
  const { envelope, failure } = await callChannel(handlers, name, payload, options);
  sendJson(res, failure === 'invalid_request' ? 400 : failure === 'bad_response' ? 500 : 200, envelope);
}
