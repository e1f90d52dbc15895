// Schema 5: remember which server id each offline-created job or user received, so a request that
// still names the old local id (a screen opened before the remap) reaches the right row.
import type Database from 'better-sqlite3';

export function migration005IdRemaps(db: Database.Database): void {
  db.exec(`CREATE TABLE id_remaps (
    kind TEXT NOT NULL CHECK (kind IN ('job', 'user')),
    local_id INTEGER NOT NULL CHECK (local_id < 0),
    server_id INTEGER NOT NULL,
    PRIMARY KEY (kind, local_id)
  ) WITHOUT ROWID`);
}
