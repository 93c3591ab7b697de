/**
 * Per-card variation of the renderer: it comes from its own stream, changes the print and
 * not the card's other draws, keeps the text on the card, uses every typeface, and leaves
 * the checked-in samples exactly as they are.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { generateCard, SAMPLE_PLAN, SAMPLE_SEED } from '../src/synth/corpus.ts';
import { registerFonts, VARIED_FAMILIES } from '../src/synth/fonts.ts';
import { CARD_MODELS, generateIdentity } from '../src/synth/identity.ts';
import { CARD_HEIGHT, renderBack, renderFront, type FrontLayout } from '../src/synth/render.ts';
import { createRng } from '../src/synth/rng.ts';
import { drawVariation, NO_VARIATION } from '../src/synth/variation.ts';

describe('renderer variation', () => {
  it('the checked-in samples regenerate byte for byte (drawn without variation)', async () => {
    for (const [i, item] of SAMPLE_PLAN.entries()) {
      const card = await generateCard(SAMPLE_SEED, i, item, { forceJpeg: true, vary: false });
      const id = `card-${String(i + 1).padStart(2, '0')}`;
      expect(card.front.data.equals(readFileSync(path.join('samples', `${id}_front.jpg`)))).toBe(true);
      expect(card.back.data.equals(readFileSync(path.join('samples', `${id}_back.jpg`)))).toBe(true);
      const truth = JSON.parse(readFileSync(path.join('samples', `${id}.truth.json`), 'utf8')) as { fields: unknown };
      expect(card.fields).toEqual(truth.fields);
    }
  });

  it('NO_VARIATION is the base drawing; a variation changes the print but not the layout draws', () => {
    const card = generateIdentity(createRng('vary-1'), { model: 'G' });
    const base = renderFront(card, createRng('f'));
    expect(renderFront(card, createRng('f'), undefined, NO_VARIATION).equals(base)).toBe(true);
    const v = drawVariation(createRng('v'));
    const varied = renderFront(card, createRng('f'), undefined, v);
    expect(varied.equals(base)).toBe(false);
    expect(renderFront(card, createRng('f'), undefined, drawVariation(createRng('v'))).equals(varied)).toBe(true);
    // The card's own stream is untouched: what is drawn after the front is the same either way.
    const r1 = createRng('f');
    renderFront(card, r1);
    const r2 = createRng('f');
    renderFront(card, r2, undefined, v);
    expect(r1.uint32()).toBe(r2.uint32());
    const b1 = createRng('b');
    renderBack(card, b1, v);
    const b2 = createRng('b');
    renderBack(card, b2);
    expect(b1.uint32()).toBe(b2.uint32());
  });

  it('corpora vary per card from (seed, index), the same every time', async () => {
    const item = { condition: 'scan' as const, model: 'E' as const };
    const a = await generateCard(7, 3, item);
    const b = await generateCard(7, 3, item);
    expect(a.front.data.equals(b.front.data)).toBe(true);
    const plain = await generateCard(7, 3, item, { vary: false });
    expect(plain.front.data.equals(a.front.data)).toBe(false);
    // The person is the same; only the address is drawn in the printed forms (address.ts).
    const { addressLine1, addressLine2, addressLine3, postalCode, ...rest } = a.fields;
    const { addressLine1: p1, addressLine2: p2, addressLine3: p3, postalCode: pc, ...plainRest } = plain.fields;
    expect(plainRest).toEqual(rest);
    expect([addressLine1, addressLine2, addressLine3, postalCode]).not.toEqual([p1, p2, p3, pc]);
  });

  it('every typeface is used, and each is a distinct font (not a fallback)', () => {
    const seen = new Set<string | null>();
    const r = createRng('families');
    for (let i = 0; i < 300; i++) seen.add(drawVariation(r).valueFamily);
    for (const f of VARIED_FAMILIES) expect(seen.has(f)).toBe(true);
    registerFonts();
    const ctx = createCanvas(10, 10).getContext('2d');
    const widths = VARIED_FAMILIES.map((f) => {
      ctx.font = `bold 30px "${f}"`;
      return Math.round(ctx.measureText('CLAVE DE ELECTOR 0123456789').width);
    });
    expect(new Set(widths).size).toBe(VARIED_FAMILIES.length);
  });

  it('the text block stays on the card whatever the variation', () => {
    for (let i = 0; i < 30; i++) {
      const card = generateIdentity(createRng(`fit-${i}`), { model: CARD_MODELS[i % 4] ?? 'E' });
      const layout: FrontLayout = {};
      renderFront(card, createRng(`fit-front-${i}`), layout, drawVariation(createRng(`fit-v-${i}`)));
      expect(layout.textBottom).toBeLessThanOrEqual(CARD_HEIGHT - 12);
    }
  });
});
