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

/** Grey levels' share taken as the dark (ink) and light (card) ends of a set of pixels. */
const INK_LEVEL = 0.05;
const CARD_LEVEL = 0.95;
/**
 * A window the line's threshold does not divide holds ink only when its dark and light ends are
 * this far apart: this share of the line's range, and at least MIN_CONTRAST grey levels (noise
 * on a blank stretch of card, JPEG ringing, a screen's moiré, the card's pattern stay below).
 */
const LOCAL_CONTRAST = 0.2;
const MIN_CONTRAST = 24;

/** The grey level below which `share` of a histogram's `count` pixels lie. */
function level(hist: Uint32Array, count: number, share: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= share * count) return v;
  return 255;
}

/**
 * Which columns hold ink: a pixel is ink when darker than midway between the dark and light
 * ends of the line (the crop's 5th and 95th grey percentiles) — or, where that threshold does
 * not divide the columns around it (a window about the crop's height either side: two or three
 * characters, all lighter than it under a glare or all darker under a shadow), midway between
 * that window's own ends. With the line's one threshold alone, print washed out under a glare
 * dropped out and left blanks wide enough to read as word breaks (hard eval, sheen: B L V D,
 * C O L S A N TA), and a shadowed stretch of card read as ink. Windows the line's threshold
 * divides keep it: a window's own threshold, on small pale labels, fills the narrow gaps
 * between their words (CLAVE DE ELECTOR read CLAVEDEELECTOR on the clean samples).
 */
export function inkColumns(crop: Rgb): Uint8Array {
  const { width, height } = crop;
  const y0 = Math.floor(height * BAND.top);
  const y1 = Math.max(y0 + 1, Math.ceil(height * BAND.bottom));
  const grey = new Uint8Array(width * height);
  const all = new Uint32Array(256);
  for (let i = 0; i < width * height; i++) {
    const g = Math.round((crop.data[3 * i]! + crop.data[3 * i + 1]! + crop.data[3 * i + 2]!) / 3);
    grey[i] = g;
    all[g]!++;
  }
  const lineDark = level(all, width * height, INK_LEVEL);
  const lineLight = level(all, width * height, CARD_LEVEL);
  const range = lineLight - lineDark;
  const lineThreshold = (lineDark + lineLight) / 2;
  const minContrast = Math.max(MIN_CONTRAST, LOCAL_CONTRAST * range);
  const half = Math.max(2, height);
  // A histogram of the band's pixels in columns [x - half, x + half], slid along the crop.
  const win = new Uint32Array(256);
  let count = 0;
  const column = (x: number, sign: 1 | -1): void => {
    if (x < 0 || x >= width) return;
    for (let y = y0; y < y1; y++) win[grey[y * width + x]!]! += sign;
    count += sign * (y1 - y0);
  };
  for (let x = 0; x < half; x++) column(x, 1);
  const out = new Uint8Array(width);
  for (let x = 0; x < width; x++) {
    column(x + half, 1);
    column(x - half - 1, -1);
    const dark = level(win, count, INK_LEVEL);
    const light = level(win, count, CARD_LEVEL);
    let threshold = lineThreshold;
    if (dark >= lineThreshold || light < lineThreshold) {
      if (light - dark < minContrast) continue;
      threshold = (dark + light) / 2;
    }
    for (let y = y0; y < y1; y++) {
      if (grey[y * width + x]! < threshold) {
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
