/**
 * Capture quality of one side, so a back-office user knows when to ask for a new photo:
 * whether the card's outline was found, how many pixels the card has, how sharp its edges
 * are and how much of it is washed out by glare. Measured on the card itself (the
 * straightened card when it was found, else the whole image) at a fixed working width, so
 * the figures compare across inputs.
 */
import sharp from 'sharp';
import type { Raster } from './image.ts';

export type QualityProblem = 'blurry' | 'glare' | 'low-resolution';

export interface SideQuality {
  /** A card outline was found in the image (a photo); false for a scan that is the card already. */
  readonly cardFound: boolean;
  /** The card's long edge in the input image, in pixels (the image's, when no outline was found). */
  readonly cardPixels: number;
  /**
   * Edge sharpness, 0–1: the steepest intensity steps over the image's contrast, at a card
   * width of 1000 px. A crisp scan gives ~0.45–0.6, a phone photo ~0.3–0.5; print blurred
   * past reading its small labels, under 0.2.
   */
  readonly sharpness: number;
  /** Share of the card clipped to white (glare, overexposure), 0–1. */
  readonly glare: number;
  /** `poor`: at least one problem likely to cost fields; ask for a new capture. */
  readonly verdict: 'good' | 'poor';
  readonly problems: readonly QualityProblem[];
}

/** Below these, a side is reported poor. Chosen from the eval corpus (see README, Quality). */
export const QUALITY_LIMITS = {
  /** Card long edge, px: under ~170 dpi the small print is lost. */
  minCardPixels: 560,
  minSharpness: 0.2,
  maxGlare: 0.05,
} as const;

const WORK_WIDTH = 1000;

/**
 * @param card the card (straightened) or the whole image when no card was found
 * @param cardPixels the card's long edge in the input image
 */
export async function measureQuality(card: Raster, cardFound: boolean, cardPixels: number): Promise<SideQuality> {
  const long = Math.max(card.width, card.height);
  const scale = WORK_WIDTH / long;
  const { data, info } = await sharp(card.data, { raw: { width: card.width, height: card.height, channels: 1 } })
    .resize(Math.max(1, Math.round(card.width * scale)), Math.max(1, Math.round(card.height * scale)), { kernel: long > WORK_WIDTH ? 'lanczos3' : 'cubic' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  // Skip a border: the card's rounded corners and the warp's replicated edge; without an
  // outline (a scan), the platen margin around the card too.
  const m = Math.round((cardFound ? 0.03 : 0.07) * Math.min(w, h));
  const hist = new Uint32Array(256);
  const grad = new Uint32Array(256 * 2 + 1);
  let n = 0;
  for (let y = m; y < h - m; y++) {
    for (let x = m; x < w - m; x++) {
      const i = y * w + x;
      hist[data[i]!]!++;
      n++;
      const gx = Math.abs(data[i + 1]! - data[i - 1]!);
      const gy = Math.abs(data[i + w]! - data[i - w]!);
      grad[Math.max(gx, gy)]!++;
    }
  }
  const lo = percentile(hist, n, 0.02);
  const hi = percentile(hist, n, 0.98);
  const contrast = Math.max(16, hi - lo);
  // Central differences: a one-pixel step of contrast C gives C; a blurred one, less.
  const steep = percentile(grad, n, 0.998);
  const sharpness = round3(Math.min(1, steep / (2 * contrast)));
  // Glare: patches washed out to white, well above the card's own background (the median).
  // Counted in 20 px tiles that are (nearly) all clipped, so white printed on the card (a QR
  // code's quiet zone, a white box around dark print) is not glare; a card printed or lit
  // near-white overall is not either.
  const background = percentile(hist, n, 0.5);
  const glareLevel = Math.max(248, background + 20);
  const glare = round3(washedOutShare(data, w, h, m, glareLevel));
  const problems: QualityProblem[] = [];
  if (sharpness < QUALITY_LIMITS.minSharpness) problems.push('blurry');
  if (glare > QUALITY_LIMITS.maxGlare) problems.push('glare');
  if (cardPixels < QUALITY_LIMITS.minCardPixels) problems.push('low-resolution');
  return { cardFound, cardPixels: Math.round(cardPixels), sharpness, glare, verdict: problems.length > 0 ? 'poor' : 'good', problems };
}

function washedOutShare(data: Buffer, w: number, h: number, margin: number, level: number): number {
  const T = 20;
  let tiles = 0;
  let washed = 0;
  for (let ty = margin; ty + T <= h - margin; ty += T) {
    for (let tx = margin; tx + T <= w - margin; tx += T) {
      tiles++;
      let bright = 0;
      for (let y = ty; y < ty + T; y++) for (let x = tx; x < tx + T; x++) if (data[y * w + x]! >= level) bright++;
      if (bright >= 0.95 * T * T) washed++;
    }
  }
  return tiles === 0 ? 0 : washed / tiles;
}

function percentile(hist: Uint32Array, n: number, p: number): number {
  const target = p * n;
  let acc = 0;
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v]!;
    if (acc >= target) return v;
  }
  return hist.length - 1;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** A plain sentence for a poor side, e.g. "the back image is blurry and has glare". */
export function describeProblems(side: 'front' | 'back', q: SideQuality): string {
  const words: Record<QualityProblem, string> = {
    blurry: `is blurry (sharpness ${q.sharpness.toFixed(2)}, below ${QUALITY_LIMITS.minSharpness})`,
    glare: `has glare over ${(q.glare * 100).toFixed(0)}% of the card`,
    'low-resolution': `has too few pixels (card ${q.cardPixels} px across, under ${QUALITY_LIMITS.minCardPixels})`,
  };
  const parts = q.problems.map((p) => words[p]);
  const list = parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `the ${side} image ${list}`;
}

/** The record's cell: `good` or `poor: <problems>`, then the measures. */
export function formatQuality(q: SideQuality): string {
  const head = q.verdict === 'good' ? 'good' : `poor: ${q.problems.join(', ')}`;
  return `${head}; sharpness ${q.sharpness.toFixed(2)}, glare ${q.glare.toFixed(2)}, card ${q.cardPixels} px, outline ${q.cardFound ? 'found' : 'not found'}`;
}
