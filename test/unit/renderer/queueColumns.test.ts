// The grid's queue column and filter: offered only where there are queues, after the dataset; the cell's
// text; the queue filter (0 = from no queue) kept in the link.
import { describe, expect, it } from 'vitest';
import type { JobGridRow, QueueSummary } from '#shared/contract';
import { defaultSort, filterToQuery, queryToFilter } from '../../../renderer/src/lib/filterUrl';
import { toCsv } from '../../../renderer/src/lib/csv';
import {
  columnsOffered,
  csvHeader,
  csvRow,
  defaultLayout,
  gridTemplate,
  jobColumns,
  queueLabel,
  rowWidthOf,
  visibleColumns,
  withShown,
} from '../../../renderer/src/views/jobs/jobColumns';
import { sampleGridRow } from './sampleGridRow';

const queue = (id: number, name: string): QueueSummary => ({
  id,
  teamId: 8,
  name,
  projectId: 5555,
  datasetId: 10555,
  status: 'in_progress',
  archived: false,
});

const gridRow: JobGridRow = { ...sampleGridRow, name: 'queued_job' };

describe('the queue column', () => {
  it('is offered only with queues, right after the dataset, and can be hidden', () => {
    expect(columnsOffered(false).map((c) => c.key)).not.toContain('queue');
    const keys = columnsOffered(true).map((c) => c.key);
    expect(keys.indexOf('queue')).toBe(keys.indexOf('dataset') + 1);
    expect(keys).toHaveLength(jobColumns.length + 1);
    const layout = defaultLayout();
    expect(visibleColumns(layout, true).map((c) => c.key)).toContain('queue');
    // the queue column's width comes from the others: the default row is as wide as without it (it fits 1,400 px)
    expect(rowWidthOf(layout, true)).toBe(rowWidthOf(layout));
    // one px-per-fr ratio for every growing column, as without queues
    for (const c of columnsOffered(true).filter((c) => c.grow))
      expect(gridTemplate(layout, true)).toContain(`minmax(${c.minPx}px, ${c.minPx / 100}fr)`);
    // only beside the queue are the people columns narrower
    expect(columnsOffered(true).find((c) => c.key === 'assignee')!.minPx).toBeLessThan(jobColumns.find((c) => c.key === 'assignee')!.minPx);
    expect(gridTemplate(layout, true).split(/ (?![^(]*\))/)).toHaveLength(2 + jobColumns.length + 1);
    expect(visibleColumns(withShown(layout, 'queue', false), true).map((c) => c.key)).not.toContain('queue');
  });

  it("says the queue's name, its id while the name is unknown, and nothing for a job from no queue", () => {
    const byId = new Map([
      [3, queue(3, 'Lemons')],
      [4, queue(4, '')],
    ]);
    expect(queueLabel(3, byId)).toBe('Lemons');
    expect(queueLabel(4, byId)).toBe('Queue #4');
    expect(queueLabel(9, byId)).toBe('Queue #9');
    expect(queueLabel(null, byId)).toBe('');
  });

  it("writes the queue's name in the CSV, and its id in a column of its own", () => {
    const byId = new Map([[3, queue(3, '=Lemons, sorted')]]);
    const at = (key: string) => csvHeader.indexOf(key);
    const line = (queueId: number | null, names = byId) => csvRow({ ...gridRow, labelingQueueId: queueId }, names);
    expect(at('queue_id')).toBe(at('queue') + 1);
    expect([line(3)[at('queue')], line(3)[at('queue_id')]]).toEqual(['=Lemons, sorted', 3]);
    // a name the cache does not know yet stays empty (the id says which queue); no queue, both empty
    expect([line(9)[at('queue')], line(9)[at('queue_id')]]).toEqual([null, 9]);
    expect([line(null)[at('queue')], line(null)[at('queue_id')]]).toEqual([null, null]);
    // the name is server text: a spreadsheet formula or a comma in it is written safely
    expect(toCsv(csvHeader, [line(3)]).split('\r\n')[1]).toContain(`,"'=Lemons, sorted",3,`);
  });

  it('keeps the queue filter in the link, "from no queue" included', () => {
    const filter = { queueId: [0, 12] };
    const query = filterToQuery(filter, defaultSort);
    expect(query).toBe('queue=0%2C12');
    expect(queryToFilter(query).filter).toEqual(filter);
    expect(queryToFilter('queue=x,5').filter).toEqual({ queueId: [5] });
  });
});
