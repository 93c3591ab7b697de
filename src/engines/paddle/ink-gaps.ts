/**
 * The blank space between neighbouring characters of a line crop, measured in the crop's own
 * pixels: the widest run of columns without ink between two characters' centres. The
 * recogniser places characters only to a time step (8 px of its 48-px-high input, a third
 * of a character's width on small print), too coarse to tell a space from letter spacing;
 * the crop's columns tell them apart to the pixel.
 */
import type { Rgb } from './pixels.ts';

/** Rows of the crop looked at: the detector's box has a margin above and below the text, where a neighbour's descenders may reach. */
const BAND = { top: 0.1, bottom: 0.9 } as const;

/**
 * Which columns hold ink: a pixel is ink when darker than midway between the crop's 5th and
 * 95th grey percentiles (dark print on a lighter card, whatever the lighting).
 */
export function inkColumns(crop: Rgb): Uint8Array {
  const n = crop.width * crop.height;
  const grey = new Uint8Array(n);
  const hist = new Array<number>(256).fill(0);
  for (let i = 0; i < n; i++) {
    const g = Math.round((crop.data[3 * i]! + crop.data[3 * i + 1]! + crop.data[3 * i + 2]!) / 3);
    grey[i] = g;
    hist[g]!++;
  }
  const level = (share: number): number => {
    let acc = 0;
    for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= share * n) return v;
    return 255;
  };
  const threshold = (level(0.05) + level(0.95)) / 2;
  const out = new Uint8Array(crop.width);
  const y0 = Math.floor(crop.height * BAND.top);
  const y1 = Math.ceil(crop.height * BAND.bottom);
  for (let x = 0; x < crop.width; x++) {
    for (let y = y0; y < y1; y++) {
      if (grey[y * crop.width + x]! < threshold) {
        out[x] = 1;
        break;
      }
    }
  }
  return out;
}

/** For each position after the first (fractions 0–1 of the width), the widest blank run (px) since the one before. */
export function blankRuns(ink: Uint8Array, positions: readonly number[]): number[] {
  const out: number[] = [0];
  for (let i = 1; i < positions.length; i++) {
    const a = Math.max(0, Math.round(positions[i - 1]! * ink.length));
    const b = Math.min(ink.length, Math.round(positions[i]! * ink.length));
    let run = 0;
    let best = 0;
    for (let x = a; x < b; x++) {
      run = ink[x] ? 0 : run + 1;
      best = Math.max(best, run);
    }
    out.push(best);
  }
  return out;
}
