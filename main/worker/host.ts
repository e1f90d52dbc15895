// The core in its worker thread, seen from the main thread: a Core (same handlers, events, start and
// close) whose every call is a message to the worker and whose answer is the worker's Envelope. The
// main thread only routes; SQLite, sync and the parsing of big answers never run on it. A worker that
// dies is restarted (the pending calls answer why), at most a few times; then every call says so.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, channels, type AppErrorKind, type ChannelName, type Handlers } from '#shared/contract';
import type { Core, CoreOptions } from '../core';
import type { DataFileProblem } from '../files/broken-files';
import { createEventHub } from '../core/events';
import { markAnswersChecked } from '../bridge/dispatch';
import type { FromWorker, ToWorker, WorkerBoot } from './protocol';
import { serveSecrets } from './secrets-link';

export interface CoreWorkerOptions extends CoreOptions {
  /** the worker's script; default core-worker.ts (run through tsx) beside this file, or the bundled core-worker.mjs */
  entry?: string;
  /** unexpected exits restarted before the app gives up and says so; default 3 */
  maxRestarts?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const CLOSE_GRACE_MS = 3000;
export const CORE_RESTARTED = 'The app\u2019s core stopped unexpectedly and was restarted. Try again.';
export const CORE_GAVE_UP =
  'The app\u2019s core stopped unexpectedly several times and was not restarted: restart the app (the log says why).';

/**
 * The same file outside the app's asar archive: a packaged app runs from resources/app.asar, and a
 * worker thread's ESM loader cannot be relied on to read inside it, so electron-builder.yml unpacks
 * the worker bundle (and better-sqlite3, which it imports) to resources/app.asar.unpacked.
 */
export function outsideAsar(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

/** From source (dev, tests) the worker is TypeScript and needs tsx; the Electron build ships core-worker.mjs beside main.js. */
function workerScript(entry: string | undefined): { file: string; execArgv: string[] | undefined } {
  const beside = join(here, import.meta.url.endsWith('.ts') ? 'core-worker.ts' : 'core-worker.mjs');
  // only Electron has asar archives; elsewhere a folder that happens to be called app.asar stays as it is
  const file = entry ?? (process.versions.electron ? outsideAsar(beside) : beside);
  if (!file.endsWith('.ts')) return { file, execArgv: undefined };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file, execArgv: ['--import', tsx] };
}

type Pending = { resolve(value: unknown): void; reject(err: AppError): void };

export function startCoreWorker(options: CoreWorkerOptions): Core {
  const { secrets, log, heldLock, entry, maxRestarts = 3, ...plain } = options;
  const script = workerScript(entry);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let restarts = 0;
  let started = false;
  let closing = false;
  /** set when calls can no longer be answered: the core could not be created, or it died too often */
  let failure: AppError | null = null;

  const { emit, on } = createEventHub(log);
  const failAll = (err: AppError) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  let worker: Worker | undefined;
  let exited!: Promise<void>;
  // one token store for the host's life (it lives here, with safeStorage); what it reports reaches the core
  const reportedOnMain: DataFileProblem[] = [];
  const store = secrets?.((problem) => {
    reportedOnMain.push(problem);
    worker?.postMessage({ type: 'problem', problem } satisfies ToWorker);
  });
  const spawn = () => {
    const link = store ? serveSecrets(store) : null;
    const boot: WorkerBoot = {
      options: plain,
      heldLock: heldLock ?? null,
      secrets: link?.link ?? null,
      reportedOnMain: [...reportedOnMain],
      log: Boolean(log),
    };
    const w = new Worker(script.file, { workerData: boot, transferList: link ? [link.transfer] : [], execArgv: script.execArgv });
    let lastError: unknown = null;
    w.on('message', (message: FromWorker) => {
      if (message.type === 'reply') {
        const p = pending.get(message.id);
        pending.delete(message.id);
        const { envelope } = message;
        if (envelope.ok) p?.resolve(envelope.value);
        else p?.reject(new AppError(envelope.error.kind as AppErrorKind, envelope.error.message));
      } else if (message.type === 'event') {
        emit(message.name, message.payload as never);
      } else if (message.type === 'log') {
        log?.(message.line);
      } else {
        failure = new AppError(message.error.kind as AppErrorKind, message.error.message);
        log?.(`core worker: the core could not start: ${message.error.message}`);
        failAll(failure);
      }
    });
    w.on('error', (err) => {
      lastError = err;
      log?.(`core worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
    exited = new Promise((resolve) =>
      w.once('exit', (code) => {
        link?.close();
        resolve();
        if (closing || failure) return failAll(failure ?? new AppError('internal', 'The app is closing.'));
        log?.(`core worker: exited unexpectedly (code ${code}${lastError ? `, ${String(lastError)}` : ''})`);
        if (restarts >= maxRestarts) {
          failure = new AppError('internal', CORE_GAVE_UP);
          failAll(failure);
          emit('notify', { title: 'The app stopped working', body: CORE_GAVE_UP, jobId: null });
          return;
        }
        failAll(new AppError('internal', CORE_RESTARTED));
        restarts++;
        spawn();
        if (started) send({ type: 'start' }).catch((err: unknown) => log?.(`core worker: restart failed: ${String(err)}`));
        emit('notify', { title: 'The app restarted its core', body: CORE_RESTARTED, jobId: null });
      }),
    );
    worker = w;
  };

  const send = (message: { type: 'start' | 'close' } | { type: 'call'; channel: ChannelName; request: unknown }) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      if (closing && message.type !== 'close') return reject(new AppError('internal', 'The app is closing.'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker!.postMessage({ ...message, id } as ToWorker);
    });

  spawn();

  // the worker checks every answer against the contract before it posts it (core-worker.ts): the transports need not again
  const handlers = markAnswersChecked(
    Object.fromEntries(
      (Object.keys(channels) as ChannelName[]).map((channel) => [channel, (request: unknown) => send({ type: 'call', channel, request })]),
    ) as unknown as Handlers,
  );

  return {
    handlers,
    on,
    async start() {
      started = true;
      await send({ type: 'start' });
    },
    /** Resolves once the worker has closed the core (sync stopped, cache closed) and ended. */
    async close() {
      if (closing) return exited;
      const closed = failure
        ? Promise.resolve()
        : send({ type: 'close' }).catch((err: unknown) => log?.(`core worker: close failed: ${String(err)}`));
      closing = true;
      await closed;
      const late = setTimeout(() => void worker?.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(late);
    },
  };
}
