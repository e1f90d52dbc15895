// A data file the app cannot read is never reset in place and later overwritten: it is moved aside
// under a timestamped name, and what happened is recorded as a problem the user is shown (Settings).
import { renameSync } from 'node:fs';
import { basename } from 'node:path';

export interface DataFileProblem {
  /** the file as the app looks for it */
  file: string;
  /** where its unreadable content is kept, or null when it could not be moved (then it is not written) */
  keptAs: string | null;
  message: string;
}
export type ReportProblem = (problem: DataFileProblem) => void;

/**
 * Moves an unreadable `file` to `<file>.broken-<timestamp>` and reports it with `lost` (what the app
 * does without it). Returns the new name, or null when it could not be moved: the caller must then
 * not write `file`.
 */
export function keepAside(file: string, why: string, lost: string, report: ReportProblem, now = new Date()): string | null {
  const keptAs = `${file}.broken-${now.toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, keptAs);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `${file} cannot be read (${why}) nor moved aside (${reason}); it is left as it is and not written to. ${lost}`;
    report({ file, keptAs: null, message });
    return null;
  }
  report({ file, keptAs, message: `${basename(file)} could not be read (${why}); it was kept as ${keptAs}. ${lost}` });
  return keptAs;
}
