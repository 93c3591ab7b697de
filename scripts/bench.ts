/**
 * Speed and memory of the real batch pipeline (the CLI's default engine, or --engine local,
 * paddle or tesseract; offline) on generated cards.
 * Each phase runs in its own process, so peak RSS belongs to that phase alone.
 *
 *   npm run bench                      all phases (memory run: 1,000 cards, several minutes)
 *   npm run bench -- --memory-cards 300 --cards 16     a shorter run
 *   npm run bench -- --engine tesseract                 the same with tesseract.js alone
 *
 * Phases: scans at -j 1 and -j <cores> (cards/min, s/card p50/p95, peak RSS); photos at
 * -j <cores>; memory: -j <cores> over --memory-cards cards (a manifest repeating the corpus),
 * RSS after 200 and after the last card. If the native `tesseract` CLI is on PATH (not needed
 * by the product), the same images are also read by it, one full-page pass per side.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { DEFAULT_MAX_BYTES } from '../src/pipeline/image.ts';
import { runBatch } from '../src/pipeline/batch.ts';
import { DEFAULT_ENGINE } from '../src/cli/shared.ts';
import { scriptArgs, usageError } from './args.ts';

interface PhaseResult {
  phase: string;
  jobs: number;
  cards: number;
  seconds: number;
  cardsPerMin: number;
  p50: number;
  p95: number;
  peakRssMb: number;
  rssAt?: Record<string, number>;
  failed: number;
}

const USAGE = `usage: npm run bench -- [--engine local|paddle|tesseract] [--cards N] [--memory-cards N] [--seed N]

  --engine NAME       the engine to measure (default ${DEFAULT_ENGINE})
  --cards N           generated cards per speed phase (default 20; scans and photos, cached under .bench/)
  --memory-cards N    cards in the memory phase, the corpus repeated (default 1000)
  --seed N            corpus seed (default 11; photos use seed + 1)
  -h, --help          this help

Phases (each in its own process): scans at -j 1 and -j <cores>, photos at -j <cores>, memory at
-j <cores>. Prints cards/min, s/card p50/p95 and peak RSS; if the native tesseract CLI is on PATH
(apt-get install tesseract-ocr tesseract-ocr-spa), its one-pass reading of the same images too.`;

const values = scriptArgs(USAGE, {
  seed: { type: 'string', default: '11' },
  cards: { type: 'string', default: '20' },
  'memory-cards': { type: 'string', default: '1000' },
  // Internal: one phase in a child process.
  phase: { type: 'string' },
  manifest: { type: 'string' },
  jobs: { type: 'string' },
  engine: { type: 'string', default: DEFAULT_ENGINE },
});
const ENGINE = values.engine === 'paddle' || values.engine === 'local' ? values.engine : 'tesseract';
if (values.engine !== ENGINE) usageError(USAGE, `--engine: local, paddle or tesseract, not ${values.engine}`);
const CORES = Math.max(1, os.availableParallelism());
const BENCH = '.bench';

async function corpus(seed: number, count: number, condition: 'scan' | 'photo'): Promise<string> {
  const dir = path.join(BENCH, `${condition}-s${seed}-n${count}`);
  if (!existsSync(path.join(dir, 'DONE'))) {
    const { generateCorpus } = await import('../src/synth/corpus.ts');
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating ${count} ${condition} cards (seed ${seed}) ...\n`);
    await generateCorpus({ seed, count, outDir: dir, conditions: [condition] });
    writeFileSync(path.join(dir, 'DONE'), '');
  }
  return dir;
}

/** A JSONL manifest naming the corpus's pairs, repeated until `n` cards (ids kept unique). */
function manifest(dir: string, n: number): string {
  const ids = readdirSync(dir).filter((f) => f.endsWith('.truth.json')).map((f) => f.replace('.truth.json', '')).sort();
  const file = (id: string, side: string): string => path.resolve(dir, readdirSync(dir).find((f) => f.startsWith(`${id}_${side}.`))!);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = ids[i % ids.length]!;
    lines.push(JSON.stringify({ id: `${id}#${i}`, front: file(id, 'front'), back: file(id, 'back') }));
  }
  const out = path.join(dir, `manifest-${n}.jsonl`);
  writeFileSync(out, lines.join('\n') + '\n');
  return out;
}

