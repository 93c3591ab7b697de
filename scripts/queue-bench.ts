/**
 * The queue's scaling figures: reading throughput on this machine with 1, 2 and 4 worker
 * processes (`ine-ocr worker -j 1` each, the real bin and OCR), the queue's own cost per card
 * (Redis round trips on the worker's side, Redis CPU and memory), and from them the time for
 * 1,000,000 cards on K machines of this size.
 *
 *   npm run queue-bench                          24 scans, 2,000 no-OCR cards
 *   npm run queue-bench -- --cards 16 --noop 1000 --workers 1,2
 *
 * A redis-server (Debian's package) is started on a free loopback port with AOF on and
 * `appendfsync always` (the README's setting). Throughput is taken from the jobs' own times:
 * cards ÷ (last card finished − first card started), so process start-up is left out.
 * The queue's cost is measured with a worker whose reading is instant (it returns a real record
 * of a card read above): the time per card a worker spends on the queue alone, and what Redis
 * spends (its CPU, INFO's used_cpu_sys + used_cpu_user) and keeps (INFO used_memory) per card.
 * Redis runs commands on one core, so 1000 ÷ (its ms per card) is the most cards per second any
 * number of machines can get through one Redis; the projection is the smaller of that and
 * K × this machine's rate.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import { planBatch } from '../src/pipeline/batch.ts';
import { addPlan } from '../src/queue/add.ts';
import { openQueue, type QueueHandle } from '../src/queue/connection.ts';
import { clearQueue } from '../src/queue/export.ts';
import { runWorker } from '../src/queue/worker.ts';
import type { CardRecord } from '../src/record.ts';
import { startRedis } from './redis-server.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '15' },
    cards: { type: 'string', default: '24' },
    noop: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1,2,4' },
  },
});
const BENCH = '.bench';
const BIN = path.resolve('bin/ine-ocr.js');
const MILLION = 1_000_000;

async function corpus(seed: number, count: number): Promise<string> {
  const dir = path.resolve(BENCH, `queue-scan-s${seed}-n${count}`);
  if (!existsSync(path.join(dir, 'DONE'))) {
    const { generateCorpus } = await import('../src/synth/corpus.ts');
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating ${count} scan cards (seed ${seed}) ...\n`);
    await generateCorpus({ seed, count, outDir: dir, conditions: ['scan'], forceJpeg: true });
    writeFileSync(path.join(dir, 'DONE'), '');
  }
  return dir;
}

async function withQueue<T>(url: string, name: string, work: (h: QueueHandle) => Promise<T>): Promise<T> {
  const h = await openQueue(url, name);
  try {
    return await work(h);
  } finally {
    await h.close();
  }
}

interface OcrRun {
  readonly workers: number;
  readonly cards: number;
  readonly seconds: number;
  readonly cardsPerMin: number;
  /** With process start-up (spawn → last worker exited). */
  readonly wallSeconds: number;
  readonly failed: number;
}

/** `workers` processes of `ine-ocr worker -j 1` over the corpus; rate from the jobs' times. */
async function ocrRun(url: string, dir: string, workers: number): Promise<{ run: OcrRun; sample: CardRecord | undefined }> {
  const name = `bench-ocr-${workers}`;
  const plan = await planBatch(dir, false);
  await withQueue(url, name, async (h) => {
    await clearQueue(h, true);
    await addPlan(h, plan, { attempts: 1, backoffMs: 0 });
  });
  const t0 = Date.now();
  const exits = Array.from({ length: workers }, () => {
    const child = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--queue', name, '-j', '1', '--exit-when-idle', '--no-progress'], { stdio: ['ignore', 'ignore', 'inherit'] });
    return new Promise<number | null>((resolve) => child.on('exit', resolve));
  });
  const codes = await Promise.all(exits);
  const wallSeconds = (Date.now() - t0) / 1000;
  if (codes.some((c) => c !== 0)) throw new Error(`a worker exited with ${codes.join(', ')}`);
  return withQueue(url, name, async (h) => {
    const jobs = await h.queue.getJobs(['completed']);
    const started = Math.min(...jobs.map((j) => j.processedOn ?? Infinity));
    const finished = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
    const seconds = (finished - started) / 1000;
    const failed = jobs.filter((j) => j.returnvalue?.status !== 'ok').length;
    const sample = jobs.find((j) => j.returnvalue?.status === 'ok')?.returnvalue;
    await clearQueue(h, true);
    return { run: { workers, cards: jobs.length, seconds, cardsPerMin: (jobs.length * 60) / seconds, wallSeconds, failed }, sample };
  });
}

async function redisInfo(url: string): Promise<{ cpuMs: number; memory: number }> {
  const r = new Redis(url);
  try {
    const info = await r.info();
    const field = (k: string): number => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return { cpuMs: (field('used_cpu_sys') + field('used_cpu_user')) * 1000, memory: field('used_memory') };
  } finally {
    r.disconnect();
  }
}

interface QueueCost {
  readonly cards: number;
  /** Worker side, one card at a time: queue time per card (fetch, lock, store), ms. */
  readonly workerMsPerCard: number;
  /** `queue add`, per card, ms. */
  readonly addMsPerCard: number;
  /** Redis CPU per card (add + read + store), ms. */
  readonly redisCpuMsPerCard: number;
  /** Redis memory kept per card done (job, result, order), bytes. */
  readonly redisBytesPerCard: number;
  /** Cards/min through the queue with 16 cards at once in one process, clients and Redis on this machine's cores. */
  readonly parallelCardsPerMin: number;
}

