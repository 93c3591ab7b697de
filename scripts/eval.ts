/**
 * Accuracy evaluation: runs the real pipeline over a corpus of synthetic cards (generated
 * from a seed, or an existing folder of `<id>_front.*`, `<id>_back.*`, `<id>.truth.json`) and
 * prints exact-match accuracy per field and per capture condition, the MRZ-derived subset,
 * and how often a field marked valid is wrong.
 *
 *   npm run eval -- --seed 7 --count 60          generate (cached under .eval/) and evaluate
 *   npm run eval -- --corpus DIR                 evaluate an existing folder
 *   npm run eval -- --trust [--seed N] [--per-case 3] [--controls 20]
 *                                                the trust report (scripts/trust-eval.ts): pairs that
 *                                                must never be a clean ok, and genuine controls
 *   options: -j N (cards in parallel), --json FILE (full report), --engine local|paddle|tesseract,
 *            --conditions scan,photo
 *            (`hard`: every hard capture — shadow, small, perspective, sheen, worn, finger, jpeg,
 *            moire, motion, sideways-exif, sideways; `regular`: the default cycle; also glare,blur:
 *            captures to send back, which exercise the quality verdict)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { DEFAULT_ENGINE } from '../src/cli/shared.ts';
import { CardReader, type ReadTrace } from '../src/pipeline/reader.ts';
import { FIELD_NAMES, type CardFields, type CardRecord, type FieldName } from '../src/record.ts';
import { DEFAULT_MAX_BYTES } from '../src/pipeline/image.ts';
import { ALL_CONDITIONS, CONDITION_GROUPS, expandConditions } from '../src/synth/capture.ts';
import { scriptArgs, usageError } from './args.ts';

interface Truth {
  id: string;
  condition: string;
  model: string;
  fields: CardFields;
  /** Fields the capture hides outright (a finger over, or a glare washing out, every recorded print; src/synth/hidden.ts). */
  hidden?: FieldName[];
}

/** Fields read from the MRZ alone. */
const MRZ_FIELDS: readonly FieldName[] = ['mz1', 'mz2', 'mz3', 'idMex', 'idNumber', 'citizenId'];

/** Truth model letter → the group the reader reports. */
function modelGroup(m: string): string {
  if (m === 'E' || m === 'F') return 'E/F';
  if (m === 'G' || m === 'H') return 'G/H';
  return m;
}

function normTruth(field: FieldName, v: string): string {
  return field === 'cardModel' ? modelGroup(v) : v;
}

function findImage(dir: string, id: string, side: 'front' | 'back'): string {
  const f = readdirSync(dir).find((n) => n.startsWith(`${id}_${side}.`));
  if (!f) throw new Error(`no ${side} image for ${id} in ${dir}`);
  return path.join(dir, f);
}

interface Tally {
  total: number;
  exact: number;
}
const tally = (): Tally => ({ total: 0, exact: 0 });
const pct = (t: Tally): string => (t.total === 0 ? '   -  ' : `${((100 * t.exact) / t.total).toFixed(1).padStart(5)}%`);

const USAGE = `usage: npm run eval -- [--seed N] [--count N] [--conditions LIST] [--engine local|paddle|tesseract] [-j N] [--json FILE] [-v]
       npm run eval -- --corpus DIR [...]
       npm run eval -- --trust [--seed N] [--per-case N] [--controls N]

  --seed N           corpus seed (default 7); the corpus is generated once under .eval/
  --count N          card pairs (default 60)
  --conditions LIST  comma-separated captures: regular (the default cycle), hard (every hard
                     capture), or any of ${ALL_CONDITIONS.join(', ')}
  --corpus DIR       an existing folder of <id>_front.*, <id>_back.*, <id>.truth.json
  --engine NAME      the engine to evaluate (default ${DEFAULT_ENGINE})
  -j N               cards read at once (default: the machine's cores)
  --json FILE        the full report (per field, per condition, every mismatch) as JSON
  -v, --verbose      print every mismatch
  --trust            the trust report: pairs that must never be a clean ok, and genuine controls
  -h, --help         this help`;

