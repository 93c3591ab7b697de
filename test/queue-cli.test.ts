/**
 * The "done" run, with the built bin and a real redis-server (AOF on, fsync always):
 * 40 generated cards and six bad inputs are added to a queue (twice: the second adds nothing),
 * read by two worker processes, one of which is SIGKILLed mid-card and replaced, while Redis
 * itself is killed and restarted from its AOF. The export has every card exactly once, in the
 * order added, the bad inputs with their codes, and row for row what `batch` gives on the same
 * folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue } from '../src/queue/connection.ts';
import { queueStatus, type QueueStatus } from '../src/queue/status.ts';
import { generateCorpus } from '../src/synth/corpus.ts';
import { runBin, textImage, tmpDir } from './helpers.ts';
import { startRedis, type TestRedis } from '../scripts/redis-server.ts';

const BIN = path.resolve('bin/ine-ocr.js');
const CARDS = 40;
/** ~40 s per 40 cards on 2 free cores; far more when the machine is shared. */
const LONG = 1_200_000;

const run = (args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runBin> => runBin(args, env);

type Row = Record<string, unknown> & { id: string; status: string; errorCode: string };
const rowsOf = (file: string): Row[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);

interface Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr: string;
}

/** Every worker started, stopped at the end whatever happened. */
const workers: Worker[] = [];

function startWorker(redisUrl: string, ...more: string[]): Worker {
  const args = more.length > 0 ? more : ['--exit-when-idle', '--lock-duration', '8'];
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', redisUrl, '-j', '1', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const w: Worker = { child, exited: new Promise((r) => child.on('exit', (code) => r(code))), stderr: '' };
  child.stderr!.on('data', (d: Buffer) => (w.stderr += d.toString()));
  workers.push(w);
  return w;
}

async function statusOf(url: string, queue = 'ine-ocr'): Promise<QueueStatus> {
  const h = await openQueue(url, queue);
  try {
    return await queueStatus(h);
  } finally {
    await h.close();
  }
}

