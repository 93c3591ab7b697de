/**
 * Builds a folder of generated card pairs named the ways people name them (six conventions,
 * camera-style consecutive names included) plus `expected.json` (id → truth id), to check
 * pairing and batch end to end on real files:
 *
 *   node dist/scripts/mixed-folder.js --from .eval/corpus-s7-n60,.eval/corpus-s101-n60 --count 100 --out /tmp/mixed
 *   node bin/ine-ocr.js batch /tmp/mixed -o /tmp/mixed.csv
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { from: { type: 'string' }, count: { type: 'string', default: '100' }, out: { type: 'string' } } });
if (!values.from || !values.out) throw new Error('usage: --from DIR[,DIR] --count N --out DIR');
const cards: { dir: string; id: string; front: string; back: string }[] = [];
for (const dir of values.from.split(',')) {
  const files = readdirSync(dir);
  for (const f of files.filter((n) => n.endsWith('.truth.json')).sort()) {
    const id = f.replace('.truth.json', '');
    const side = (s: string): string => files.find((n) => n.startsWith(`${id}_${s}.`))!;
    cards.push({ dir, id, front: side('front'), back: side('back') });
  }
}
const n = Math.min(Number(values.count), cards.length);
mkdirSync(values.out, { recursive: true });
const ext = (f: string): string => path.extname(f);
const names: ((i: number, e1: string, e2: string) => [string, string])[] = [
  (i, a, b) => [`cliente${i}_front${a}`, `cliente${i}_back${b}`],
  (i, a, b) => [`INE-${i}-anverso${a.toUpperCase()}`, `INE-${i}-reverso${b.toUpperCase()}`],
  (i, a, b) => [`Persona ${i} frente${a}`, `Persona ${i} reverso${b}`],
  (i, a, b) => [`doc${i}_a${a}`, `doc${i}_b${b}`],
  (i, a, b) => [`scan${i}_1${a}`, `scan${i}_2${b}`],
  // Camera names, back first half of the time: the side is told from the MRZ.
  (i, a, b) => (i % 2 === 0 ? [`IMG_${5000 + 2 * i}${a}`, `IMG_${5001 + 2 * i}${b}`] : [`IMG_${5001 + 2 * i}${a}`, `IMG_${5000 + 2 * i}${b}`]),
];
const expected: Record<string, { front: string; back: string; truth: string }> = {};
for (let i = 0; i < n; i++) {
  const c = cards[i]!;
  const [f, b] = names[i % names.length]!(i, ext(c.front), ext(c.back));
  copyFileSync(path.join(c.dir, c.front), path.join(values.out, f));
  copyFileSync(path.join(c.dir, c.back), path.join(values.out, b));
  expected[`${i}`] = { front: f, back: b, truth: path.join(c.dir, `${c.id}.truth.json`) };
}
writeFileSync(path.join(values.out, 'expected.json'), JSON.stringify(expected, null, 1));
process.stdout.write(`${n} pairs written to ${values.out}\n`);
