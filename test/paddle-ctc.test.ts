/**
 * The paddle engine's CTC decoding and word building on recorded recogniser outputs
 * (test/fixtures/paddle/rec-*.json: the PP-OCRv4 softmax of four lines of the bundled synthetic
 * samples, every class with p ≥ 0.0005, and each line's crop; scripts/paddle-fixtures.ts).
 * Expected texts are the cards' truth files, not the recordings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classTrack, decodeCtc, type LineProbs } from '../src/engines/paddle/ctc.ts';
import type { Quad } from '../src/engines/paddle/geometry.ts';
import { inkColumns } from '../src/engines/paddle/ink-gaps.ts';
import { buildLine, placeChars, splitWords } from '../src/engines/paddle/lines.ts';
import { allowedClasses, BLANK, defaultModelPaths, DEFAULT_LATIN, dictionaryOf, loadDictionary } from '../src/engines/paddle/models.ts';
import { decodeRgb, type Rgb } from '../src/engines/paddle/pixels.ts';

const dict = loadDictionary(defaultModelPaths().keys);
const truth = (card: string): Record<string, string> => (JSON.parse(readFileSync(`samples/${card}.truth.json`, 'utf8')) as { fields: Record<string, string> }).fields;

interface Recorded {
  probs: LineProbs;
  stepU: number;
  crop: Rgb;
}

async function recorded(name: string): Promise<Recorded> {
  const f = JSON.parse(readFileSync(`test/fixtures/paddle/rec-${name}.json`, 'utf8')) as { steps: number; classes: number; stepU: number; entries: number[] };
  const data = new Float32Array(f.steps * f.classes);
  for (let i = 0; i < f.entries.length; i += 3) data[f.entries[i]! * f.classes + f.entries[i + 1]!] = f.entries[i + 2]! / 10000;
  return { probs: { data, steps: f.steps, classes: f.classes }, stepU: f.stepU, crop: await decodeRgb(readFileSync(`test/fixtures/paddle/rec-${name}.png`)) };
}

const text = (r: Recorded, charset?: string): string =>
  decodeCtc(r.probs, allowedClasses(dict, charset), dict.classes)
    .map((c) => c.char)
    .join('');

/** The line as the engine builds it, in the crop's own frame. */
function line(r: Recorded, charset?: string): NonNullable<ReturnType<typeof buildLine>> {
  const chars = placeChars(decodeCtc(r.probs, allowedClasses(dict, charset), dict.classes), r.stepU, classTrack(r.probs, dict.index.get(' ')!), inkColumns(r.crop));
  const { width: w, height: h } = r.crop;
  const quad: Quad = [
    { x: 0, y: 0 },
    { x: w, y: 0 },
    { x: w, y: h },
    { x: 0, y: h },
  ];
  return buildLine(chars, quad, h)!;
}

describe('the recogniser dictionary', () => {
  it('has the blank, the 6,623 characters of ppocr_keys_v1 and the space: the model’s 6,625 classes', () => {
    expect(dict.classes).toHaveLength(6625);
    expect(dict.classes[BLANK]).toBe('');
    expect(dict.classes.at(-1)).toBe(' ');
  });

  it('lacks Ñ, Á, Í, Ú (and ñ): the Latin default keeps only the letters it has', () => {
    for (const c of ['Ñ', 'Á', 'Í', 'Ú', 'ñ']) expect(dict.index.has(c)).toBe(false);
    for (const c of ['É', 'Ó', 'Ü', 'á', 'é', 'í', 'ó', 'ú']) expect(dict.index.has(c)).toBe(true);
    const latin = new Set(Array.from(allowedClasses(dict), (i) => dict.classes[i]));
    expect([...DEFAULT_LATIN].filter((c) => !latin.has(c)).sort()).toEqual(['Á', 'Í', 'Ñ', 'Ú', 'ñ'].sort());
  });
});

