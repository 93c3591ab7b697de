/**
 * Pairing a folder's images into cards from their names alone (pure function over name lists),
 * and listing the folder.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairFiles, type PairPlan } from '../src/io/pairing.ts';
import { listImages } from '../src/io/scan.ts';
import { tmpDir } from './helpers.ts';

/** Every input path appears exactly once across pairs, unsided pairs and orphans; ids are unique. */
function expectAccounted(plan: PairPlan, inputs: readonly string[]): void {
  const seen = [
    ...plan.pairs.flatMap((p) => [p.front, p.back]),
    ...plan.unsided.flatMap((u) => u.files),
    ...plan.orphans.map((o) => o.path),
  ];
  expect([...seen].sort()).toStrictEqual([...new Set(inputs)].sort());
  const ids = [...plan.pairs, ...plan.unsided, ...plan.orphans].map((x) => x.id);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('pairFiles — explicit sides', () => {
  it.each([
    ['juan_perez_front.jpg', 'juan_perez_back.jpg', 'juan_perez'],
    ['IMG_001_FRONT.JPG', 'IMG_001_BACK.JPG', 'IMG_001'],
    ['ine-anverso.png', 'ine-reverso.png', 'ine'],
    ['INE-Anverso.PNG', 'INE-Reverso.PNG', 'INE'],
    ['Juan Perez frente.jpeg', 'Juan Perez reverso.jpeg', 'Juan Perez'],
    ['maria_frente.jpg', 'maria_vuelta.jpg', 'maria'],
    ['maria.frontal.jpg', 'maria.trasera.jpg', 'maria'],
    ['pedro delantera.jpg', 'pedro trasera.jpg', 'pedro'],
    ['ana_adelante.jpg', 'ana_atrás.jpg', 'ana'],
    ['front_luis.jpg', 'back_luis.jpg', 'luis'],
    ['FRONT-luis2.jpg', 'BACK-luis2.jpg', 'luis2'],
    ['ine_front_007.jpg', 'ine_back_007.jpg', 'ine_007'],
    ['juanFront.jpg', 'juanBack.jpg', 'juan'],
    ['card_a.jpg', 'card_b.jpg', 'card'],
    ['CARD-A.JPG', 'CARD-B.JPG', 'CARD'],
    ['x_1.jpg', 'x_2.jpg', 'x'],
    ['Rosa Diaz 1.png', 'Rosa Diaz 2.png', 'Rosa Diaz'],
    ['juan.jpg', 'juan_reverso.jpg', 'juan'],
    ['juan_anverso.jpg', 'juan.jpg', 'juan'],
    // sides named with different conventions, case and separators still meet on the base
    ['Juan-Perez_FRONT.jpg', 'juan perez reverso.JPEG', 'Juan-Perez'],
  ])('%s + %s → %s', (front, back, id) => {
    for (const input of [[front, back], [back, front]]) {
      const plan = pairFiles(input);
      expect(plan).toStrictEqual({ pairs: [{ id, front, back }], unsided: [], orphans: [], ambiguous: [] });
    }
  });

  it('accented side words in either Unicode form (macOS file names are NFD)', () => {
    const nfd = 'ana_atrás.jpg'.normalize('NFD');
    const plan = pairFiles(['ana_frente.jpg', nfd]);
    expect(plan.pairs).toStrictEqual([{ id: 'ana', front: 'ana_frente.jpg', back: nfd }]);
  });

  it.each([
    'frontera.jpg', // a word that merely starts with "front"
    'backup_01x.jpg',
    'anverso_y_reverso.jpg', // both sides named: side unknown
  ])('%s is not taken for a side', (name) => {
    const plan = pairFiles([name]);
    expect(plan.orphans).toMatchObject([{ path: name, side: 'unknown' }]);
  });

  it('explicit side words win over camera numbering', () => {
    const names = ['IMG_1234_front.jpg', 'IMG_1235_back.jpg', 'IMG_1234_back.jpg', 'IMG_1235_front.jpg'];
    const plan = pairFiles(names);
    expect(plan.pairs).toStrictEqual([
      { id: 'IMG_1234', front: 'IMG_1234_front.jpg', back: 'IMG_1234_back.jpg' },
      { id: 'IMG_1235', front: 'IMG_1235_front.jpg', back: 'IMG_1235_back.jpg' },
    ]);
    expect(plan.unsided).toStrictEqual([]);
  });
});

describe('pairFiles — camera names (sides unknown)', () => {
  it.each([
    { name: 'IMG counter', files: ['IMG_1234.jpg', 'IMG_1235.jpg'], id: 'IMG_1234' },
    { name: 'Sony DSC', files: ['DSC00012.JPG', 'DSC00013.JPG'], id: 'DSC00012' },
    { name: 'counter rolling over a digit', files: ['IMG_0999.jpg', 'IMG_1000.jpg'], id: 'IMG_0999' },
    { name: 'Pixel date-time', files: ['PXL_20240101_123456789.jpg', 'PXL_20240101_123503120.jpg'], id: 'PXL_20240101_123456789' },
    { name: 'Samsung date-time', files: ['20240315_101010.jpg', '20240315_101022.jpg'], id: '20240315_101010' },
    {
      name: 'WhatsApp same second, copy number',
      files: ['WhatsApp Image 2024-01-01 at 10.11.12.jpeg', 'WhatsApp Image 2024-01-01 at 10.11.12 (1).jpeg'],
      id: 'WhatsApp Image 2024-01-01 at 10.11.12',
    },
    {
      name: 'WhatsApp seconds apart',
      files: ['WhatsApp Image 2024-01-01 at 10.11.12 AM.jpeg', 'WhatsApp Image 2024-01-01 at 10.11.30 AM.jpeg'],
      id: 'WhatsApp Image 2024-01-01 at 10.11.12 AM',
    },
    { name: 'copies of one name', files: ['scan.jpg', 'scan (1).jpg'], id: 'scan' },
  ])('$name', ({ files, id }) => {
    const plan = pairFiles([...files].reverse());
    expect(plan).toStrictEqual({ pairs: [], unsided: [{ id, files }], orphans: [], ambiguous: [] });
  });

  it('a run pairs in order', () => {
    const names = ['IMG_1234.jpg', 'IMG_1235.jpg', 'IMG_1236.jpg', 'IMG_1237.jpg', 'IMG_1240.jpg', 'IMG_1241.jpg'];
    const plan = pairFiles(names);
    expect(plan.unsided.map((u) => u.files)).toStrictEqual([
      ['IMG_1234.jpg', 'IMG_1235.jpg'],
      ['IMG_1236.jpg', 'IMG_1237.jpg'],
      ['IMG_1240.jpg', 'IMG_1241.jpg'],
    ]);
    expect(plan.orphans).toStrictEqual([]);
    expect(plan.ambiguous).toStrictEqual([]);
  });

  it('a gap in the numbers starts a new run: a lone image is an orphan, not glued to the next card', () => {
    const plan = pairFiles(['IMG_1234.jpg', 'IMG_1236.jpg', 'IMG_1237.jpg']);
    expect(plan.unsided.map((u) => u.files)).toStrictEqual([['IMG_1236.jpg', 'IMG_1237.jpg']]);
    expect(plan.orphans).toMatchObject([{ path: 'IMG_1234.jpg', side: 'unknown', code: 'INOCR002' }]);
    expect(plan.ambiguous).toStrictEqual([]);
  });

  it('photos far apart in time do not pair', () => {
    const plan = pairFiles(['PXL_20240101_100000000.jpg', 'PXL_20240101_120000000.jpg']);
    expect(plan.unsided).toStrictEqual([]);
    expect(plan.orphans).toHaveLength(2);
  });

  it('an odd run pairs in order, leaves its last image an orphan and is reported', () => {
    const names = ['IMG_1236.jpg', 'IMG_1234.jpg', 'IMG_1235.jpg'];
    const plan = pairFiles(names);
    expect(plan.unsided).toStrictEqual([{ id: 'IMG_1234', files: ['IMG_1234.jpg', 'IMG_1235.jpg'] }]);
    expect(plan.orphans).toMatchObject([{ id: 'IMG_1236', path: 'IMG_1236.jpg', side: 'unknown', code: 'INOCR002' }]);
    expect(plan.orphans[0]?.message).toMatch(/ambiguous: odd run of 3/);
    expect(plan.ambiguous).toStrictEqual([
      { paths: ['IMG_1234.jpg', 'IMG_1235.jpg', 'IMG_1236.jpg'], reason: expect.stringMatching(/odd run of 3/) },
    ]);
    expectAccounted(plan, names);
  });

  it('two files at one place in a sequence are ambiguous orphans', () => {
    const names = ['IMG_1234.jpg', 'IMG_1234.heic', 'IMG_1235.jpg', 'IMG_1236.jpg'];
    const plan = pairFiles(names);
    expect(plan.ambiguous).toStrictEqual([
      { paths: ['IMG_1234.heic', 'IMG_1234.jpg'], reason: expect.stringMatching(/share one place/) },
    ]);
    expect(plan.unsided.map((u) => u.files)).toStrictEqual([['IMG_1235.jpg', 'IMG_1236.jpg']]);
    expect(plan.orphans.map((o) => o.path)).toStrictEqual(['IMG_1234.heic', 'IMG_1234.jpg']);
    expectAccounted(plan, names);
  });

  it('numbered files beyond _1/_2 are a sequence, not sides', () => {
    const names = ['x_1.jpg', 'x_2.jpg', 'x_3.jpg', 'x_4.jpg'];
    const plan = pairFiles(names);
    expect(plan.pairs).toStrictEqual([]);
    expect(plan.unsided.map((u) => u.files)).toStrictEqual([
      ['x_1.jpg', 'x_2.jpg'],
      ['x_3.jpg', 'x_4.jpg'],
    ]);
  });
});

describe('pairFiles — orphans and ambiguity', () => {
  it.each([
    { files: ['solo_front.jpg'], path: 'solo_front.jpg', id: 'solo', side: 'front', code: 'INOCR003' },
    { files: ['solo-reverso.png'], path: 'solo-reverso.png', id: 'solo', side: 'back', code: 'INOCR002' },
    { files: ['lonely.jpg'], path: 'lonely.jpg', id: 'lonely', side: 'unknown', code: 'INOCR002' },
    { files: ['IMG_5000.jpg'], path: 'IMG_5000.jpg', id: 'IMG_5000', side: 'unknown', code: 'INOCR002' },
    { files: ['card_a.jpg'], path: 'card_a.jpg', id: 'card_a', side: 'unknown', code: 'INOCR002' },
  ])('$path → $side orphan $code', ({ files, path: p, id, side, code }) => {
    const plan = pairFiles(files);
    expect(plan.orphans).toStrictEqual([{ id, path: p, side, code, message: expect.any(String) }]);
    expect(plan.ambiguous).toStrictEqual([]);
  });

  it('orphan messages say what is missing', () => {
    const plan = pairFiles(['a_front.jpg', 'b_back.jpg', 'c.jpg']);
    const msg = Object.fromEntries(plan.orphans.map((o) => [o.path, o.message]));
    expect(msg['a_front.jpg']).toMatch(/back image missing/);
    expect(msg['b_back.jpg']).toMatch(/front image missing/);
    expect(msg['c.jpg']).toMatch(/no partner image found and its side could not be told from the name/);
  });

  it('two fronts and one back for one name: reported, nothing paired, every file a row', () => {
    const names = ['p_front.jpg', 'p_frontal.jpg', 'p_back.jpg', 'q_front.jpg', 'q_back.jpg'];
    const plan = pairFiles(names);
    expect(plan.pairs).toStrictEqual([{ id: 'q', front: 'q_front.jpg', back: 'q_back.jpg' }]);
    expect(plan.ambiguous).toStrictEqual([
      { paths: ['p_back.jpg', 'p_front.jpg', 'p_frontal.jpg'], reason: expect.stringMatching(/2 front and 1 back/) },
    ]);
    expect(plan.orphans).toStrictEqual([
      { id: 'p_back', path: 'p_back.jpg', side: 'back', code: 'INOCR002', message: expect.stringMatching(/^ambiguous/) },
      { id: 'p_front', path: 'p_front.jpg', side: 'front', code: 'INOCR003', message: expect.stringMatching(/^ambiguous/) },
      { id: 'p_frontal', path: 'p_frontal.jpg', side: 'front', code: 'INOCR003', message: expect.stringMatching(/^ambiguous/) },
    ]);
    expectAccounted(plan, names);
  });

  it('a, b and c on one name: ambiguous', () => {
    const names = ['card_a.jpg', 'card_b.jpg', 'card_c.jpg'];
    const plan = pairFiles(names);
    expect(plan.pairs).toStrictEqual([]);
    expect(plan.ambiguous).toMatchObject([{ paths: names }]);
    expect(plan.orphans.map((o) => o.path)).toStrictEqual(names);
    expectAccounted(plan, names);
  });

  it('two fronts and no back are plain orphans, with distinct ids', () => {
    const plan = pairFiles(['z_front.jpg', 'z_front.png']);
    expect(plan.ambiguous).toStrictEqual([]);
    expect(plan.orphans.map((o) => [o.id, o.code])).toStrictEqual([
      ['z_front', 'INOCR003'],
      ['z_front~2', 'INOCR003'],
    ]);
  });
});

describe('pairFiles — folders, ids, order', () => {
  it('pairs only within a directory, ids prefixed by it', () => {
    const names = ['a/juan_front.jpg', 'b/juan_back.jpg', 'c/juan_front.jpg', 'c/juan_back.jpg', 'c/d/IMG_1.jpg', 'IMG_2.jpg'];
    const plan = pairFiles(names);
    expect(plan.pairs).toStrictEqual([{ id: 'c/juan', front: 'c/juan_front.jpg', back: 'c/juan_back.jpg' }]);
    expect(plan.orphans.map((o) => [o.id, o.code])).toStrictEqual([
      ['IMG_2', 'INOCR002'],
      ['a/juan', 'INOCR003'],
      ['b/juan', 'INOCR002'],
      ['c/d/IMG_1', 'INOCR002'],
    ]);
    expectAccounted(plan, names);
  });

  it('a folder per card takes the folder name as id', () => {
    const plan = pairFiles(['people/ana/front.jpg', 'people/ana/back.jpg', 'front.png', 'back.png']);
    expect(plan.pairs).toStrictEqual([
      { id: 'card', front: 'front.png', back: 'back.png' },
      { id: 'people/ana', front: 'people/ana/front.jpg', back: 'people/ana/back.jpg' },
    ]);
  });

  it('colliding ids get ~2 in path order', () => {
    const plan = pairFiles(['juan_front.jpg', 'juan_back.jpg', 'juan_anverso.png', 'juan_reverso.png']);
    // four sided files with one base: ambiguous, so four orphan rows with unique ids
    expect(plan.ambiguous).toHaveLength(1);
    const plan2 = pairFiles(['juan_front.jpg', 'juan_back.jpg', 'juan_a.jpg', 'juan_b.jpg']);
    expect(plan2.pairs.map((p) => p.id)).toStrictEqual(['juan', 'juan~2']);
    expectAccounted(plan, ['juan_front.jpg', 'juan_back.jpg', 'juan_anverso.png', 'juan_reverso.png']);
  });

  it('is deterministic whatever the input order, and ignores duplicate inputs', () => {
    const names = ['IMG_1235.jpg', 'b_back.jpg', 'IMG_1234.jpg', 'a_front.jpg', 'b_front.jpg', 'z.jpg'];
    const a = pairFiles(names);
    const b = pairFiles([...names].reverse().concat(names));
    expect(b).toStrictEqual(a);
    expectAccounted(a, names);
  });
});

describe('pairFiles — 100 generated cards with mixed naming', () => {
  // deterministic LCG so the shuffle is the same every run
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const first = ['Juan', 'María', 'José', 'Ana', 'Luis', 'Rosa', 'Pedro', 'Lucía', 'Jorge', 'Elena'];
  const last = ['Pérez', 'López', 'García', 'Hernández', 'Martínez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Díaz'];
  const conventions: ((base: string, i: number) => [string, string])[] = [
    (b) => [`${b}_front.jpg`, `${b}_back.jpg`],
    (b) => [`${b}-anverso.png`, `${b}-reverso.png`],
    (b) => [`${b.toUpperCase()}_FRENTE.JPG`, `${b.toUpperCase()}_REVERSO.JPG`],
    (b) => [`${b.replace(/_/g, ' ')} frente.jpeg`, `${b.replace(/_/g, ' ')} vuelta.jpeg`],
    (b) => [`${b}_a.jpg`, `${b}_b.jpg`],
    (b) => [`${b}_1.jpg`, `${b}_2.jpg`],
    (b) => [`front_${b}.jpg`, `back_${b}.jpg`],
    (b) => [`${b}.Delantera.png`, `${b}.Trasera.png`],
    (b) => [`${b}Front.jpg`, `${b}Back.jpg`],
    (b) => [`${b}.jpg`, `${b}_reverso.jpg`],
  ];
  const expected: { front: string; back: string }[] = [];
  const cameras: [string, string][] = [];
  for (let i = 0; i < 80; i++) {
    const base = `${first[i % 10]}_${last[Math.floor(i / 10) % 10]}_${i}`;
    const conv = conventions[i % conventions.length];
    if (!conv) throw new Error('no convention');
    const [front, back] = conv(base, i);
    expected.push({ front, back });
  }
  for (let i = 0; i < 20; i++) {
    // a phone's consecutive numbers, and a second phone's date-time names
    cameras.push(
      i < 10
        ? [`IMG_${2000 + 2 * i}.JPG`, `IMG_${2001 + 2 * i}.JPG`]
        : [`PXL_20240502_10${String(i).padStart(2, '0')}00000.jpg`, `PXL_20240502_10${String(i).padStart(2, '0')}15000.jpg`],
    );
  }
  const names = [...expected.flatMap((e) => [e.front, e.back]), ...cameras.flat()]
    .map((n) => ({ n, r: rand() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.n);

  it('pairs every card with no mistake: 80 sided pairs, 20 camera pairs, nothing else', () => {
    expect(names).toHaveLength(200);
    const plan = pairFiles(names);
    expect(plan.orphans).toStrictEqual([]);
    expect(plan.ambiguous).toStrictEqual([]);
    expect(plan.pairs.map(({ front, back }) => ({ front, back })).sort((a, b) => (a.front < b.front ? -1 : 1))).toStrictEqual(
      [...expected].sort((a, b) => (a.front < b.front ? -1 : 1)),
    );
    expect(plan.unsided.map((u) => u.files).sort()).toStrictEqual([...cameras].sort());
    expect(plan.pairs.length + plan.unsided.length).toBe(100);
    expectAccounted(plan, names);
  });
});

describe('listImages', () => {
  const make = (): string => {
    const dir = tmpDir('ine-ocr-scan-');
    const files = [
      'a_front.jpg', 'a_back.JPG', 'b.jpeg', 'c.png', 'd.PDF', 'e.heic', 'notes.txt', 'manifest.csv', 'cards.json',
      'README.md', '.hidden.jpg', 'out.jsonl', 'sub/f_front.jpg', 'sub/deeper/g.png', '.git/h.jpg', 'sub/.cache/i.jpg',
    ];
    for (const f of files) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'x');
    }
    symlinkSync(dir, path.join(dir, 'sub', 'loop')); // a loop back to the root
    return dir;
  };

  it.each([
    { recursive: false, expected: ['a_back.JPG', 'a_front.jpg', 'b.jpeg', 'c.png', 'd.PDF', 'e.heic'] },
    {
      recursive: true,
      expected: ['a_back.JPG', 'a_front.jpg', 'b.jpeg', 'c.png', 'd.PDF', 'e.heic', 'sub/deeper/g.png', 'sub/f_front.jpg'],
    },
  ])('recursive: $recursive', async ({ recursive, expected }) => {
    const dir = make();
    expect(await listImages(dir, { recursive })).toStrictEqual(expected);
  });

  it('leaves out excluded paths (the batch output)', async () => {
    const dir = make();
    writeFileSync(path.join(dir, 'out.png'), 'x');
    const list = await listImages(dir, { recursive: false, exclude: [path.join(dir, 'out.png')] });
    expect(list).not.toContain('out.png');
    expect(await listImages(dir, { recursive: false, exclude: ['c.png'] })).not.toContain('c.png');
  });

  it('a missing folder is a usage error', async () => {
    await expect(listImages('/nonexistent/ine-ocr-folder', { recursive: false })).rejects.toMatchObject({ name: 'UsageError' });
  });
});
