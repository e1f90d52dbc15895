// A SecretStore across the thread boundary. The core reads tokens synchronously, and Electron's
// safeStorage exists only on the main thread: the worker posts its question and sleeps on a shared
// flag (Atomics.wait) until the main thread has answered on the same port; the main thread never waits.
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { AppError, type AppErrorKind } from '#shared/contract';
import type { SecretStore } from '../settings/secrets';
import type { SecretsLink, SecretsReply, SecretsRequest } from './protocol';

const ANSWER_LIMIT_MS = 10_000;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Main thread: answers the worker's questions from `store`; returns the link to hand to the worker and a closer. */
export function serveSecrets(store: SecretStore): { link: SecretsLink; transfer: MessagePort; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  port1.on('message', (request: SecretsRequest) => {
    const { seq } = request;
    let reply: SecretsReply;
    try {
      const value =
        request.op === 'get'
          ? store.get(request.id)
          : request.op === 'set'
            ? (store.set(request.id, request.token), null)
            : (store.delete(request.id), null);
      reply = { seq, ok: true, value };
    } catch (err) {
      const kind = err instanceof AppError ? err.kind : 'internal';
      reply = { seq, ok: false, error: { kind, message: err instanceof Error ? err.message : String(err) } };
    }
    port1.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  port1.unref();
  return { link: { protection: store.protection, port: port2, signal }, transfer: port2, close: () => port1.close() };
}

/** Worker thread: a SecretStore whose every call is answered by the main thread's store. */
export function secretStoreOverLink(link: SecretsLink): SecretStore {
  const flag = new Int32Array(link.signal);
  let lastSeq = 0;
  const ask = (question: DistributiveOmit<SecretsRequest, 'seq'>): string | null => {
    const seq = ++lastSeq;
    const deadline = Date.now() + ANSWER_LIMIT_MS;
    Atomics.store(flag, 0, 0);
    link.port.postMessage({ ...question, seq });
    let reply: SecretsReply | undefined;
    for (;;) {
      reply = receiveMessageOnPort(link.port)?.message as SecretsReply | undefined;
      if (reply?.seq === seq) break;
      if (reply) continue; // the late answer to a question given up on
      const left = deadline - Date.now();
      if (left <= 0) throw new AppError('internal', 'The app could not reach its token store in time. Try again.');
      Atomics.wait(flag, 0, 0, left);
      Atomics.store(flag, 0, 0);
    }
    if (!reply.ok) throw new AppError(reply.error.kind as AppErrorKind, reply.error.message);
    return reply.value;
  };
  return {
    protection: link.protection,
    get: (id) => ask({ op: 'get', id }),
    set: (id, token) => void ask({ op: 'set', id, token }),
    delete: (id) => void ask({ op: 'delete', id }),
  };
}
