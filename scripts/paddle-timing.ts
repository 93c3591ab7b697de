/**
 * Timings of the paddle engine on this machine: per stage (decode, detection at the chosen
 * size, crops, angle classifier, recognition per line), per side, and the throughput of
 * concurrent recognitions with each threading setup, to choose the engine's defaults.
 *
 *   npm run paddle-timing                         the bundled samples (4 fronts, 4 backs)
 *   npm run paddle-timing -- --repeat 5 --det 960 --setups 2x1,1x2,2x2   (threads x concurrent reads)
 *   npm run paddle-timing -- --images a.jpg,b.jpg
 *
 * Images are decoded once to the reader's working size (2000 px long edge, grey PNG), as the
 * reader hands them to an engine. On a shared machine, figures vary with the other load:
 * the 1-minute load average is printed beside them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { PaddleEngine, type PaddleStage } from '../src/engines/paddle.ts';

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    det: { type: 'string', default: '960' },
    setups: { type: 'string', default: '2x1,1x1,1x2,2x2' },
    spin: { type: 'string', default: 'off' },
    rounds: { type: 'string', default: '2' },
    batch: { type: 'string', default: '1' },
    'min-width': { type: 'string', default: '0' },
  },
});

const STAGES: readonly PaddleStage[] = ['decode', 'detect', 'crop', 'classify', 'recognise', 'assemble'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function inputs(): Promise<{ name: string; side: string; png: Buffer }[]> {
  const files = values.images
    ? values.images.split(',')
    : readdirSync('samples')
        .filter((f) => /_(front|back)\.jpg$/.test(f))
        .sort()
        .map((f) => path.join('samples', f));
  return Promise.all(
    files.map(async (f) => {
      const img = sharp(readFileSync(f)).rotate().greyscale();
      const meta = await img.metadata();
      const long = Math.max(meta.width ?? 0, meta.height ?? 0);
      const png = await img.resize({ width: Math.round(((meta.width ?? 0) * 2000) / long) }).png({ compressionLevel: 1 }).toBuffer();
      return { name: path.basename(f), side: /back/.test(f) ? 'back' : 'front', png };
    }),
  );
}

/** Stage timings per side, one thread setup, sequential recognitions. */
async function stages(images: Awaited<ReturnType<typeof inputs>>, threads: number, det: number): Promise<string[]> {
  let current: Record<string, number> = {};
  let counts: Record<string, number> = {};
  let cpus: Record<string, number> = {};
  const engine = await PaddleEngine.create({ threads, detLimitSideLen: det, spin: values.spin === 'on', batchSize: Number(values.batch), recMinWidth: Number(values['min-width']), onStage: (s, ms, n, cpu) => ((current[s] = ms), (counts[s] = n), (cpus[s] = cpu)) });
  const bySide = new Map<string, { stage: Record<string, number[]>; stageCpu: Record<string, number[]>; total: number[]; cpu: number[]; perLine: number[]; lines: number[] }>();
  try {
    for (const img of images) {
      for (let r = 0; r <= Number(values.repeat); r++) {
        current = {};
        counts = {};
        cpus = {};
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        await engine.recognize(img.png, { layout: 'auto' });
        const total = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        if (r === 0) continue; // warm-up
        const s = bySide.get(img.side) ?? { stage: {}, stageCpu: {}, total: [], cpu: [], perLine: [], lines: [] };
        bySide.set(img.side, s);
        for (const k of STAGES) (s.stage[k] ??= []).push(current[k] ?? 0);
        for (const k of STAGES) (s.stageCpu[k] ??= []).push(cpus[k] ?? 0);
        s.total.push(total);
        s.cpu.push((cpu.user + cpu.system) / 1000);
        s.lines.push(counts.recognise ?? 0);
        s.perLine.push((current.recognise ?? 0) / Math.max(1, counts.recognise ?? 0));
      }
    }
  } finally {
    await engine.close();
  }
  const out = [`stages, ${threads} thread(s), detector long side ≤ ${det} px (median over ${values.repeat} runs per image after a warm-up; wall ms / CPU ms of all threads):`];
  out.push(`side    ${STAGES.map((k) => k.padStart(11)).join(' ')}  rec/line  lines        total`);
  const both = (wall: number[], cpu: number[]): string => `${median(wall).toFixed(0)}/${median(cpu).toFixed(0)}`;
  for (const [side, s] of bySide) {
    out.push(
      `${side.padEnd(6)}  ${STAGES.map((k) => both(s.stage[k]!, s.stageCpu[k]!).padStart(11)).join(' ')}  ${median(s.perLine).toFixed(1).padStart(8)}  ${median(s.lines).toFixed(0).padStart(5)}  ${both(s.total, s.cpu).padStart(11)}`,
    );
  }
  return out;
}

/** Pages per minute with `concurrent` recognitions in flight on one engine of `threads` threads. */
async function throughput(images: Awaited<ReturnType<typeof inputs>>, threads: number, concurrent: number, det: number): Promise<string> {
  const engine = await PaddleEngine.create({ threads, detLimitSideLen: det, spin: values.spin === 'on', batchSize: Number(values.batch), recMinWidth: Number(values['min-width']) });
  try {
    await engine.recognize(images[0]!.png, { layout: 'auto' });
    const limit = pLimit(concurrent);
    const work = Array.from({ length: Number(values.rounds) }, () => images).flat();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(work.map((img) => limit(() => engine.recognize(img.png, { layout: 'auto' }))));
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cores = (cpu.user + cpu.system) / 1e6 / s;
    return `threads ${threads} × ${concurrent} concurrent: ${((work.length * 60) / s).toFixed(1).padStart(6)} pages/min, ${((s * 1000) / work.length).toFixed(0)} ms/page, ${cores.toFixed(2)} cores busy (load ${os.loadavg()[0]!.toFixed(1)})`;
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const images = await inputs();
  const det = Number(values.det);
  const out: string[] = [`paddle timing — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}, ${images.length} images, spin ${values.spin}, batch ${values.batch}, rec min width ${values['min-width']}`];
  for (const t of [1, 2]) out.push('', ...(await stages(images, t, det)));
  out.push('', `throughput (${values.rounds} rounds of the ${images.length} images):`);
  for (const setup of values.setups.split(',')) {
    const [t, c] = setup.split('x').map(Number) as [number, number];
    out.push(await throughput(images, t, c, det));
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`paddle-timing failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
