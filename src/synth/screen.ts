/**
 * A photo of a card shown on a screen (someone photographs the scan on their monitor or
 * phone instead of sending the file). The camera sees the screen's pixel grid: each screen
 * pixel is three vertical R, G, B stripes with a dark gap between rows ("black matrix").
 * The camera's pixels are about as large as the screen's, so the two grids beat against
 * each other — the moiré fringes of every photographed screen.
 */

export interface ScreenSpec {
  /** Screen pixels per card pixel (< 1: the card is shown smaller than the texture). */
  readonly scale: number;
  /** Dark gap beside each sub-pixel stripe, as a fraction of a screen pixel. */
  readonly stripeGap: number;
  /** Dark gap below each row of pixels, as a fraction of a screen pixel. */
  readonly rowGap: number;
  /** The viewer's background around the card (RGB). */
  readonly background: readonly [number, number, number];
  /** The screen's black level (0–255): a lit LCD is never black. */
  readonly black: number;
  /**
   * How much of the sub-pixel structure survives the lens and the sensor's anti-aliasing
   * filter (0–1); the rest arrives as each screen pixel's plain colour.
   */
  readonly grid: number;
}

interface Texture {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

type Homography = readonly [number, number, number, number, number, number, number, number, number];

/** 2 × 2 samples per camera pixel: the sensor integrates over part of its area. */
const SUB = [0.3, 0.7] as const;

/** Colour of one screen pixel: the card's texel under it, over the viewer's background. */
function screenPixel(tex: Texture, spec: ScreenSpec, px: number, py: number, out: number[]): void {
  const tx = Math.floor((px + 0.5) / spec.scale);
  const ty = Math.floor((py + 0.5) / spec.scale);
  const inside = tx >= 0 && ty >= 0 && tx < tex.width && ty < tex.height;
  const j = (ty * tex.width + tx) * 4;
  const a = inside ? (tex.data[j + 3] ?? 0) / 255 : 0;
  for (let c = 0; c < 3; c++) {
    const v = (inside ? (tex.data[j + c] ?? 0) : 0) * a + (spec.background[c] ?? 0) * (1 - a);
    out[c] = spec.black + v * (1 - spec.black / 255);
  }
}

/** The frame filled by the screen: every camera pixel averages the lit sub-pixel stripes under it. */
export function sampleScreen(tex: Texture, H: Homography, fw: number, fh: number, spec: ScreenSpec) {
  const cover = new Float32Array(fw * fh).fill(1);
  const col = new Float32Array(fw * fh * 3);
  // Share of a screen pixel that one colour's stripe lights: dividing by it keeps the mean brightness.
  const share = (1 / 3 - 2 * spec.stripeGap) * (1 - spec.rowGap);
  const pixel = [0, 0, 0];
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const acc = [0, 0, 0];
      for (const oy of SUB) {
        for (const ox of SUB) {
          const px = x + ox;
          const py = y + oy;
          const wz = H[6] * px + H[7] * py + 1;
          const su = ((H[0] * px + H[1] * py + H[2]) / wz) * spec.scale;
          const sv = ((H[3] * px + H[4] * py + H[5]) / wz) * spec.scale;
          const cx = Math.floor(su);
          const cy = Math.floor(sv);
          screenPixel(tex, spec, cx, cy, pixel);
          const fx = su - cx;
          const lit = Math.min(2, Math.floor(fx * 3));
          const inStripe = fx - lit / 3;
          const onStripe = sv - cy <= 1 - spec.rowGap && inStripe >= spec.stripeGap && inStripe <= 1 / 3 - spec.stripeGap;
          for (let c = 0; c < 3; c++) {
            const structured = onStripe && c === lit ? (pixel[c] ?? 0) / share : 0;
            acc[c] = (acc[c] ?? 0) + spec.grid * structured + (1 - spec.grid) * (pixel[c] ?? 0);
          }
        }
      }
      const i = y * fw + x;
      for (let c = 0; c < 3; c++) col[i * 3 + c] = (acc[c] ?? 0) / SUB.length ** 2;
    }
  }
  return { cover, col, box: { minX: 0, maxX: fw - 1, minY: 0, maxY: fh - 1 } };
}
