// One contract call, whichever transport carried it: the request is validated (the core never sees a
// bad one), the core's handler runs, its answer is checked against the contract, and any failure
// becomes an Envelope with words a page may see (details only in the log).
//
// Where each check runs: the request here, at the boundary, where the renderer's input arrives; the
// answer where it is produced. A core in its worker thread checks its own answers there (checkAnswer in
// main/worker/core-worker.ts) and its handlers are marked (markAnswersChecked), so the main thread does
// not parse a 1,000-row answer a second time; handlers without the mark are checked here.

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

/** Handler sets whose answers were already checked against the contract where they were produced. */
const checkedAtSource = new WeakSet<object>();

/** Marks `handlers` as answering only contract-checked values (the core's worker checks its own); returns them. */
export function markAnswersChecked<T extends object>(handlers: T): T {
  checkedAtSource.add(handlers);
  return handlers;
}

/** A handler's answer against the contract: the parsed value (unknown keys stripped), or the error a page may see. */
export function checkAnswer(name: ChannelName, value: unknown, log?: (line: string) => void): CallOutcome {
  const checked = channels[name].response.safeParse(value);
  if (!checked.success) {
    log?.(`${name} answered outside the contract: ${checked.error.message}`);
    return {
      envelope: { ok: false, error: { kind: 'internal', message: `${name}: the app answered in an unexpected shape.` } },
      failure: 'bad_response',
    };
  }
  return { envelope: { ok: true, value: checked.data ?? null }, failure: null };
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
    if (!options.validateResponse || checkedAtSource.has(handlers)) return { envelope: { ok: true, value: value ?? null }, failure: null };
    return checkAnswer(name, value, options.log);
  } catch (err) {
    return { envelope: envelopeOfError(err, options.log), failure: null };
  }
}
