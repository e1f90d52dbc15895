// Schema 9: the trigram text index is brought up to date after writes, not inside them (issue 14: indexing
// each job's text cost 37% of a write at 1M jobs). A written job's id goes into jobs_text_pending instead;
// textIndex.ts indexes those rows in the background once writes pause, and a search checks the pending
// rows' text directly (jobQuery.ts), so it stays exact meanwhile.
// Every job is in exactly one state: indexed (jobs_text holds its current name and description) or pending
// (its id is in jobs_text_pending, jobs_text holds nothing of it). The delete and update triggers tell the
// two apart: an FTS5 'delete' of values that were never indexed corrupts an external-content index. A
// changed name or description leaves the index and becomes pending too; an id change carries the state along.
// FTS5's merging of index segments at each commit is turned off (automerge 0): it made steps of 20+ ms at
// 100k jobs; the catch-up merges in bounded steps of its own. Every row of an older file is indexed already,
// so nothing is pending after this.
import type Database from 'better-sqlite3';

export function migration009DeferredTextIndex(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER jobs_text_insert;
    DROP TRIGGER jobs_text_delete;
    DROP TRIGGER jobs_text_update;

    CREATE TABLE jobs_text_pending (id INTEGER PRIMARY KEY);

    CREATE TRIGGER jobs_text_insert AFTER INSERT ON jobs BEGIN
      INSERT OR IGNORE INTO jobs_text_pending(id) VALUES (new.id);
    END;
    CREATE TRIGGER jobs_text_delete AFTER DELETE ON jobs BEGIN
      INSERT INTO jobs_text(jobs_text, rowid, name, description)
        SELECT 'delete', old.id, old.name, old.description
        WHERE NOT EXISTS (SELECT 1 FROM jobs_text_pending WHERE id = old.id);
      DELETE FROM jobs_text_pending WHERE id = old.id;
    END;
    CREATE TRIGGER jobs_text_update AFTER UPDATE OF id, name, description ON jobs
      WHEN old.id != new.id OR old.name IS NOT new.name OR old.description IS NOT new.description BEGIN
      INSERT INTO jobs_text(jobs_text, rowid, name, description)
        SELECT 'delete', old.id, old.name, old.description
        WHERE NOT EXISTS (SELECT 1 FROM jobs_text_pending WHERE id = old.id);
      DELETE FROM jobs_text_pending WHERE id = old.id;
      INSERT OR IGNORE INTO jobs_text_pending(id) VALUES (new.id);
    END;
    INSERT INTO jobs_text(jobs_text, rank) VALUES ('automerge', 0);
  `);
}