/** Child mode: one batch run, measured, printed as JSON. */
async function runPhase(phase: string, manifestFile: string, jobs: number): Promise<void> {
  const latencies: number[] = [];
  const rssAt: Record<string, number> = {};
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  const t0 = Date.now();
  const summary = await runBatch(
    { input: manifestFile, recursive: false, output: path.join(os.tmpdir(), `ine-ocr-bench-${process.pid}.jsonl`), format: 'jsonl', bom: false, jobs, resume: false, maxBytes: DEFAULT_MAX_BYTES, recycleAfter: 200, engine: ENGINE },
    {
      onRow: (_r, p, ms) => {
        latencies.push(ms / 1000);
        if (p.done === 200 || p.done === p.total) rssAt[String(p.done)] = Math.round(process.memoryUsage().rss / 1048576);
      },
    },
  );
  clearInterval(sample);
  const seconds = (Date.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const result: PhaseResult = {
    phase,
    jobs,
    cards: summary.done,
    seconds,
    cardsPerMin: (summary.done * 60) / seconds,
    p50: q(0.5),
    p95: q(0.95),
    peakRssMb: Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1048576),
    rssAt,
    failed: summary.failed,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function child(phase: string, manifestFile: string, jobs: number): Promise<PhaseResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [process.argv[1]!, '--phase', phase, '--manifest', manifestFile, '--jobs', String(jobs), '--engine', ENGINE], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as PhaseResult;
}

/** The native tesseract CLI reading the same images: one full-page pass per side. */
async function native(dir: string, jobs: number): Promise<{ cards: number; seconds: number; cardsPerMin: number } | null> {
  const has = await new Promise<boolean>((resolve) => {
    const p = spawn('tesseract', ['--version'], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('exit', (c) => resolve(c === 0));
  });
  if (!has) return null;
  const ids = readdirSync(dir).filter((f) => f.endsWith('.truth.json')).map((f) => f.replace('.truth.json', ''));
  const images = ids.flatMap((id) => readdirSync(dir).filter((f) => f.startsWith(`${id}_`) && !f.endsWith('.json')).map((f) => path.join(dir, f)));
  const limit = pLimit(jobs);
  const t0 = Date.now();
  await Promise.all(images.map((img) => limit(() => promisify(execFile)('tesseract', [img, 'stdout', '-l', 'spa', '--psm', '3'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } }))));
  const seconds = (Date.now() - t0) / 1000;
  return { cards: ids.length, seconds, cardsPerMin: (ids.length * 60) / seconds };
}

async function main(): Promise<void> {
  if (values.phase) return runPhase(values.phase, values.manifest!, Number(values.jobs));
  const seed = Number(values.seed);
  const n = Number(values.cards);
  const memCards = Number(values['memory-cards']);
  const scans = await corpus(seed, n, 'scan');
  const photos = await corpus(seed + 1, n, 'photo');
  const results: PhaseResult[] = [];
  for (const [phase, dir, jobs] of [
    ['scans', scans, 1],
    ['scans', scans, CORES],
    ['photos', photos, 1],
    ['photos', photos, CORES],
  ] as const) {
    process.stderr.write(`bench: ${phase} -j ${jobs} ...\n`);
    results.push(await child(phase, manifest(dir, n), jobs));
  }
  process.stderr.write(`bench: memory, ${memCards} cards -j ${CORES} ...\n`);
  const mem = await child('memory', manifest(scans, memCards), CORES);
  results.push(mem);

  const out: string[] = [];
  const engineName = {
    local: 'local (PP-OCRv4 on onnxruntime-node, tesseract.js beside it)',
    paddle: 'paddle (PP-OCRv4, onnxruntime-node)',
    tesseract: 'tesseract.js (spa, best_int)',
  }[ENGINE];
  out.push(`ine-ocr bench — ${os.cpus()[0]?.model ?? 'cpu'} × ${CORES}, node ${process.version}, ${engineName}`);
  out.push('');
  out.push('phase     -j  cards  seconds  cards/min  s/card p50  s/card p95  peak RSS MB  failed');
  for (const r of results) {
    out.push(
      `${r.phase.padEnd(8)} ${String(r.jobs).padStart(3)} ${String(r.cards).padStart(6)} ${r.seconds.toFixed(1).padStart(8)} ${r.cardsPerMin.toFixed(1).padStart(10)} ${r.p50.toFixed(2).padStart(11)} ${r.p95.toFixed(2).padStart(11)} ${String(r.peakRssMb).padStart(12)} ${String(r.failed).padStart(7)}`,
    );
  }
  const s1 = results.find((r) => r.phase === 'scans' && r.jobs === 1)!;
  const sN = results.find((r) => r.phase === 'scans' && r.jobs === CORES)!;
  out.push('');
  out.push(`speed-up -j ${CORES} vs -j 1 (scans): ${(sN.cardsPerMin / s1.cardsPerMin).toFixed(2)}×`);
  const r200 = mem.rssAt?.['200'];
  const rEnd = mem.rssAt?.[String(mem.cards)];
  if (r200 && rEnd) out.push(`memory: RSS after 200 cards ${r200} MB, after ${mem.cards} cards ${rEnd} MB (${(((rEnd - r200) / r200) * 100).toFixed(1)}%)`);
  for (const [label, dir] of [
    ['scans', scans],
    ['photos', photos],
  ] as const) {
    const nat = await native(dir, CORES);
    if (nat) out.push(`native tesseract CLI (${label}, one --psm 3 pass per side, ${CORES} at once): ${nat.cardsPerMin.toFixed(1)} cards/min (${nat.seconds.toFixed(1)} s for ${nat.cards} cards)`);
    else if (label === 'scans') out.push('native tesseract CLI: not installed (apt-get install tesseract-ocr tesseract-ocr-spa to compare)');
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