async function main(): Promise<void> {
  const values = scriptArgs(USAGE, {
    seed: { type: 'string', default: '7' },
    count: { type: 'string', default: '60' },
    corpus: { type: 'string' },
    conditions: { type: 'string' },
    j: { type: 'string', short: 'j' },
    json: { type: 'string' },
    verbose: { type: 'boolean', short: 'v', default: false },
    engine: { type: 'string', default: DEFAULT_ENGINE },
    trust: { type: 'boolean', default: false },
    'per-case': { type: 'string', default: '3' },
    controls: { type: 'string', default: '20' },
  });
  const engine = values.engine;
  if (engine !== 'tesseract' && engine !== 'paddle' && engine !== 'local') usageError(USAGE, `--engine: local, paddle or tesseract, not ${engine}`);
  if (values.trust) {
    const { runTrust } = await import('./trust-eval.ts');
    const jobs = Number(values.j ?? Math.max(1, os.availableParallelism()));
    const lines = await runTrust({
      seed: Number(values.seed), perCase: Number(values['per-case']), controls: Number(values.controls), jobs, engine, ...(values.json ? { json: values.json } : {}),
    });
    process.stdout.write(lines.join('\n') + '\n');
    return;
  }
  const seed = Number(values.seed);
  const count = Number(values.count);
  let dir = values.corpus;
  if (!dir) {
    dir = path.join('.eval', `corpus-s${seed}-n${count}${values.conditions ? '-' + values.conditions.replace(/,/g, '+') : ''}`);
    if (!existsSync(path.join(dir, 'DONE'))) {
      const { generateCorpus } = await import('../src/synth/corpus.ts');
      const expanded = values.conditions ? expandConditions(values.conditions) : undefined;
      if (expanded && (expanded.unknown.length > 0 || expanded.conditions.length === 0)) {
        const known = [...Object.keys(CONDITION_GROUPS), ...ALL_CONDITIONS].join(', ');
        usageError(USAGE, `--conditions: unknown condition(s): ${expanded.unknown.join(', ')}; known: ${known}`);
      }
      mkdirSync(dir, { recursive: true });
      process.stderr.write(`generating ${count} synthetic cards (seed ${seed}) into ${dir} ...\n`);
      await generateCorpus({ seed, count, outDir: dir, ...(expanded ? { conditions: expanded.conditions } : {}) });
      writeFileSync(path.join(dir, 'DONE'), new Date().toISOString());
    }
  }
  const truths: Truth[] = readdirSync(dir)
    .filter((n) => n.endsWith('.truth.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as Truth);
  if (truths.length === 0) throw new Error(`no *.truth.json in ${dir}`);

  const jobs = Number(values.j ?? Math.max(1, os.availableParallelism()));
  const reader = await CardReader.create({ engine, workers: jobs, maxBytes: DEFAULT_MAX_BYTES });
  const limit = pLimit(jobs);
  const started = Date.now();
  const cardSeconds: number[] = [];
  let done = 0;
  const results = await Promise.all(
    truths.map((t) =>
      limit(async () => {
        const trace: ReadTrace = {};
        const t0 = Date.now();
        const rec = await reader.read({ id: t.id, front: findImage(dir, t.id, 'front'), back: findImage(dir, t.id, 'back') }, trace);
        cardSeconds.push((Date.now() - t0) / 1000);
        done++;
        if (process.stderr.isTTY) process.stderr.write(`\r${done}/${truths.length}`);
        return { truth: t, rec, trace };
      }),
    ),
  );
  const wall = (Date.now() - started) / 1000;
  await reader.close();
  if (process.stderr.isTTY) process.stderr.write('\n');

  const conditions = [...new Set(truths.map((t) => t.condition))].sort();
  /** `right`: cards read with every field exact. */
  /** `flagged`: cards read ok whose record-level review is not empty (issue 13: genuine cards, ≤ 2%). */
  /** `visible`, `mrzVisible`: as `all` and `mrz` without the fields the capture hid (`hidden` of them). */
  type CondTally = { all: Tally; mrz: Tally; visible: Tally; mrzVisible: Tally; hidden: number; valid: Tally; cards: number; ok: number; right: number; flagged: number };
  const newCond = (): CondTally => ({ all: tally(), mrz: tally(), visible: tally(), mrzVisible: tally(), hidden: 0, valid: tally(), cards: 0, ok: 0, right: 0, flagged: 0 });
  const byCond = new Map<string, CondTally>();
  const byField = new Map<FieldName, Map<string, Tally>>();
  const overall = newCond();
  /** Review reason codes of the flagged cards, per condition. */
  const reasons = new Map<string, Map<string, number>>();
  let spurious = 0;
  const mismatches: { id: string; condition: string; field: string; truth: string; got: string; verdict: string; hidden?: true }[] = [];

  for (const { truth, rec } of results) {
    const c = byCond.get(truth.condition) ?? newCond();
    byCond.set(truth.condition, c);
    c.cards++;
    overall.cards++;
    if (rec.status === 'ok') {
      c.ok++;
      overall.ok++;
      if (rec.review.length > 0) {
        c.flagged++;
        overall.flagged++;
        const why = reasons.get(truth.condition) ?? new Map<string, number>();
        reasons.set(truth.condition, why);
        for (const r of rec.review) why.set(r.code, (why.get(r.code) ?? 0) + 1);
      }
    }
    let right = rec.status === 'ok';
    for (const f of FIELD_NAMES) {
      const want = normTruth(f, truth.fields[f] ?? '');
      const got = (rec as CardRecord)[f] ?? '';
      if (want === '') {
        if (got !== '') spurious++;
        continue;
      }
      const hit = got === want;
      const fm = byField.get(f) ?? new Map<string, Tally>();
      byField.set(f, fm);
      const ft = fm.get(truth.condition) ?? tally();
      fm.set(truth.condition, ft);
      const count = (ts: Tally[]): void => {
        for (const t of ts) {
          t.total++;
          if (hit) t.exact++;
        }
      };
      count([c.all, overall.all, ft]);
      const hidden = truth.hidden?.includes(f) === true;
      if (hidden) {
        c.hidden++;
        overall.hidden++;
      } else count([c.visible, overall.visible]);
      if (MRZ_FIELDS.includes(f)) {
        count([c.mrz, overall.mrz]);
        if (!hidden) count([c.mrzVisible, overall.mrzVisible]);
      }
      const verdict = rec.checks[f]?.verdict ?? '';
      if (verdict === 'valid') {
        for (const t of [c.valid, overall.valid]) {
          t.total++;
          if (!hit) t.exact++; // counts wrong-but-valid
        }
      }
      if (!hit) mismatches.push({ id: truth.id, condition: truth.condition, field: f, truth: want, got, verdict, ...(hidden ? { hidden: true as const } : {}) });
      if (!hit) right = false;
    }
    if (right) {
      c.right++;
      overall.right++;
    }
  }

  const secs = [...cardSeconds].sort((a, b) => a - b);
  const q = (p: number): number => secs[Math.min(secs.length - 1, Math.floor(p * secs.length))] ?? 0;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  const out: string[] = [];
  out.push(`ine-ocr eval — corpus ${dir} (${truths.length} cards), ${jobs} parallel, engine ${engine}`);
  out.push('');
  const cw = Math.max(10, ...conditions.map((c) => c.length));
  out.push(`${'condition'.padEnd(cw)}  cards  ok   fields exact  MRZ exact  cards all right  flagged  valid-but-wrong`);
  for (const cond of conditions) {
    const c = byCond.get(cond)!;
    out.push(
      `${cond.padEnd(cw)} ${String(c.cards).padStart(5)} ${String(c.ok).padStart(3)}   ${pct(c.all).padStart(11)}  ${pct(c.mrz).padStart(9)}  ${pct({ total: c.cards, exact: c.right }).padStart(15)}  ${pct({ total: c.ok, exact: c.flagged }).padStart(7)}  ${pct(c.valid).padStart(8)} of ${c.valid.total}`,
    );
  }
  out.push(
    `${'ALL'.padEnd(cw)} ${String(overall.cards).padStart(5)} ${String(overall.ok).padStart(3)}   ${pct(overall.all).padStart(11)}  ${pct(overall.mrz).padStart(9)}  ${pct({ total: overall.cards, exact: overall.right }).padStart(15)}  ${pct({ total: overall.ok, exact: overall.flagged }).padStart(7)}  ${pct(overall.valid).padStart(8)} of ${overall.valid.total}`,
  );
  const hiding = conditions.filter((cond) => byCond.get(cond)!.hidden > 0);
  if (hiding.length > 0) {
    out.push('');
    out.push('fields the capture hid (a finger over, or a glare washing out, every recorded print), and the figures without them');
    for (const cond of hiding) {
      const c = byCond.get(cond)!;
      out.push(`${cond.padEnd(cw)} ${String(c.hidden).padStart(4)} hidden   fields exact where visible ${pct(c.visible)}   MRZ exact where visible ${pct(c.mrzVisible)}`);
    }
  }
  out.push('');
  const fw = Math.max(8, ...conditions.map((c) => c.length));
  out.push(`per field (exact %)   ${conditions.map((c) => c.padStart(fw)).join(' ')}`);
  for (const f of FIELD_NAMES) {
    const fm = byField.get(f);
    if (!fm) continue;
    out.push(`${f.padEnd(20)}  ${conditions.map((c) => (fm.get(c) ? pct(fm.get(c)!) : '   -  ').padStart(fw)).join(' ')}`);
  }
  out.push('');
  out.push('review: why cards read ok were flagged (reason codes, per condition)');
  for (const cond of conditions) {
    const why = reasons.get(cond);
    out.push(`${cond.padEnd(cw)} ${why ? [...why].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(' ') : '-'}`);
  }
  out.push('');
  out.push('capture quality (sides reported poor, and why)');
  for (const cond of conditions) {
    const recs = results.filter((r) => r.truth.condition === cond).map((r) => r.rec);
    const sides = recs.flatMap((r) => [r.frontQuality, r.backQuality]).filter((q) => q !== '');
    const poor = sides.filter((q) => q.startsWith('poor'));
    const why = new Map<string, number>();
    for (const q of poor) for (const p of q.slice(6, q.indexOf(';')).split(', ')) why.set(p, (why.get(p) ?? 0) + 1);
    const outline = sides.filter((q) => q.endsWith('outline found')).length;
    out.push(`${cond.padEnd(cw)} ${String(poor.length).padStart(3)} of ${sides.length} poor${why.size ? ` (${[...why].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}; card outline found on ${outline}`);
  }
  out.push('');
  out.push(`values where the truth is empty: ${spurious}`);
  out.push(
    `time: ${wall.toFixed(1)} s wall, ${(wall / truths.length).toFixed(2)} s/card wall; per card latency p50 ${q(0.5).toFixed(2)} s, p95 ${q(0.95).toFixed(2)} s; peak RSS ${rssMb.toFixed(0)} MB`,
  );
  const errors = results.filter((r) => r.rec.status !== 'ok');
  if (errors.length > 0) {
    out.push(`failed cards: ${errors.map((r) => `${r.truth.id}(${r.truth.condition}) ${r.rec.errorCode}`).join(', ')}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  if (values.verbose) {
    for (const m of mismatches) process.stdout.write(`  ${m.id} ${m.condition} ${m.field} [${m.verdict}] want=${m.truth} got=${m.got}\n`);
  }
  if (values.json) {
    writeFileSync(
      values.json,
      JSON.stringify({ corpus: dir, cards: truths.length, wall, secs, rssMb, overall, byCond: Object.fromEntries(byCond), mismatches, traces: results.map((r) => ({ id: r.truth.id, trace: r.trace, warnings: r.rec.warnings, review: r.rec.review })) }, null, 2),
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
