// Unit tests of pagination helpers, the job counter rule, entity order, the PNG encoder and the
// consistency of the realistic `jobs: N` seed.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/local-server/store';
import { seedBase } from '../../../main/local-server/seed';
import { seedJobs } from '../../../main/local-server/seed-jobs';
import { countEntities, sortEntities, type Entity } from '../../../main/local-server/jobs-model';
import { envelope, pageOf, parsePage, parseSort } from '../../../main/local-server/pagination';
import { encodePng, previewPng } from '../../../main/local-server/png';

describe('pagination helpers', () => {
  it('defaults to page 1 of 500 and computes pagesCount', () => {
    expect(parsePage({})).toEqual({ page: 1, perPage: 500 });
    expect(envelope(0, { page: 1, perPage: 500 }, [])).toEqual({ total: 0, perPage: 500, pagesCount: 0, entities: [] });
    expect(envelope(1001, { page: 3, perPage: 500 }, [1])).toMatchObject({ pagesCount: 3 });
    expect(pageOf([1, 2, 3, 4, 5], { page: 2, perPage: 2 }).entities).toEqual([3, 4]);
    expect(pageOf([1, 2, 3], { page: 9, perPage: 2 }).entities).toEqual([]);
  });

  it('builds ORDER BY with an id tie-break and rejects unknown sorts', () => {
    expect(parseSort({ sort: 'name', sort_order: 'desc' }, { id: 'id', name: 'n' }, 'id', 'm')).toBe('n DESC, id DESC');
    expect(parseSort({}, { id: 'id' }, 'id', 'm')).toBe('id ASC');
    expect(() => parseSort({ sort: 'x' }, { id: 'id' }, 'id', 'm')).toThrow(/cannot sort by/);
    expect(() => parsePage({ page: 0 })).toThrow();
  });
});

describe('job model', () => {
  it('counts finished = done+accepted+rejected and progress = reviewed', () => {
    const e = (reviewStatus: Entity['reviewStatus'], id: number): Entity => ({ id, name: `n${id}`, reviewStatus });
    expect(countEntities([e('none', 1), e('done', 2), e('accepted', 3), e('rejected', 4), e('rejected', 5)])).toEqual({
      images_count: 5,
      finished_images_count: 4,
      accepted_images_count: 1,
      rejected_images_count: 2,
      progress_images_count: 3,
    });
  });

  it('orders entities by name descending', () => {
    const list = ['IMG_0748.jpeg', 'IMG_8144.jpeg', 'IMG_2084.jpeg'].map((name, id) => ({ id, name, reviewStatus: 'none' as const }));
    expect(sortEntities(list).map((x) => x.name)).toEqual(['IMG_8144.jpeg', 'IMG_2084.jpeg', 'IMG_0748.jpeg']);
  });
});

describe('png', () => {
  it('encodes a valid RGB PNG with correct chunk CRCs', () => {
    const png = encodePng(3, 2, (x, y) => [x * 10, y * 20, 255]);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect([...raw.subarray(0, 10)]).toEqual([0, 0, 0, 255, 10, 0, 255, 20, 0, 255]);
    // CRC of IEND is a well-known constant
    expect(png.subarray(png.length - 4).toString('hex')).toBe('ae426082');
    expect(previewPng(1, 'a')).toEqual(previewPng(1, 'a'));
    expect(previewPng(1, 'a').equals(previewPng(2, 'b'))).toBe(false);
  });
});

describe('jobs: N seed', () => {
  it('creates N consistent jobs: counters match entities, timestamps ordered, activity rebuilds the status', () => {
    const db = openDatabase(':memory:');
    db.transaction(() => seedJobs(db, 2000, seedBase(db, 'demo', 't'.repeat(128))))();
    const jobs = db.prepare('SELECT j.*, e.entities FROM jobs j JOIN job_entities e ON e.job_id = j.id').all() as any[];
    expect(jobs).toHaveLength(2000);
    expect(new Set(jobs.map((j) => j.status)).size).toBe(6);
    expect(new Set(jobs.map((j) => j.user_id)).size).toBeGreaterThan(10);
    const months = new Set(jobs.map((j) => String(j.created_at).slice(0, 7)));
    expect(months.size).toBeGreaterThan(5);
    const lastStatus = new Map<number, string>();
    for (const r of db
      .prepare("SELECT job_id, meta FROM activity WHERE action IN ('job_created','job_status_changed') ORDER BY date, id")
      .all() as any[]) {
      lastStatus.set(r.job_id, JSON.parse(r.meta).status);
    }
    for (const j of jobs) {
      const entities = JSON.parse(j.entities) as Entity[];
      expect(countEntities(entities)).toMatchObject({
        images_count: j.images_count,
        finished_images_count: j.finished_images_count,
        accepted_images_count: j.accepted_images_count,
        rejected_images_count: j.rejected_images_count,
      });
      expect(entities.map((e) => e.name)).toEqual([...entities.map((e) => e.name)].sort().reverse());
      if (j.status === 'pending') expect(j.started_at).toBeNull();
      else expect(j.started_at >= j.created_at || j.status === 'stopped').toBe(true);
      if (j.status === 'completed') expect(j.finished_at >= j.started_at).toBe(true);
      else expect(j.finished_at).toBeNull();
      expect(j.updated_at >= j.created_at).toBe(true);
      expect(lastStatus.get(j.id)).toBe(j.status);
    }
    db.close();
  });
});
