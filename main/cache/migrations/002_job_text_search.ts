// Schema 2: a trigram full-text index over job names and descriptions, so the Filters view's text
// search stays indexed at 100,000 jobs (LIKE '%x%' scans every row). Kept in sync by triggers.
import type Database from 'better-sqlite3';

export function migration002JobTextSearch(db: Database.Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE jobs_text USING fts5(name, description, content='jobs', content_rowid='id',
      tokenize='trigram case_sensitive 0');
    CREATE TRIGGER jobs_text_insert AFTER INSERT ON jobs BEGIN
      INSERT INTO jobs_text(rowid, name, description) VALUES (new.id, new.name, new.description);
    END;
    CREATE TRIGGER jobs_text_delete AFTER DELETE ON jobs BEGIN
      INSERT INTO jobs_text(jobs_text, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
    END;
    CREATE TRIGGER jobs_text_update AFTER UPDATE OF id, name, description ON jobs
      WHEN old.id != new.id OR old.name IS NOT new.name OR old.description IS NOT new.description BEGIN
      INSERT INTO jobs_text(jobs_text, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
      INSERT INTO jobs_text(rowid, name, description) VALUES (new.id, new.name, new.description);
    END;
    INSERT INTO jobs_text(jobs_text) VALUES ('rebuild');
  `);
}
