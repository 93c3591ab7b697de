/** Which printed values a capture hides outright (src/synth/hidden.ts): what the eval counts apart. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CaptureMeta } from '../src/synth/captured.ts';
import { generateCard } from '../src/synth/corpus.ts';
import { hiddenFields, someCharacterHidden } from '../src/synth/hidden.ts';
import { generateIdentity } from '../src/synth/identity.ts';
import { renderBack, renderFront, type BackLayout, type FrontLayout } from '../src/synth/render.ts';
import { createRng } from '../src/synth/rng.ts';
import { drawVariation } from '../src/synth/variation.ts';

/** An occluder opaque over x in [x0, x1), nothing elsewhere. */
const over = (x0: number, x1: number) => (u: number): number => (u >= x0 && u < x1 ? 1 : 0);
/** Ten characters, 10 px each, from x = 100. */
const RECT = { x: 100, y: 50, w: 100, h: 20 };

describe('someCharacterHidden', () => {
  it.each([
    ['a whole character cell under the finger', '0123456789', over(120, 130), true],
    ['half of one cell and half of the next: each at the share', '0123456789', over(125, 135), true],
    ['a third of a cell: still readable', '0123456789', over(120, 123.4), false],
    ['nothing under it', '0123456789', over(0, 50), false],
    ['only a line’s trailing fillers: its length gives them back', 'PEREZ<<ANA<<<', over(210, 230), false],
    ['a filler inside the line: hidden', 'PEREZ<<ANA<', over(150, 160), true],
  ])('%s', (_name, value, alpha, hidden) => {
    const rect = { ...RECT, w: 10 * value.length };
    expect(someCharacterHidden(rect, value, (u) => alpha(u))).toBe(hidden);
  });
});

describe('hiddenFields', () => {
  // A thumb over the top-left corner of a 1012 × 638 card, 100 px across.
  const finger: CaptureMeta['finger'] = { corner: 0, tip: [60, 60], angle: Math.PI / 4, radius: 100, skin: [200, 150, 120] };
  const values = { curp: 'PEGJ800101HDFRRN09', sex: 'H', mz1: 'IDMEX1234567890<<1234567890123' };
  it('a field whose only printed copy is under the finger is hidden; one away from it is not', () => {
    const front = { fields: { curp: { x: 20, y: 40, w: 200, h: 20 }, sex: { x: 900, y: 500, w: 12, h: 20 } }, meta: { finger } };
    expect(hiddenFields(values, [front])).toEqual(['curp']);
  });
  it('a value printed on both sides is hidden only when hidden on both', () => {
    const front = { fields: { mz1: { x: 20, y: 40, w: 600, h: 20 } }, meta: { finger } };
    const backClear = { fields: { mz1: { x: 20, y: 40, w: 600, h: 20 } }, meta: undefined };
    expect(hiddenFields(values, [front, backClear])).toEqual([]);
    expect(hiddenFields(values, [front, { ...backClear, meta: { finger } }])).toEqual(['mz1']);
  });
  // The card flat in the frame at 1:1 (its corners the frame's points), a glare spot over (100, 50).
  const quad: CaptureMeta['quad'] = [[0, 0], [1012, 0], [1012, 638], [0, 638]];
  const sheen = (glareStrength: number): CaptureMeta['sheen'] => ({ strength: 0.3, period: 200, glareStrength, glareSize: 50, glareAt: [100, 50] });
  const fields = { curp: { x: 20, y: 40, w: 200, h: 20 }, sex: { x: 900, y: 500, w: 12, h: 20 } };
  it('print a glare spot washes out (under a twentieth of its contrast left) is hidden; print it only dims is not', () => {
    expect(hiddenFields(values, [{ fields, meta: { quad, sheen: sheen(1.3) } }])).toEqual(['curp']);
    // At its peak this spot leaves a tenth of the contrast: dimmed, readable.
    expect(hiddenFields(values, [{ fields, meta: { quad, sheen: sheen(0.9) } }])).toEqual([]);
    // The same spot over a card placed elsewhere in the frame misses the CURP.
    const moved: CaptureMeta['quad'] = quad.map(([x, y]) => [x + 400, y + 300] as const);
    expect(hiddenFields(values, [{ fields, meta: { quad: moved, sheen: sheen(1.3) } }])).toEqual([]);
  });
});

describe('corpus cards and what they hide', () => {
  it('recording where values are drawn leaves the pixels as they were, with the corpus’s varied rendering too (synth.test.ts checks it without)', () => {
    const card = generateIdentity(createRng('hidden/identity'), { model: 'G' });
    const variation = drawVariation(createRng('hidden/variation'));
    const front: FrontLayout = { fields: {} };
    const back: BackLayout = { fields: {} };
    expect(renderFront(card, createRng('hidden/front'), front, variation).equals(renderFront(card, createRng('hidden/front'), undefined, variation))).toBe(true);
    expect(renderBack(card, createRng('hidden/back'), variation, back).equals(renderBack(card, createRng('hidden/back'), variation))).toBe(true);
    expect(Object.keys(back.fields ?? {})).toEqual(expect.arrayContaining(['mz1', 'mz2', 'mz3']));
  });

  it('a finger card names the fields it hides; a card with no finger hides none', async () => {
    const fingers = await Promise.all([0, 1, 2, 3].map((i) => generateCard(7, i, { condition: 'finger', model: 'E' })));
    expect(fingers.some((c) => c.hidden.length > 0)).toBe(true);
    for (const c of fingers) for (const f of c.hidden) expect(c.fields[f]).not.toBe('');
    const plain = await generateCard(7, 0, { condition: 'shadow', model: 'E' });
    expect(plain.hidden).toEqual([]);
  });

  it('a sheen card records its glare spot where the photo is burnt white, and names fields only under it', async () => {
    const cards = await Promise.all([3, 14, 25, 36].map((i) => generateCard(7, i, { condition: 'sheen', model: 'E' })));
    let burnt = 0;
    for (const card of cards) {
      for (const side of [card.front, card.back]) {
        const g = side.meta?.sheen;
        expect(g).toBeDefined();
        if (g!.glareStrength < 1.1) continue;
        // Past white at its centre: the photo there is white but for noise and the JPEG.
        const { data, info } = await sharp(side.data).greyscale().raw().toBuffer({ resolveWithObject: true });
        expect(data[Math.round(g!.glareAt[1]) * info.width + Math.round(g!.glareAt[0])]!).toBeGreaterThan(235);
        burnt++;
      }
    }
    expect(burnt).toBeGreaterThan(0);
    for (const c of cards) for (const f of c.hidden) expect(c.fields[f]).not.toBe('');
  });
});
