/**
 * Card localisation on generated captures: a phone photo's card is found and warped flat to
 * ID-1 proportions; a scan (already the card) is left alone; a blank page finds nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/synth/rng.ts';
import { generateIdentity } from '../src/synth/identity.ts';
import { renderBack, renderFront } from '../src/synth/render.ts';
import { capture } from '../src/synth/capture.ts';
import { generateCard } from '../src/synth/corpus.ts';
import { checkImageBytes, decodeToRaster } from '../src/pipeline/image.ts';
import { CARD_ASPECT, locateCard, orderCorners, rectify } from '../src/pipeline/locate.ts';
import { blankPng } from './helpers.ts';

async function raster(bytes: Buffer) {
  return decodeToRaster(await checkImageBytes(bytes, 'front'));
}

describe('orderCorners', () => {
  it('orders any permutation clockwise from the top-left, long side first', () => {
    const pts = [
      { x: 410, y: 300 },
      { x: 10, y: 40 },
      { x: 400, y: 20 },
      { x: 20, y: 280 },
    ];
    expect(orderCorners(pts)).toEqual([
      { x: 10, y: 40 },
      { x: 400, y: 20 },
      { x: 410, y: 300 },
      { x: 20, y: 280 },
    ]);
  });
});

describe('locateCard / rectify', () => {
  it.each([1, 2, 3])('finds the card in a generated phone photo (seed %i) and warps it flat', async (seed) => {
    const rng = createRng(`locate-${seed}`);
    const card = generateIdentity(rng);
    const png = seed % 2 === 0 ? renderBack(card, rng) : renderFront(card, rng);
    const shot = await capture(png, 'photo', rng);
    const r = await raster(shot.data);
    const loc = await locateCard(r);
    expect(loc).not.toBeNull();
    expect(loc!.share).toBeGreaterThan(0.12);
    expect(loc!.share).toBeLessThan(0.8);
    const flat = await rectify(r, loc!.quad, 1600);
    expect(flat.width).toBe(1600);
    expect(flat.height).toBe(Math.round(1600 / CARD_ASPECT));
  });

  it.each([1, 2])('finds a small card (≤ 600 px wide) in a large photo (seed %i)', async (seed) => {
    const rng = createRng(`locate-small-${seed}`);
    const card = generateIdentity(rng);
    const shot = await capture(renderFront(card, rng), 'small', rng);
    const r = await raster(shot.data);
    const loc = await locateCard(r);
    expect(loc).not.toBeNull();
    expect(loc!.share).toBeGreaterThan(0.02);
    expect(loc!.share).toBeLessThan(0.1);
  });

  it('finds no card inside a scan turned 90° whose printed lines have a card-shaped hull (eval v39, regular seed 7)', async () => {
    const { front } = await generateCard(7, 33, { condition: 'rot90', model: 'F' });
    expect(await locateCard(await raster(front.data))).toBeNull();
  });

  it.each(['card-01', 'card-02', 'card-04'])('finds no card inside the %s back scan (its printed boxes cover 1.8–2.0%% of it)', async (card) => {
    expect(await locateCard(await raster(readFileSync(`samples/${card}_back.jpg`)))).toBeNull();
  });

  it('leaves a blank page alone', async () => {
    expect(await locateCard(await raster(await blankPng()))).toBeNull();
  });
});
