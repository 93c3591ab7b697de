/**
 * The hard captures: each is deterministic, and each changes the image the way it says, told
 * from the pixels and bytes (not from the generator's own bookkeeping alone). Most compare a
 * hard capture with the ordinary photo made from the same random draws: the difference is
 * the hard part and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { capture, expandConditions, HARD_CONDITIONS, type Captured, type Condition } from '../src/synth/capture.ts';
import { homography } from '../src/synth/geometry.ts';
import { shadowShade } from '../src/synth/marks.ts';
import { generateIdentity } from '../src/synth/identity.ts';
import { CARD_HEIGHT, CARD_WIDTH, renderFront } from '../src/synth/render.ts';
import { createRng } from '../src/synth/rng.ts';
import { inQuad, jpegQuality, luma, meanAbsDiff, rgb, type Pixels } from './image-probe.ts';

const card = generateIdentity(createRng('hard-card'), { model: 'E' });
const png = renderFront(card, createRng('hard-front'));
const SEED = 'hard-capture';

const cache = new Map<string, Promise<Captured>>();
function shot(condition: Condition, seed = SEED): Promise<Captured> {
  const key = `${condition}/${seed}`;
  let p = cache.get(key);
  if (!p) {
    p = capture(png, condition, createRng(seed));
    cache.set(key, p);
  }
  return p;
}

/** Frame px → card-face px for a photo whose card landed on `quad`. */
function toCardFace(quad: readonly (readonly [number, number])[]): (x: number, y: number) => [number, number] {
  const H = homography(quad, [[0, 0], [CARD_WIDTH, 0], [CARD_WIDTH, CARD_HEIGHT], [0, CARD_HEIGHT]]);
  return (x, y) => {
    const w = (H[6] ?? 0) * x + (H[7] ?? 0) * y + 1;
    return [((H[0] ?? 0) * x + (H[1] ?? 0) * y + (H[2] ?? 0)) / w, ((H[3] ?? 0) * x + (H[4] ?? 0) * y + (H[5] ?? 0)) / w];
  };
}

/** Sum of |I(p) − I(p + d)| over the card (inside `quad`) for the step d. */
function edgeEnergy(p: Pixels, quad: readonly (readonly [number, number])[], dx: number, dy: number): number {
  let s = 0;
  for (let y = 8; y < p.height - 8; y += 2) {
    for (let x = 8; x < p.width - 8; x += 2) {
      if (inQuad(quad, x, y)) s += Math.abs(luma(p, y * p.width + x) - luma(p, (y + dy) * p.width + x + dx));
    }
  }
  return s;
}

