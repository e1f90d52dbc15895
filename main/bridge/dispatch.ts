// One contract call, whichever transport carried it: the request is validated (the core never sees a
// bad one), the core's handler runs, its answer is checked against the contract, and any failure
// becomes an Envelope with words a page may see (details only in the log).

import { AppError, channels, parseRequest, type ChannelName, type Envelope, type Handlers } from '#shared/contract';

const GENERIC_INTERNAL = 'Something went wrong inside the app. Try again; if it keeps happening, restart the app.';

/** Maps whatever a call threw to what the page may see: an AppError's words, or a generic line (detail logged). */
export function envelopeOfError(err: unknown, log?: (line: string) => void): Envelope {
  if (err instanceof AppError) return { ok: false, error: { kind: err.kind, message: err.message } };
  log?.(`unexpected failure inside the app: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { ok: false, error: { kind: 'internal', message: GENERIC_INTERNAL } };
}

export interface CallOutcome {
  envelope: Envelope;
  /** why the call never reached the core, or its answer broke the contract (transports map it to a status) */
  failure: null | 'invalid_request' | 'bad_response';
}

export async function callChannel(
  handlers: Handlers,
  name: ChannelName,
  payload: unknown,
  options: { validateResponse: boolean; log?: ((line: string) => void) | undefined },
): Promise<CallOutcome> {
  let request: unknown;
  try {
    request = parseRequest(name, payload);
  } catch (err) {
    return { envelope: envelopeOfError(err, options.log), failure: 'invalid_request' };
  }
  try {
    const value = await (handlers[name] as (r: unknown) => Promise<unknown>)(request);
    if (!options.validateResponse) return { envelope: { ok: true, value: value ?? null }, failure: null };
    const checked = channels[name].response.safeParse(value);
    if (!checked.success) {
      options.log?.(`${name} answered outside the contract: ${checked.error.message}`);
      return {
        envelope: { ok: false, error: { kind: 'internal', message: `${name}: the app answered in an unexpected shape.` } },
        failure: 'bad_response',
      };
    }
    return { envelope: { ok: true, value: checked.data ?? null }, failure: null };
  } catch (err) {
    return { envelope: envelopeOfError(err, options.log), failure: null };
  }
}
