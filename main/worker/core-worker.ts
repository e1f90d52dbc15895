// The core's thread: creates the application core (cache, sync, the local server) from its WorkerBoot,
// answers the host's calls with Envelopes and forwards every core event and log line. Started by
// host.ts; bundled on its own as dist/electron/core-worker.mjs for the desktop app (app.asar.unpacked when packaged).
import { parentPort, workerData } from 'node:worker_threads';
import { events, type Envelope, type EventName } from '#shared/contract';
import { checkAnswer, envelopeOfError } from '../bridge/dispatch';
import { createCore, type Core } from '../core';
import type { ReportProblem } from '../files/broken-files';
import type { FromWorker, SecretsLink, ToWorker, WorkerBoot } from './protocol';
import { secretStoreOverLink } from './secrets-link';

const port = parentPort;
if (!port) throw new Error('core-worker.ts runs only as a worker thread (see main/worker/host.ts)');
const boot = workerData as WorkerBoot;
const post = (message: FromWorker) => port.postMessage(message);
const log = boot.log ? (line: string) => post({ type: 'log', line }) : undefined;

// the main thread's token store reports damaged files as the core's own files do
let reportFromMain: ReportProblem | null = null;
const secretsOverLink = (link: SecretsLink) => (report: ReportProblem) => {
  for (const problem of boot.reportedOnMain) report(problem);
  reportFromMain = report;
  return secretStoreOverLink(link);
};

let core: Core | null = null;
try {
  core = createCore({
    ...boot.options,
    ...(boot.secrets ? { secrets: secretsOverLink(boot.secrets) } : {}),
    ...(boot.heldLock ? { heldLock: boot.heldLock } : {}),
    ...(log ? { log } : {}),
  });
} catch (err) {
  const { error } = envelopeOfError(err, log) as { error: { kind: string; message: string } };
  post({ type: 'fatal', error });
}

if (core) {
  const running = core;
  for (const name of Object.keys(events) as EventName[]) running.on(name, (payload) => post({ type: 'event', name, payload }));
  port.on('message', (message: ToWorker) => {
    if (message.type === 'problem') return reportFromMain?.(message.problem);
    void answer(running, message).then((envelope) => {
      post({ type: 'reply', id: message.id, envelope });
      if (message.type === 'close') {
        port.close();
        boot.secrets?.port.close();
      }
    });
  });
}

/** The answer to one message; a call's value is checked against the contract here, where it is produced (the host does not again). */
async function answer(running: Core, message: Exclude<ToWorker, { type: 'problem' }>): Promise<Envelope> {
  try {
    if (message.type === 'start') await running.start();
    if (message.type === 'close') await running.close();
    if (message.type !== 'call') return { ok: true, value: null };
    const value = await (running.handlers[message.channel] as (r: unknown) => Promise<unknown>)(message.request);
    return checkAnswer(message.channel, value, log).envelope;
  } catch (err) {
    return envelopeOfError(err, log);
  }
}
