/**
 * Seeded pseudo-random numbers for the synthetic card generator.
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand): 128-bit state, good
 * statistical quality, pure 32-bit integer arithmetic, so every platform yields the same
 * sequence and the same seed always writes byte-identical files.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
  /** Normal deviate (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** A string of n decimal digits (leading zeros allowed). */
  digits(n: number): string;
  /** An independent generator derived from this one and a label (stable under reordering of other draws). */
  fork(label: string): Rng;
  /**
   * An independent generator derived from this one's current state and a label, WITHOUT
   * advancing this one: extra draws (a hard capture's effects) that leave every later draw of
   * this generator, and so everything else in the image, exactly as it was.
   */
  derive(label: string): Rng;
  /** A 32-bit unsigned integer. */
  uint32(): number;
}

/** FNV-1a over a string: turns labels and seeds into 32-bit state words. */
function hash32(s: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  const s = String(seed);
  let a = hash32(s, 0x811c9dc5);
  let b = hash32(s, 0x9e3779b9);
  let c = hash32(s, 0x85ebca6b);
  let d = 1;

  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so that similar seeds diverge.
  for (let i = 0; i < 15; i++) uint32();

  const next = (): number => uint32() / 4294967296;
  let spare: number | undefined;

  const rng: Rng = {
    next,
    uint32,
    float: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (p) => next() < p,
    normal(mean = 0, sd = 1) {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return mean + sd * v;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    digits(n) {
      let out = '';
      for (let i = 0; i < n; i++) out += String(Math.floor(next() * 10));
      return out;
    },
    fork(label) {
      return createRng(`${uint32()}:${label}`);
    },
    derive(label) {
      return createRng(`${a >>> 0}.${b >>> 0}.${c >>> 0}.${d >>> 0}:${label}`);
    },
  };
  return rng;
}
