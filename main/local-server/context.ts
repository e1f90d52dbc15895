// What every API handler receives: the database, the authenticated caller, the request time and
// the server's base URL; plus the handler and registry types the server dispatches through.
import type { DB } from './store';

export interface Caller {
  id: number;
  login: string;
  isAdmin: boolean; // instance administrator
}

export interface Ctx {
  db: DB;
  caller: Caller;
  now: string; // ISO timestamp of this request
  baseUrl: string; // e.g. http://127.0.0.1:38123
  method: string; // API method name, e.g. jobs.list
}

export type Body = Record<string, unknown>;
export type Handler = (ctx: Ctx, body: Body) => unknown;
export type HandlerMap = Record<string, Handler>;

/** A handler result that is already serialised JSON (sent as is; used for large job pages). */
export class RawJson {
  constructor(readonly text: string) {}
}
