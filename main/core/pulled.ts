// What the UI hears after a pull: which rows changed (all of them after a full pull or a big one), and
// a `notify` for each watched job that reached its watched status (the watch is then spent).
import type { EventName, EventOf } from '#shared/contract';
import type { PullReport } from '../sync/pull';
import type { Session } from './session';

/** beyond this many changed ids the UI is told "everything changed" rather than given the list */
const LISTED_CHANGES_MAX = 500;

export function announcePull(
  session: Session,
  report: PullReport,
  emit: <E extends EventName>(event: E, payload: EventOf<E>) => void,
): void {
  emit(
    'jobs.changed',
    report.full || report.changedJobIds.length > LISTED_CHANGES_MAX ? { ids: [], all: true } : { ids: report.changedJobIds, all: false },
  );
  const watches = session.cache.watches.list();
  if (watches.length === 0) return;
  const reached = new Map(report.statusChanges.map((c) => [c.jobId, c.to]));
  for (const w of watches) {
    if (reached.get(w.jobId) !== w.status) continue;
    const job = session.cache.jobs.get(w.jobId);
    emit('notify', { title: `Job reached ${w.status}`, body: `"${job?.name ?? `job ${w.jobId}`}" is now ${w.status}.`, jobId: w.jobId });
    session.cache.watches.delete(w.jobId);
  }
}