describe('CTC decoding on recorded PP-OCRv4 output', () => {
  it('reads the address lines of card-02 (the model ran its words together: no space decoded)', async () => {
    const f = truth('card-02');
    expect(text(await recorded('address1'))).toBe(f.addressLine1!.replace(/ /g, ''));
    expect(text(await recorded('address2'))).toBe(f.addressLine2!.replace(/ /g, ''));
  });

  it('splits them into the printed words from the blank columns between characters', async () => {
    const f = truth('card-02');
    expect(line(await recorded('address1')).words.map((w) => w.text)).toEqual(f.addressLine1!.split(' '));
    expect(line(await recorded('address2')).words.map((w) => w.text)).toEqual(f.addressLine2!.split(' '));
    expect(line(await recorded('joined')).text).toBe('CREDENCIAL PARA VOTAR');
  });

  it('does not split a monospaced MRZ line between its evenly spaced characters', async () => {
    const r = await recorded('mrz1');
    const words = line(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<').words;
    expect(words.map((w) => w.text).join('')).toBe(truth('card-02').mz1);
    expect(words.length).toBeLessThanOrEqual(2);
  });

  it('places characters along the line: in order, across the crop, each word boxed over its own ink', async () => {
    const r = await recorded('address1');
    const chars = placeChars(decodeCtc(r.probs, allowedClasses(dict), dict.classes), r.stepU, classTrack(r.probs, dict.index.get(' ')!), inkColumns(r.crop));
    for (let i = 1; i < chars.length; i++) expect(chars[i]!.u).toBeGreaterThan(chars[i - 1]!.u);
    expect(chars[0]!.u).toBeLessThan(0.05);
    expect(chars.at(-1)!.u).toBeGreaterThan(0.95);
    const words = line(r).words;
    // Word boxes follow each other without overlapping, and each starts and ends on ink.
    const ink = inkColumns(r.crop);
    for (let i = 0; i < words.length; i++) {
      const b = words[i]!.bbox;
      if (i > 0) expect(b.x0).toBeGreaterThanOrEqual(words[i - 1]!.bbox.x1 - 1);
      const inkIn = Array.from(ink.slice(Math.round(b.x0), Math.round(b.x1))).filter(Boolean).length;
      expect(inkIn).toBeGreaterThan(0.5 * (b.x1 - b.x0));
      expect(words[i]!.polygon).toHaveLength(4);
      expect(words[i]!.confidence).toBeGreaterThan(80);
    }
    // The last word, B, is at the right end of the line.
    expect(words.at(-1)!.text).toBe('B');
    expect(words.at(-1)!.bbox.x0).toBeGreaterThan(0.9 * r.crop.width);
  });

  it('restricts the output to the charset asked for: the best allowed class or the blank at each step', async () => {
    const mrz = await recorded('mrz1');
    expect(text(mrz, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<')).toBe(truth('card-02').mz1);
    // Letters only: the digits and fillers of the line become blanks, the letters stay.
    expect(text(mrz, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toMatch(/^IDMEX[A-Z]*$/);
    const digits = text(await recorded('address2'), '0123456789');
    expect(digits).toMatch(/^\d+$/);
    expect(digits.endsWith('22892')).toBe(true);
  });
});

describe('CTC decoding rules (hand-made outputs)', () => {
  // Classes: blank, A, B, 中, space.
  const small = dictionaryOf(['A', 'B', '中']);
  const probs = (rows: number[][]): LineProbs => ({ data: Float32Array.from(rows.flat()), steps: rows.length, classes: 5 });

  it('merges repeats, drops blanks, keeps a doubled letter separated by a blank, and keeps each character’s steps', () => {
    const out = decodeCtc(
      probs([
        [0.1, 0.9, 0, 0, 0],
        [0.2, 0.8, 0, 0, 0],
        [0.9, 0.1, 0, 0, 0],
        [0.3, 0.7, 0, 0, 0],
        [0.1, 0, 0.6, 0, 0.3],
      ]),
      allowedClasses(small, 'AB '),
      small.classes,
    );
    expect(out.map((c) => [c.char, c.step, c.lastStep, c.prob])).toEqual([
      ['A', 0, 1, Math.fround(0.9)],
      ['A', 3, 3, Math.fround(0.7)],
      ['B', 4, 4, Math.fround(0.6)],
    ]);
  });

  it('takes the best allowed character when a disallowed one wins, with its own (low) probability', () => {
    const rows = [
      [0.05, 0.1, 0, 0.85, 0],
      [0.9, 0.05, 0, 0.05, 0],
    ];
    expect(decodeCtc(probs(rows), allowedClasses(small, 'AB中'), small.classes).map((c) => c.char)).toEqual(['中']);
    const latin = decodeCtc(probs(rows), allowedClasses(small, 'AB'), small.classes);
    expect(latin.map((c) => c.char)).toEqual(['A']);
    expect(latin[0]!.prob).toBeCloseTo(0.1, 5);
  });

  it('splits words at decoded spaces even without a gap', () => {
    const c = (char: string, u: number): Parameters<typeof splitWords>[0][number] => ({ char, u, prob: 1, spaceBefore: 0, blankBefore: 2 });
    expect(splitWords([c('A', 0.1), c('B', 0.2), c(' ', 0.25), c('A', 0.3)], 20).map((w) => w.map((x) => x.char).join(''))).toEqual(['AB', 'A']);
  });

  /** A line as recorded: each character with the blank before it (px) and the space class's peak in the gap. */
  const recorded = (spec: string): Parameters<typeof splitWords>[0] =>
    [...spec.matchAll(/(.)\[(\d+)(?:\/([\d.]+))?\]/g)].map((m, i, all) => ({ char: m[1]!, u: (i + 0.5) / all.length, prob: 1, blankBefore: Number(m[2]), spaceBefore: Number(m[3] ?? 0) }));
  const words = (spec: string, height: number): string[] => splitWords(recorded(spec), height).map((w) => w.map((x) => x.char).join(''));

  it('measures a gap against its neighbours: a stretch whose every blank is wide is one word', () => {
    // Hard eval, jpeg (seed 31, card 7): the line's usual blank 3 px, SOLEDAD's 10–11 px.
    const line = 'S[0]O[11]L[10]E[10]D[11]A[6]D[8] [10/0.35]D[12/0.33]E[5] [11]G[10/0.17]R[6]A[2]C[2]I[4]A[3]N[3]O[3]';
    expect(words(line, 40)).toEqual(['SOLEDAD', 'DE', 'GRACIANO']);
    expect(words('C[0]O[17]L[10] [13/0.11]S[13/0.10]A[7]N[7]T[6]A[3] [10/0.24]M[10/0.05]A[3]R[3]I[4]A[2]', 36)).toEqual(['COL', 'SANTA', 'MARIA']);
  });

  it('takes no break at a wide blank where the space class stayed at noise: ink lost inside a word', () => {
    // Hard eval seed 7 (recorded): a glare washed out part of a glyph (sheen, card 15), worn print lost ink (card 16).
    expect(words('C[0]O[29/0.0019]L[23/0.00058]S[14/0.19]A[5]N[4]T[10/0.00021]A[7] [8/0.02]C[8/0.42]R[4]U[4]Z[2]4[10/0.49]5[0]1[2]4[0]3[0]', 35)).toEqual(['COL', 'SANTA', 'CRUZ', '45143']);
    expect(words('B[0]L[4]V[0]D[3] [8/0.33]N[8/0.07]I[5]N[4]O[3]S[4]H[16/0.44]E[5]R[27/0.0018]O[19/0.00017]E[5]S[4]3[15/0.44]3[3] [5/0.01]D[11/0.39]E[4]P[4]T[20/0.00041]O[3]2[15/0.28]', 41)).toEqual(['BLVD', 'NINOS', 'HEROES', '33', 'DEPTO', '2']);
  });

  it('breaks at a wide blank where the space class rose above noise without winning', () => {
    // Recorded: regular eval seed 101, card 52 (photo); hard eval seed 7 (TECOMAN, COL.; 145 INT 1).
    expect(words('F[0]R[3]A[2]N[3]C[2]I[3]S[2]C[3]O[2]I[13/0.0069]M[15/0.0095]A[3]D[2]E[3]R[2]O[3]', 38)).toEqual(['FRANCISCO', 'I', 'MADERO']);
    expect(words('T[0]E[3]C[2]O[3]M[2]A[3]N[2],[1]C[12/0.045]O[3]L[2].[1]', 36)).toEqual(['TECOMAN,', 'COL.']);
    expect(words('1[0]4[3]5[2]I[13/0.042]N[3]T[2]1[14/0.021]', 41)).toEqual(['145', 'INT', '1']);
  });

  it('still breaks words run together, a wide blank among narrow ones', () => {
    // The space class rose a little in each gap (0.06–0.12), short of the hinted rule's 0.2.
    expect(words('P[0]R[3]I[2]V[3]L[12/0.08]A[3]Z[2]A[3]R[3]O[2]C[11/0.12]A[3]R[2]D[3]E[3]N[2]A[3]S[2]', 30)).toEqual(['PRIV', 'LAZARO', 'CARDENAS']);
    expect(words('C[0]A[3]L[2]L[3]E[2]D[12/0.06]E[3]L[11/0.1]A[2]P[12/0.07]A[3]Z[2]', 30)).toEqual(['CALLE', 'DE', 'LA', 'PAZ']);
    // The sample card-03's label (recorded): DE's gaps among a pale label's blanks of 2–7 px.
    expect(words('C[0]L[4]A[6]V[2]E[3]D[10/0.09]E[2]E[11/0.20]L[7]E[7]C[4]T[6]O[3]R[2]', 33)).toEqual(['CLAVE', 'DE', 'ELECTOR']);
  });
});

describe('ink columns under uneven light', () => {
  /** A 24-px-high crop, each column one grey (a glyph's or the card's), plus a fixed noise. */
  function crop(columns: { grey: number }[], noise = 0): Rgb {
    const width = columns.length;
    const height = 24;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const wobble = noise ? ((x * 7 + y * 13) % 5) - 2 : 0;
        const g = Math.max(0, Math.min(255, columns[x]!.grey + wobble * noise));
        data.fill(g, 3 * (y * width + x), 3 * (y * width + x) + 3);
      }
    }
    return { data, width, height };
  }
  /** n glyphs, each 6 columns of ink and 3 of card. */
  const glyphs = (n: number, ink: number, card: number): { grey: number }[] => Array.from({ length: n * 9 }, (_, x) => ({ grey: x % 9 < 6 ? ink : card }));

  it('print washed out under a glare is still ink there: the gaps between its glyphs stay narrow', () => {
    // Left: dark print on a lit card; right: the same glyphs at grey 170 on a white glare. One
    // threshold for the crop (midway between 30 and 250) would lose every glyph on the right;
    // past a window's width (the crop's height) from where the glare starts, none is lost.
    const ink = inkColumns(crop([...glyphs(6, 30, 200), ...glyphs(8, 170, 250)]));
    const right = [...ink.slice(54 + 27)];
    expect(right.filter((v, x) => x % 9 < 6 && v === 1)).toHaveLength(30);
    expect(right.filter((v, x) => x % 9 >= 6 && v === 1)).toHaveLength(0);
  });

  it('a shadowed stretch of card is not ink', () => {
    // Right: the card under a shadow (grey 110 where it is 220 in the light) with a few dark glyphs.
    const blank = Array.from({ length: 60 }, () => ({ grey: 110 }));
    const ink = inkColumns(crop([...glyphs(6, 30, 220), ...blank, ...glyphs(3, 20, 110)]));
    expect([...ink.slice(54 + 24, 54 + 36)].every((v) => v === 0)).toBe(true);
    expect([...ink.slice(54 + 60)].filter((v, x) => x % 9 < 6 && v === 1)).toHaveLength(18);
  });

  it('an evenly lit line keeps its one threshold: faint marks between pale glyphs stay blank', () => {
    // Pale glyphs (grey 150) on an even card (225 ± noise) with a faint mark (grey 205, a halo or
    // the card's pattern) in the gap between two words: a window's own threshold would count it
    // as ink and close the gap; the line's threshold (midway 150–225) does not.
    const line = [...glyphs(5, 150, 225), { grey: 225 }, { grey: 205 }, { grey: 205 }, { grey: 225 }, ...glyphs(5, 150, 225)];
    const ink = inkColumns(crop(line, 2));
    const marks = [45 + 1, 45 + 2];
    expect(marks.map((x) => ink[x])).toEqual([0, 0]);
    expect([...ink].filter((v) => v === 1)).toHaveLength(60);
  });

  it('a blank stretch of card with noise on it holds no ink', () => {
    const blank = Array.from({ length: 120 }, () => ({ grey: 220 }));
    const ink = inkColumns(crop([...glyphs(4, 30, 220), ...blank, ...glyphs(4, 30, 220)], 3));
    expect([...ink.slice(36 + 30, 36 + 90)].every((v) => v === 0)).toBe(true);
  });
});
