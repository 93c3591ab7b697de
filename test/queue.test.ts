/**
 * The queue against a real redis-server, with a stand-in for the card reader (OCR is the
 * black-box test's, test/queue-cli.test.ts): what `queue add` stores, which failures a worker
 * retries and which it never does, what stop (SIGTERM) and a run-level failure do, and what
 * export writes while cards are pending.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../src/errors.ts';
import type { BatchPlan, Job } from '../src/pipeline/batch.ts';
import type { OcrJob } from '../src/pipeline/card-job.ts';
import { addPlan } from '../src/queue/add.ts';
import { openQueue, type QueueHandle } from '../src/queue/connection.ts';
import { readDoneRows } from '../src/io/writers.ts';
import { exportQueue } from '../src/queue/export.ts';
import { queueStatus } from '../src/queue/status.ts';
import { jobIdOf } from '../src/queue/store.ts';
import { runWorker, type ReadCard, type WorkerOptions } from '../src/queue/worker.ts';
import { newRecord, type CardRecord } from '../src/record.ts';
import { tmpDir } from './helpers.ts';
import { startRedis, type TestRedis } from '../scripts/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let queueNo = 0;
const freshQueue = (): string => `test-${process.pid}-${++queueNo}`;

const pair = (id: string): Job => ({ kind: 'pair', id, front: `/cards/${id}_front.jpg`, back: `/cards/${id}_back.jpg` });
const orphan = (id: string): Job => ({
  kind: 'row',
  record: { ...newRecord(id, `/cards/${id}_front.jpg`, ''), status: 'error', errorCode: 'INOCR003', errorMessage: 'back image missing' },
});
const planOf = (jobs: Job[]): BatchPlan => ({ jobs, ambiguous: [], source: 'folder' });

/** A read card: ok with a name, or the given INOCR code. */
const recordFor = (job: OcrJob, code = ''): CardRecord => {
  const [front, back] = job.kind === 'pair' ? [job.front, job.back] : job.files;
  const r = newRecord(job.id, front, back);
  return code ? { ...r, status: 'error', errorCode: code, errorMessage: `${code} for the test` } : { ...r, name: `NAME OF ${job.id}` };
};

const workerOptions = (queue: string, more: Partial<WorkerOptions> = {}): WorkerOptions => ({
  redis: redis.url,
  queue,
  jobs: 2,
  reader: { engine: 'tesseract', maxBytes: 5 << 20 },
  lockMs: 5_000,
  exitWhenIdle: true,
  ...more,
});

async function withQueue<T>(name: string, work: (h: QueueHandle) => Promise<T>): Promise<T> {
  const h = await openQueue(redis.url, name);
  try {
    return await work(h);
  } finally {
    await h.close();
  }
}

const jsonl = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function exportTo(name: string, partial = false): Promise<{ file: string; summary: Awaited<ReturnType<typeof exportQueue>> }> {
  const file = path.join(tmpDir(), 'out.jsonl');
  const summary = await withQueue(name, (h) => exportQueue(h, { output: file, format: 'jsonl', bom: false, partial }));
  return { file, summary };
}

