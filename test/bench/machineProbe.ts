// How fast this machine is right now, by the same fixed work in every run: our shared machines differ between
// sessions by 2× and more (every figure of a run moves with them), so a figure is compared across runs only next
// to these. `machine_probe_js` is script work (a loop, objects, JSON); `machine_probe_sqlite` is 100,000 rows
// written to a file in 20 commits, as a cache write does (CPU and the disk).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** ms of each probe, the best of three (the least disturbed by the machine's other work) */
export function probeMachine(): { js: number; sqlite: number } {
  const best = (work: () => void) => Math.min(...[0, 1, 2].map(() => timed(work)));
  return { js: best(scriptWork), sqlite: best(sqliteWork) };
}

/** the probe's lines, in the bench's `name: value unit` form */
export function printMachineProbe(print: (name: string, value: number, unit: string) => void): void {
  const { js, sqlite } = probeMachine();
  print('machine_probe_js', js, 'ms');
  print('machine_probe_sqlite', sqlite, 'ms');
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return Math.round((performance.now() - started) * 10) / 10;
}

function scriptWork(): void {
  let sum = 0;
  const rows: { id: number; name: string }[] = [];
  for (let i = 0; i < 200_000; i++) {
    rows.push({ id: i, name: `job_${i % 977}` });
    sum += (i * 7) % 13;
  }
  const text = JSON.stringify(rows);
  if ((JSON.parse(text) as unknown[]).length + sum < 0) throw new Error('unreachable');
}

function sqliteWork(): void {
  const dir = mkdtempSync(join(tmpdir(), 'ljd-probe-'));
  const db = new Database(join(dir, 'probe.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER); CREATE INDEX t_name ON t(name, id)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
    const commit = db.transaction((from: number) => {
      for (let id = from; id < from + 5_000; id++) insert.run(id, `job_${(id * 7919) % 100_003}`, id % 17);
    });
    for (let from = 0; from < 100_000; from += 5_000) commit(from);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