async function waitFor(url: string, what: string, ok: (s: QueueStatus) => boolean, queue = 'ine-ocr', timeoutMs = 400_000): Promise<QueueStatus> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await statusOf(url, queue);
    if (ok(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let redis: TestRedis;
let dir: string;
let input: string;
let batchRows: Row[];
const BAD = { sinpar: 'INOCR003', huerfano: 'INOCR002', vacio: 'INOCR008', pdf: 'INOCR014', roto: 'INOCR015', factura: 'INOCR004' };

beforeAll(async () => {
  dir = tmpDir();
  input = path.join(dir, 'in');
  redis = await startRedis();
  await generateCorpus({ seed: 15, count: CARDS, outDir: input, conditions: ['scan', 'lowres'], forceJpeg: true });
  const card = (n: string, side: string): string => path.join(input, `card-00${n}_${side}.jpg`);
  copyFileSync(card('01', 'front'), path.join(input, 'sinpar_front.jpg'));
  copyFileSync(card('02', 'back'), path.join(input, 'huerfano_back.jpg'));
  writeFileSync(path.join(input, 'vacio_front.jpg'), Buffer.alloc(0));
  copyFileSync(card('03', 'back'), path.join(input, 'vacio_back.jpg'));
  writeFileSync(path.join(input, 'pdf_front.jpg'), '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
  copyFileSync(card('04', 'back'), path.join(input, 'pdf_back.jpg'));
  const jpg = readFileSync(card('05', 'front'));
  writeFileSync(path.join(input, 'roto_front.jpg'), jpg.subarray(0, jpg.length >> 1));
  copyFileSync(card('05', 'back'), path.join(input, 'roto_back.jpg'));
  writeFileSync(path.join(input, 'factura_front.png'), textImage(['FACTURA 4471', 'Total 1,250.00 MXN']));
  writeFileSync(path.join(input, 'factura_back.png'), textImage(['Gracias por su compra']));
  // The reference: one batch run over the same folder.
  const out = path.join(dir, 'batch.jsonl');
  const b = await run(['batch', input, '-o', out, '-j', '2', '--no-progress']);
  expect(b.code, b.stderr).toBe(1);
  batchRows = rowsOf(out);
  expect(batchRows).toHaveLength(CARDS + 6);
}, LONG);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await redis?.stop();
});

describe('queue add + two workers + export (bin, real redis-server)', () => {
  it('a worker SIGKILLed mid-card and Redis restarted mid-run: every card exactly once, the same rows as batch', async () => {
    const q = ['--redis', redis.url];
    const add = await run(['queue', 'add', input, ...q]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toMatch(new RegExp(`${CARDS + 6} card\\(s\\) planned: ${CARDS + 4} added for the workers, 2 stored as error rows at once \\(INOCR002 ×1, INOCR003 ×1\\), 0 already`));
    const again = await run(['queue', 'add', input, ...q]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/0 added for the workers, 0 stored as error rows at once, 46 already in the queue/);
    expect(again.stderr).toMatch(/nothing added/);
    expect(await statusOf(redis.url)).toMatchObject({ added: CARDS + 6, decided: 2, waiting: CARDS + 4, done: 0 });

    const a = startWorker(redis.url);
    const b = startWorker(redis.url);
    // Both workers busy with a card each, a few cards done: kill one mid-card.
    await waitFor(redis.url, 'both workers reading', (s) => s.done >= 4 && s.active === 2);
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe(null);
    const c = startWorker(redis.url);
    // Redis killed and started again from its AOF while the workers read.
    await waitFor(redis.url, 'more cards done', (s) => s.done >= 16);
    await redis.restart();
    const [bCode, cCode] = await Promise.all([b.exited, c.exited]);
    expect(bCode, b.stderr).toBe(0);
    expect(cCode, c.stderr).toBe(0);

    const status = await statusOf(redis.url);
    expect(status).toMatchObject({ added: CARDS + 6, waiting: 0, active: 0, retrying: 0, done: CARDS + 4, failed: 0 });
    // The killed worker's card was put back and read by another worker.
    const h = await openQueue(redis.url, 'ine-ocr');
    const stalled = (await h.queue.getJobs(['completed'])).filter((j) => j.stalledCounter > 0);
    await h.close();
    expect(stalled.length).toBeGreaterThanOrEqual(1);

    const out = path.join(dir, 'export.jsonl');
    const ex = await run(['queue', 'export', ...q, '-o', out]);
    expect(ex.code, ex.stderr).toBe(0);
    const rows = rowsOf(out);
    // Every card exactly once, in the order added (the plan's: ids sorted).
    const ids = rows.map((r) => r.id);
    expect(ids).toHaveLength(CARDS + 6);
    expect(new Set(ids).size).toBe(CARDS + 6);
    expect(ids).toEqual(batchRows.map((r) => r.id).sort());
    for (const [id, code] of Object.entries(BAD)) expect(rows.find((r) => r.id === id), id).toMatchObject({ status: 'error', errorCode: code });
    // Row for row what batch gave on the same folder (the same paths: both absolute), every
    // column but the error message: libvips words a truncated JPEG differently from run to run
    // ("premature end of JPEG image", or "Unknown error"); the code is the same.
    const fromBatch = new Map(batchRows.map((r) => [r.id, r]));
    const sansMessage = ({ errorMessage: _, ...rest }: Row): Record<string, unknown> => rest;
    for (const r of rows) expect(sansMessage(r), r.id).toEqual(sansMessage(fromBatch.get(r.id)!));
    for (const r of rows) if (r.id !== 'roto') expect(r['errorMessage'], r.id).toBe(fromBatch.get(r.id)!['errorMessage']);
    expect(rows.filter((r) => r.status === 'ok').length).toBeGreaterThanOrEqual(CARDS - 2);

    // After the run, the same input again changes nothing; the export is the same.
    expect((await run(['queue', 'add', input, ...q])).stderr).toMatch(/nothing added/);
    const out2 = path.join(dir, 'export2.jsonl');
    expect((await run(['queue', 'export', ...q, '-o', out2])).code).toBe(0);
    expect(readFileSync(out2, 'utf8')).toBe(readFileSync(out, 'utf8'));

    const clear = await run(['queue', 'clear', ...q]);
    expect(clear.code).toBe(0);
    expect(await statusOf(redis.url)).toMatchObject({ added: 0, done: 0, waiting: 0 });
  }, LONG);

  it('SIGTERM: the worker finishes the card it is reading, stores it, takes no other and exits 0', async () => {
    const q = ['--redis', redis.url, '--queue', 'sigterm'];
    expect((await run(['queue', 'add', 'samples', ...q])).code).toBe(0);
    const w = startWorker(redis.url, '--queue', 'sigterm');
    await waitFor(redis.url, 'a card being read', (s) => s.active === 1, 'sigterm');
    w.child.kill('SIGTERM');
    expect(await w.exited, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/stopping after the cards being read/);
    const read = Number(/worker read (\d+) card\(s\)/.exec(w.stderr)?.[1]);
    // The card in flight (and at most the one it moved on to in the meantime) is stored; the rest wait.
    expect(read).toBeGreaterThanOrEqual(1);
    expect(read).toBeLessThanOrEqual(2);
    expect(await statusOf(redis.url, 'sigterm')).toMatchObject({ added: 4, done: read, active: 0, retrying: 0, waiting: 4 - read, failed: 0 });
    const out = path.join(dir, 'sigterm.jsonl');
    expect((await run(['queue', 'export', ...q, '-o', out, '--partial'])).code).toBe(0);
    expect(rowsOf(out).map((r) => r.status)).toEqual(new Array(read).fill('ok'));
  }, LONG);
});