describe('queue add', () => {
  it('one job per card and the planned rows at once; the same input again adds nothing; other images under a known id are refused', async () => {
    const q = freshQueue();
    const plan = planOf([pair('a'), orphan('b'), pair('c'), pair('12'), pair('x:y')]);
    const opts = { attempts: 3, backoffMs: 1000 };
    await withQueue(q, async (h) => {
      const first = await addPlan(h, plan, opts);
      expect(first).toMatchObject({ planned: 5, added: 4, rows: 1, already: 0, conflicts: [], byCode: { INOCR003: 1 } });
      // Numeric ids and ids with ':' are fine: BullMQ's job ids are derived, never the raw id.
      expect((await h.queue.getJob(jobIdOf('12')))?.data).toEqual(pair('12'));
      expect((await h.queue.getJob(jobIdOf('x:y')))?.data).toEqual(pair('x:y'));
      const again = await addPlan(h, plan, opts);
      expect(again).toMatchObject({ planned: 5, added: 0, rows: 0, already: 5, conflicts: [] });
      expect(await h.queue.getJobCounts('waiting')).toEqual({ waiting: 4 });
      expect(await h.store.count()).toBe(5);
      // A different image pair under an id already queued: reported, not added, not overwritten.
      const other = await addPlan(h, planOf([{ kind: 'pair', id: 'a', front: '/elsewhere/a1.jpg', back: '/elsewhere/a2.jpg' }, orphan('c'), pair('d')]), opts);
      expect(other).toMatchObject({ added: 1, rows: 0, already: 0, conflicts: ['a', 'c'] });
      expect((await h.queue.getJob(jobIdOf('a')))?.data).toEqual(pair('a'));
      expect(await h.store.idsInOrder(0, -1)).toEqual(['a', 'b', 'c', '12', 'x:y', 'd']);
      const status = await queueStatus(h);
      expect(status).toMatchObject({ added: 6, decided: 1, waiting: 5, active: 0, done: 0, failed: 0 });
    });
  });

  it('an add cut short after placing a card is completed by the next add', async () => {
    const q = freshQueue();
    await withQueue(q, async (h) => {
      await h.store.place(['a']); // the add stopped here: placed, no job yet
      const s = await addPlan(h, planOf([pair('a'), pair('b')]), { attempts: 1, backoffMs: 0 });
      expect(s).toMatchObject({ added: 2, already: 0 });
      expect(await h.store.idsInOrder(0, -1)).toEqual(['a', 'b']);
    });
  });
});

