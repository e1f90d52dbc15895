// Schema 4: a fingerprint of each job as the server last sent it, so a pull can skip rows that did
// not change (a periodic full list of 10,000 unchanged jobs then writes nothing) without trusting
// that the server bumps updatedAt for every change.
import type Database from 'better-sqlite3';

export function migration004JobFingerprint(db: Database.Database): void {
  db.exec('ALTER TABLE jobs ADD COLUMN server_fingerprint TEXT');
}