/** `cards` cards whose reading is instant, `jobs` at once; wall time of the add and of the reading. */
async function noopRun(url: string, name: string, cards: number, jobs: number, record: CardRecord): Promise<{ addMs: number; workMs: number }> {
  const plan = Array.from({ length: cards }, (_, i) => ({ kind: 'pair' as const, id: `noop-${i}`, front: `/shared/cards/noop-${i}_front.jpg`, back: `/shared/cards/noop-${i}_back.jpg` }));
  const t0 = Date.now();
  await withQueue(url, name, (h) => addPlan(h, { jobs: plan, ambiguous: [], source: 'manifest' }, { attempts: 1, backoffMs: 0 }));
  const addMs = Date.now() - t0;
  const t1 = Date.now();
  await runWorker(
    { redis: url, queue: name, jobs, reader: { engine: 'tesseract', maxBytes: 5 << 20 }, lockMs: 30_000, exitWhenIdle: true },
    {},
    async (job) => ({ ...record, id: job.id, front: job.kind === 'pair' ? job.front : job.files[0], back: job.kind === 'pair' ? job.back : job.files[1] }),
  );
  return { addMs, workMs: Date.now() - t1 };
}

/** The queue alone: its cost per card one card at a time, then its rate with 16 at once. */
async function queueCost(url: string, cards: number, record: CardRecord): Promise<QueueCost> {
  const before = await redisInfo(url);
  const serial = await noopRun(url, 'bench-noop-1', cards, 1, record);
  const after = await redisInfo(url);
  const parallel = await noopRun(url, 'bench-noop-16', cards, 16, record);
  for (const name of ['bench-noop-1', 'bench-noop-16']) await withQueue(url, name, (h) => clearQueue(h, true));
  return {
    cards,
    workerMsPerCard: serial.workMs / cards,
    addMsPerCard: serial.addMs / cards,
    redisCpuMsPerCard: (after.cpuMs - before.cpuMs) / cards,
    redisBytesPerCard: (after.memory - before.memory) / cards,
    parallelCardsPerMin: (cards * 60_000) / parallel.workMs,
  };
}

function formatHours(h: number): string {
  return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} h`;
}

async function main(): Promise<void> {
  const dir = await corpus(Number(values.seed), Number(values.cards));
  await promisify(execFile)(process.execPath, [BIN, '--version']);
  const redis = await startRedis();
  try {
    const runs: OcrRun[] = [];
    let sample: CardRecord | undefined;
    for (const w of values.workers.split(',').map(Number)) {
      process.stderr.write(`reading ${values.cards} cards with ${w} worker process(es) (-j 1 each) ...\n`);
      const r = await ocrRun(redis.url, dir, w);
      runs.push(r.run);
      sample ??= r.sample;
    }
    if (!sample) throw new Error('no card was read: nothing to measure the queue with');
    process.stderr.write(`the queue alone: ${values.noop} cards read instantly ...\n`);
    const cost = await queueCost(redis.url, Number(values.noop), sample);

    const best = runs.reduce((a, b) => (b.cardsPerMin > a.cardsPerMin ? b : a));
    const redisCardsPerMin = 60_000 / cost.redisCpuMsPerCard;
    const lines: string[] = [];
    lines.push('| worker processes (-j 1 each) | cards | seconds | cards/min | wall with start-up, s |', '|---|---|---|---|---|');
    for (const r of runs) lines.push(`| ${r.workers} | ${r.cards} | ${r.seconds.toFixed(1)} | ${r.cardsPerMin.toFixed(1)} | ${r.wallSeconds.toFixed(1)} |`);
    lines.push('');
    lines.push(`queue cost per card (${cost.cards} cards, reading instant): worker ${cost.workerMsPerCard.toFixed(2)} ms, add ${cost.addMsPerCard.toFixed(2)} ms, Redis CPU ${cost.redisCpuMsPerCard.toFixed(3)} ms, Redis memory ${(cost.redisBytesPerCard / 1024).toFixed(1)} KB`);
    lines.push(`through the queue alone, 16 at once in one process on this machine: ${Math.round(cost.parallelCardsPerMin).toLocaleString('en')} cards/min (clients and Redis sharing its cores)`);
    lines.push(`one Redis: at most ${Math.round(redisCardsPerMin).toLocaleString('en')} cards/min (1 core); this machine: ${best.cardsPerMin.toFixed(1)} cards/min (${best.workers} worker processes)`);
    lines.push(`results of 1,000,000 cards in Redis until exported: ${((cost.redisBytesPerCard * MILLION) / 1024 ** 3).toFixed(1)} GB`);
    lines.push('');
    lines.push('| machines like this one | cards/min | 1,000,000 cards |', '|---|---|---|');
    for (const k of [1, 10, 50, 100, 500, 1000]) {
      const rate = Math.min(k * best.cardsPerMin, redisCardsPerMin);
      lines.push(`| ${k} | ${Math.round(rate).toLocaleString('en')}${rate === redisCardsPerMin ? ' (Redis-bound)' : ''} | ${formatHours(MILLION / rate / 60)} |`);
    }
    lines.push(`Redis becomes the limit past ${Math.floor(redisCardsPerMin / best.cardsPerMin).toLocaleString('en')} machines.`);
    process.stdout.write(lines.join('\n') + '\n');
    mkdirSync(BENCH, { recursive: true });
    writeFileSync(path.join(BENCH, 'queue-bench.json'), JSON.stringify({ runs, cost, redisCardsPerMin, best: best.workers }, null, 2) + '\n');
  } finally {
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