describe('queue worker', () => {
  it('retries engine failures with backoff until a try succeeds or the tries run out; reads a bad input once', async () => {
    const q = freshQueue();
    await withQueue(q, (h) => addPlan(h, planOf([pair('flaky'), pair('bad'), pair('down'), orphan('lone'), pair('fine')]), { attempts: 3, backoffMs: 100 }));
    const calls = new Map<string, number[]>();
    const read: ReadCard = async (job) => {
      const times = calls.get(job.id) ?? [];
      times.push(Date.now());
      calls.set(job.id, times);
      if (job.id === 'flaky' && times.length < 3) return recordFor(job, 'INOCR007');
      if (job.id === 'bad') return recordFor(job, 'INOCR008');
      if (job.id === 'down') return recordFor(job, 'INOCR009');
      return recordFor(job);
    };
    const retries: string[] = [];
    const summary = await runWorker(workerOptions(q), { onRetry: (id, code) => retries.push(`${id}:${code}`) }, read);
    expect(calls.get('flaky')).toHaveLength(3);
    expect(calls.get('down')).toHaveLength(3);
    expect(calls.get('bad')).toHaveLength(1);
    expect(calls.get('fine')).toHaveLength(1);
    // Exponential backoff: 100 ms, then 200 ms.
    const [t1, t2, t3] = calls.get('down')!;
    expect(t2! - t1!).toBeGreaterThanOrEqual(90);
    expect(t3! - t2!).toBeGreaterThanOrEqual(190);
    expect(retries.sort()).toEqual(['down:INOCR009', 'down:INOCR009', 'flaky:INOCR007', 'flaky:INOCR007']);
    expect(summary).toMatchObject({ done: 4, ok: 2, failed: 2, retried: 4, byCode: { INOCR008: 1, INOCR009: 1 } });

    const { file, summary: ex } = await exportTo(q);
    expect(ex).toMatchObject({ added: 5, written: 5, pending: 0, saved: true, ok: 2 });
    const rows = jsonl(file);
    expect(rows.map((r) => [r['id'], r['status'], r['errorCode']])).toEqual([
      ['flaky', 'ok', ''],
      ['bad', 'error', 'INOCR008'],
      ['down', 'error', 'INOCR009'],
      ['lone', 'error', 'INOCR003'],
      ['fine', 'ok', ''],
    ]);
    expect(rows[0]?.['name']).toBe('NAME OF flaky');
    // CSV and JSON: batch's writers; read back, the same records.
    const dir = tmpDir();
    for (const format of ['csv', 'json'] as const) {
      const out = path.join(dir, `out.${format}`);
      await withQueue(q, (h) => exportQueue(h, { output: out, format, bom: false, partial: false }));
      expect((await readDoneRows(out, format)).rows, format).toEqual((await readDoneRows(file, 'jsonl')).rows);
    }
    expect(readFileSync(path.join(dir, 'out.csv'), 'utf8').split('\n')[0]).toMatch(/^id,front,back,status,errorCode,errorMessage,review,name,/);
  });

  it('stop (SIGTERM): the cards being read finish and are stored, no other is taken; export waits for the rest unless partial', async () => {
    const q = freshQueue();
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    await withQueue(q, (h) => addPlan(h, planOf(ids.map(pair)), { attempts: 1, backoffMs: 0 }));
    const abort = new AbortController();
    const started: string[] = [];
    const read: ReadCard = async (job) => {
      started.push(job.id);
      if (started.length === 2) abort.abort();
      await new Promise((r) => setTimeout(r, 400));
      return recordFor(job);
    };
    const first = await runWorker(workerOptions(q, { exitWhenIdle: false, signal: abort.signal }), {}, read);
    expect(started).toHaveLength(2);
    expect(first.done).toBe(2);

    const pending = await exportTo(q);
    expect(pending.summary).toMatchObject({ added: 5, written: 2, pending: 3, saved: false });
    expect(() => readFileSync(pending.file)).toThrow();
    const partial = await exportTo(q, true);
    expect(partial.summary).toMatchObject({ written: 2, pending: 3, saved: true });
    expect(jsonl(partial.file).map((r) => r['id'])).toEqual(started.slice().sort((a, b) => ids.indexOf(a) - ids.indexOf(b)));

    const rest = await runWorker(workerOptions(q), {}, async (job) => recordFor(job));
    expect(rest.done).toBe(3);
    const whole = await exportTo(q);
    expect(jsonl(whole.file).map((r) => r['id'])).toEqual(ids);
  });

  it('a run-level failure (credentials refused) stops the worker; the card goes back for a retry, not to a row', async () => {
    const q = freshQueue();
    await withQueue(q, (h) => addPlan(h, planOf([pair('a')]), { attempts: 3, backoffMs: 60_000 }));
    const refused = new RunError('AWS Textract refused the request: UnrecognizedClientException');
    await expect(runWorker(workerOptions(q, { exitWhenIdle: false }), {}, async () => Promise.reject(refused))).rejects.toBe(refused);
    await withQueue(q, async (h) => {
      const job = await h.queue.getJob(jobIdOf('a'));
      expect(await job?.getState()).toBe('delayed');
      expect(job?.returnvalue).toBeFalsy();
    });
    const ex = await exportTo(q);
    expect(ex.summary).toMatchObject({ pending: 1, saved: false });
  });

  it('a card the queue gave up on (its reading threw past its tries) is exported as an INOCR001 row saying so', async () => {
    const q = freshQueue();
    await withQueue(q, (h) => addPlan(h, planOf([pair('ok'), pair('crash')]), { attempts: 2, backoffMs: 10 }));
    const read: ReadCard = async (job) => {
      if (job.id === 'crash') throw new Error('worker bug');
      return recordFor(job);
    };
    await runWorker(workerOptions(q), {}, read);
    expect(await withQueue(q, (h) => queueStatus(h))).toMatchObject({ done: 1, failed: 1, waiting: 0 });
    const { file, summary } = await exportTo(q);
    expect(summary).toMatchObject({ written: 2, pending: 0, saved: true, byCode: { INOCR001: 1 } });
    const crash = jsonl(file)[1]!;
    expect(crash).toMatchObject({ id: 'crash', status: 'error', errorCode: 'INOCR001', front: '/cards/crash_front.jpg' });
    expect(crash['errorMessage']).toMatch(/gave up on this card after 2 failed attempt\(s\).*worker bug/);
  });

  it('status: done, rate and nothing pending once the worker has read every card', async () => {
    const q = freshQueue();
    await withQueue(q, (h) => addPlan(h, planOf(['a', 'b', 'c', 'd'].map(pair)), { attempts: 1, backoffMs: 0 }));
    await runWorker(workerOptions(q), {}, async (job) => (await new Promise((r) => setTimeout(r, 50)), recordFor(job)));
    const s = await withQueue(q, (h) => queueStatus(h));
    expect(s).toMatchObject({ added: 4, waiting: 0, active: 0, retrying: 0, done: 4, failed: 0, etaMs: undefined });
    expect(s.cardsPerMinute).toBeGreaterThan(0);
  });
});
