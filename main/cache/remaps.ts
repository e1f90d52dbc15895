// The local → server id map of offline-created jobs and users (filled when the server answers).
import type { Db } from './db';

export type RemapKind = 'job' | 'user';

export function createRemapsRepo(db: Db) {
  const insert = db.prepare('INSERT OR REPLACE INTO id_remaps (kind, local_id, server_id) VALUES (?, ?, ?)');
  const lookup = db.prepare('SELECT server_id FROM id_remaps WHERE kind = ? AND local_id = ?').pluck();
  return {
    record(kind: RemapKind, localId: number, serverId: number): void {
      insert.run(kind, localId, serverId);
    },
    /** The id to use now: the server id a local id became, else the id itself. */
    resolve(kind: RemapKind, id: number): number {
      if (id >= 0) return id;
      return (lookup.get(kind, id) as number | undefined) ?? id;
    },
  };
}
