/**
 * Simulates how a card image reaches the product: a flatbed scan (scan.ts), a phone photo on
 * a desk (photo.ts), a small low-resolution scan, a scan saved sideways / upside down, and on
 * request the captures that make reading hard (hard.ts).
 *
 * Every random choice comes from the given Rng, so output is deterministic in it.
 */
import sharp from 'sharp';
import type { Captured, CaptureOptions } from './captured.ts';
import { HARD_CONDITIONS, hardCapture, type HardCondition } from './hard.ts';
import { photo } from './photo.ts';
import type { Rng } from './rng.ts';
import { encodeScan, scan, scanDpi } from './scan.ts';

export type { Captured, CaptureMeta, CaptureOptions } from './captured.ts';
export { HARD_CONDITIONS, type HardCondition } from './hard.ts';

/** The conditions a corpus cycles through by default (kept as they are so seeds stay comparable). */
export const CONDITIONS = ['scan', 'photo', 'lowres', 'rot90', 'rot180'] as const;
/**
 * Captures a back office should send back, generated only on request (`--conditions glare,blur`):
 * a phone photo with a specular highlight that burns the print out, and one out of focus.
 * They exercise the quality verdict; their accuracy is not a target.
 */
export const SEND_BACK_CONDITIONS = ['glare', 'blur'] as const;
export type Condition = (typeof CONDITIONS)[number] | (typeof SEND_BACK_CONDITIONS)[number] | HardCondition;

export const ALL_CONDITIONS: readonly Condition[] = [...CONDITIONS, ...SEND_BACK_CONDITIONS, ...HARD_CONDITIONS];

/** Names that stand for a group in `--conditions`: `regular` (the default cycle), `hard` (every hard capture). */
export const CONDITION_GROUPS: Readonly<Record<string, readonly Condition[]>> = {
  regular: CONDITIONS,
  hard: HARD_CONDITIONS,
};

export function isCondition(s: string): s is Condition {
  return (ALL_CONDITIONS as readonly string[]).includes(s);
}

/** `scan,hard` → the conditions named, groups expanded, in order, without repeats; unknown names listed. */
export function expandConditions(spec: string): { conditions: Condition[]; unknown: string[] } {
  const conditions: Condition[] = [];
  const unknown: string[] = [];
  for (const name of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const group = CONDITION_GROUPS[name] ?? (isCondition(name) ? [name] : undefined);
    if (!group) unknown.push(name);
    for (const c of group ?? []) if (!conditions.includes(c)) conditions.push(c);
  }
  return { conditions, unknown };
}

const isHard = (c: Condition): c is HardCondition => (HARD_CONDITIONS as readonly string[]).includes(c);

export async function capture(png: Buffer, condition: Condition, rng: Rng, opts: CaptureOptions = {}): Promise<Captured> {
  // The hard part's draws: a stream derived from rng's state without advancing it.
  if (isHard(condition)) return hardCapture(png, condition, rng, rng.derive(`hard:${condition}`), opts);
  switch (condition) {
    case 'scan':
      return encodeScan(await scan(png, rng, rng.int(1000, 1300)), rng, opts);
    case 'lowres': {
      const base = await scan(png, rng, rng.int(650, 750));
      const density = await scanDpi(base);
      return { data: await sharp(base).withMetadata({ density }).jpeg({ quality: rng.int(70, 90) }).toBuffer(), ext: 'jpg' };
    }
    case 'rot90': {
      const base = await scan(png, rng, rng.int(1000, 1300));
      const rotated = await sharp(base).rotate(rng.chance(0.5) ? 90 : 270).png().toBuffer();
      return encodeScan(rotated, rng, opts);
    }
    case 'rot180': {
      const base = await scan(png, rng, rng.int(1000, 1300));
      const rotated = await sharp(base).rotate(180).png().toBuffer();
      return encodeScan(rotated, rng, opts);
    }
    case 'photo':
      return { data: (await photo(png, rng)).data, ext: 'jpg' };
    case 'glare':
      return { data: (await photo(png, rng, { glare: 'burn' })).data, ext: 'jpg' };
    case 'blur':
      return { data: (await photo(png, rng, { blurScale: 3 })).data, ext: 'jpg' };
  }
}