describe('hard conditions', () => {
  it('`hard` expands to every hard capture; the default cycle is unchanged', () => {
    expect(expandConditions('hard').conditions).toEqual([...HARD_CONDITIONS]);
    expect(expandConditions('regular').conditions).toEqual(['scan', 'photo', 'lowres', 'rot90', 'rot180']);
    expect(expandConditions('scan,hard,scan,bogus')).toEqual({ conditions: ['scan', ...HARD_CONDITIONS], unknown: ['bogus'] });
    expect(HARD_CONDITIONS).toHaveLength(11);
  });

  it.each(HARD_CONDITIONS)('%s: the same seed gives the same bytes', async (condition) => {
    const a = await shot(condition);
    const b = await capture(png, condition, createRng(SEED));
    expect(a.data.equals(b.data)).toBe(true);
    expect(a.meta).toEqual(b.meta);
  });

  it('small: a card ≤ 600 px wide in a frame ≥ 2000 px wide', async () => {
    const s = await shot('small');
    const img = await rgb(s.data);
    expect(img.width).toBeGreaterThanOrEqual(2000);
    const xs = s.meta!.quad!.map((q) => q[0]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(600 * 1.06); // tilt may widen the outline a little
    expect(s.meta!.cardPx).toBeLessThanOrEqual(600);
  });

  it('jpeg: encoded at quality ≤ 25, where the plain photo is 55–85', async () => {
    const q = jpegQuality((await shot('jpeg')).data);
    expect(q).toBeLessThanOrEqual(25);
    expect((await shot('jpeg')).meta!.jpegQuality).toBe(q);
    const usual = jpegQuality((await shot('photo')).data);
    expect(usual).toBeGreaterThanOrEqual(55);
    expect(usual).toBeLessThanOrEqual(85);
  });

  it('sideways-exif: stored turned with orientation 6 or 8; turned back it is the plain photo', async () => {
    const s = await shot('sideways-exif');
    const stored = await rgb(s.data);
    expect([stored.width, stored.height]).toEqual([1200, 1600]);
    expect([6, 8]).toContain(s.meta!.orientation);
    const { default: sharp } = await import('sharp');
    expect((await sharp(s.data).metadata()).orientation).toBe(s.meta!.orientation);
    const upright = await rgb(s.data, true);
    const plain = await rgb((await shot('photo')).data);
    expect(meanAbsDiff(upright, plain)).toBeLessThan(4);
  });

  it('sideways: stored turned, with no orientation tag', async () => {
    const s = await shot('sideways');
    const { default: sharp } = await import('sharp');
    expect((await sharp(s.data).metadata()).orientation).toBeUndefined();
    const stored = await rgb(s.data);
    expect([stored.width, stored.height]).toEqual([1200, 1600]);
    const back = await rgb(await sharp(s.data).rotate(360 - s.meta!.turn!).jpeg({ quality: 95 }).toBuffer());
    expect(meanAbsDiff(back, await rgb((await shot('photo')).data))).toBeLessThan(4);
  });

  it('shadow: the band over the card is ≥ 35% darker than the plain photo; away from it nothing changes', async () => {
    const s = await shot('shadow');
    const band = s.meta!.shadow!;
    const quad = s.meta!.quad!;
    const [dark, plain] = [await rgb(s.data), await rgb((await shot('photo')).data)];
    const face = toCardFace(quad);
    const shade = shadowShade(band);
    let inDark = 0, inPlain = 0, outDark = 0, outPlain = 0;
    for (let y = 0; y < dark.height; y += 3) {
      for (let x = 0; x < dark.width; x += 3) {
        if (!inQuad(quad, x, y)) continue;
        const [u, v] = face(x + 0.5, y + 0.5);
        const k = shade(u, v);
        const i = y * dark.width + x;
        if (k <= 1 - band.depth + 0.01) {
          inDark += luma(dark, i);
          inPlain += luma(plain, i);
        } else if (k >= 0.999) {
          outDark += luma(dark, i);
          outPlain += luma(plain, i);
        }
      }
    }
    expect(inPlain).toBeGreaterThan(0);
    expect(inDark / inPlain).toBeLessThanOrEqual(0.65);
    expect(Math.abs(outDark / outPlain - 1)).toBeLessThan(0.02);
  });

  it('shadow: across a corpus of backs, about half of the bands lie over the MRZ rows', async () => {
    const over = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const fx = createRng(`band-${i}`);
        return import('../src/synth/marks.ts').then((m) => m.drawShadowBand(fx, CARD_WIDTH, CARD_HEIGHT).overMrz);
      }),
    );
    expect(over.filter(Boolean).length).toBeGreaterThanOrEqual(6);
    expect(over.filter((o) => !o).length).toBeGreaterThanOrEqual(6);
  });

  it('perspective: the card plane tilts ≥ 25° and its outline shows it (opposite edges differ)', async () => {
    const s = await shot('perspective');
    expect(s.meta!.tiltDeg).toBeGreaterThanOrEqual(25);
    const q = s.meta!.quad!;
    const len = (a: number, b: number): number => Math.hypot((q[a]?.[0] ?? 0) - (q[b]?.[0] ?? 0), (q[a]?.[1] ?? 0) - (q[b]?.[1] ?? 0));
    const ratio = Math.max(len(0, 1) / len(3, 2), len(3, 2) / len(0, 1), len(1, 2) / len(0, 3), len(0, 3) / len(1, 2));
    expect(ratio).toBeGreaterThan(1.12);
    const plain = await shot('photo');
    expect(plain.meta).toBeUndefined();
    expect(s.meta!.tiltDeg).toBeLessThanOrEqual(35.5);
  });

  it('finger: a skin-coloured shape covers one corner and nothing else changes', async () => {
    const s = await shot('finger');
    const [a, b] = [await rgb(s.data), await rgb((await shot('photo')).data)];
    const f = s.meta!.finger!;
    const corner = s.meta!.quad![f.corner]!;
    let changed = 0, near = 0, warm = 0;
    for (let i = 0; i < a.width * a.height; i++) {
      const d = Math.abs(luma(a, i) - luma(b, i));
      if (d < 40) continue;
      changed++;
      const x = i % a.width;
      const y = Math.floor(i / a.width);
      if (Math.hypot(x - corner[0], y - corner[1]) < 0.45 * s.meta!.cardPx!) near++;
      if ((a.data[i * 3] ?? 0) > (a.data[i * 3 + 2] ?? 0)) warm++;
    }
    expect(changed).toBeGreaterThan(5000);
    expect(near / changed).toBeGreaterThan(0.9);
    expect(warm / changed).toBeGreaterThan(0.9);
  });

  it('sheen: a coloured film over the print changes the colours of the card, not just its brightness', async () => {
    const s = await shot('sheen');
    const quad = s.meta!.quad!;
    const [shiny, plain] = [await rgb(s.data), await rgb((await shot('photo')).data)];
    let shift = 0, n = 0;
    for (let y = 0; y < shiny.height; y += 2) {
      for (let x = 0; x < shiny.width; x += 2) {
        const i = y * shiny.width + x;
        if (!inQuad(quad, x, y) || luma(shiny, i) > 245) continue; // burnt out by the glare: no colour left
        const [r1, g1, b1] = [shiny.data[i * 3] ?? 0, shiny.data[i * 3 + 1] ?? 0, shiny.data[i * 3 + 2] ?? 0];
        const [r0, g0, b0] = [plain.data[i * 3] ?? 0, plain.data[i * 3 + 1] ?? 0, plain.data[i * 3 + 2] ?? 0];
        shift += Math.abs(r1 - g1 - (r0 - g0)) + Math.abs(b1 - g1 - (b0 - g0));
        n++;
      }
    }
    expect(shift / n).toBeGreaterThan(20);
    // And a heavy glare: part of the card is washed out to white.
    let burnt = 0;
    for (let i = 0; i < shiny.width * shiny.height; i++) if (luma(shiny, i) > 250 && luma(plain, i) < 235) burnt++;
    expect(burnt).toBeGreaterThan(2000);
  });

  it('worn: the ink is lighter (lower contrast) than the same capture unworn', async () => {
    const s = await shot('worn');
    const base = s.meta!.wear!.base;
    const [worn, plain] = [await rgb(s.data), await rgb((await shot(base)).data)];
    // A photo's desk is the same in both: only the card's pixels count.
    const quad = s.meta!.quad;
    const darkest = (p: Pixels): number => {
      const l: number[] = [];
      for (let i = 0; i < p.width * p.height; i++) if (!quad || inQuad(quad, i % p.width, Math.floor(i / p.width))) l.push(luma(p, i));
      l.sort((x, y) => x - y);
      return l[Math.floor(l.length * 0.01)] ?? 0;
    };
    expect(darkest(worn) - darkest(plain)).toBeGreaterThan(15);
  });

  it('motion: edges along the smear fade far more than across it', async () => {
    const s = await shot('motion');
    const a = (s.meta!.motion!.angleDeg * Math.PI) / 180;
    // Steps of 4 px: longer than the sensor noise's grain, shorter than the smear.
    const along: [number, number] = [Math.round(4 * Math.cos(a)), Math.round(4 * Math.sin(a))];
    const across: [number, number] = [Math.round(-4 * Math.sin(a)), Math.round(4 * Math.cos(a))];
    const quad = s.meta!.quad!;
    const [m, p] = [await rgb(s.data), await rgb((await shot('photo')).data)];
    const ratioMotion = edgeEnergy(m, quad, ...along) / edgeEnergy(m, quad, ...across);
    const ratioPlain = edgeEnergy(p, quad, ...along) / edgeEnergy(p, quad, ...across);
    expect(ratioMotion).toBeLessThan(0.85 * ratioPlain);
  });

  it('moire: the screen grid leaves colour fringes: far more pixel-to-pixel colour change than a photo', async () => {
    const fringe = (p: Pixels): number => {
      let s = 0;
      for (let i = 0; i < p.width * p.height - 1; i += 3) {
        const d0 = (p.data[i * 3] ?? 0) - (p.data[i * 3 + 1] ?? 0);
        const d1 = (p.data[(i + 1) * 3] ?? 0) - (p.data[(i + 1) * 3 + 1] ?? 0);
        s += Math.abs(d0 - d1);
      }
      return s;
    };
    const s = await shot('moire');
    expect(fringe(await rgb(s.data))).toBeGreaterThan(2 * fringe(await rgb((await shot('photo')).data)));
  });
});
