/**
 * Writes a corpus of synthetic INE cards with their truth files.
 *
 *   npm run gen -- --seed 42 --count 40 --out .eval/corpus [--conditions scan,photo] [--jpeg]
 *   npm run gen -- --conditions hard    every hard capture (shadow, small, perspective, …)
 *   npm run gen -- --samples            regenerate samples/ (fixed seed and plan)
 */
import { ALL_CONDITIONS, CONDITION_GROUPS, expandConditions, type Condition } from '../src/synth/capture.ts';
import { generateCorpus, SAMPLE_PLAN, SAMPLE_SEED, type CorpusEntry } from '../src/synth/corpus.ts';
import { scriptArgs, usageError } from './args.ts';

const KNOWN = [...Object.keys(CONDITION_GROUPS), ...ALL_CONDITIONS].join(',');
const USAGE = `usage: gen-corpus [--seed N] [--count N] [--out DIR] [--conditions ${KNOWN}] [--jpeg]
       gen-corpus --samples [--out samples]`;

async function main(): Promise<number> {
  const values = scriptArgs(USAGE, {
    seed: { type: 'string', default: '42' },
    count: { type: 'string', default: '40' },
    out: { type: 'string' },
    conditions: { type: 'string' },
    jpeg: { type: 'boolean', default: false },
    samples: { type: 'boolean', default: false },
  });
  const seed = Number(values.seed);
  const count = Number(values.count);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
    usageError(USAGE, '--seed and --count must be integers (count ≥ 1)');
  }
  let conditions: Condition[] | undefined;
  if (values.conditions) {
    const { conditions: list, unknown } = expandConditions(values.conditions);
    if (unknown.length > 0 || list.length === 0) {
      usageError(USAGE, `--conditions: unknown condition(s): ${unknown.join(', ')}; known: ${KNOWN}`);
    }
    conditions = list;
  }

  const report = (e: CorpusEntry): void => {
    process.stdout.write(`${e.id}  ${e.model}  ${e.condition.padEnd(13)}  ${e.front}  ${e.back}\n`);
  };
  let entries: CorpusEntry[];
  let outDir: string;
  if (values.samples) {
    outDir = values.out ?? 'samples';
    entries = await generateCorpus({
      seed: SAMPLE_SEED, count: SAMPLE_PLAN.length, outDir, plan: SAMPLE_PLAN, idDigits: 2, forceJpeg: true, vary: false, onCard: report,
    });
  } else {
    outDir = values.out ?? '.eval/corpus';
    entries = await generateCorpus({
      seed, count, outDir, ...(conditions ? { conditions } : {}), forceJpeg: values.jpeg, onCard: report,
    });
  }
  process.stdout.write(`wrote ${entries.length} cards (${entries.length * 3} files) to ${outDir}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gen-corpus: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
