/**
 * The paddle engine's DB post-processing (PaddleOCR's DBPostProcess) on a recorded map: the
 * PP-OCRv4 detector's probability map of a crop of samples/card-02_front.jpg (the DOMICILIO
 * block: the label and three address lines; recorded by scripts/paddle-fixtures.ts), and on
 * maps drawn here whose boxes are known exactly.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dbBoxes, DB_DEFAULTS, type ProbMap } from '../src/engines/paddle/db-postprocess.ts';
import { detInputSize } from '../src/engines/paddle/detect.ts';
import { quadSize, readingOrder, type Quad } from '../src/engines/paddle/geometry.ts';

/** The crop the map was recorded for (scripts/paddle-fixtures.ts DET_CROP): 480 × 140 px of the card. */
const CROP = { width: 480, height: 140 };

async function recordedMap(): Promise<ProbMap> {
  const { data, info } = await sharp(readFileSync('test/fixtures/paddle/det-address.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data, (v) => v / 255), width: info.width, height: info.height };
}

/** A blank map with rectangles of a given probability (axis-aligned, map px). */
function drawnMap(width: number, height: number, rects: { x: number; y: number; w: number; h: number; p: number }[]): ProbMap {
  const data = new Float32Array(width * height);
  for (const r of rects) {
    for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) data[y * width + x] = r.p;
  }
  return { data, width, height };
}

const tilt = (q: Quad): number => (Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180) / Math.PI;

describe('DB post-processing on a recorded PP-OCRv4 map', () => {
  it('was recorded at the detector input size for the crop', async () => {
    const map = await recordedMap();
    expect({ width: map.width, height: map.height }).toEqual(detInputSize(CROP.width, CROP.height, 960));
  });

  it('finds the label and the three address lines, in reading order, where they are printed', async () => {
    const boxes = readingOrder(await dbBoxes(await recordedMap(), CROP));
    expect(boxes).toHaveLength(4);
    // Where the ink is in the crop (measured on its pixels: left and right edge, top and
    // bottom of the text at its left end), px; boxes are unclipped around the text by a few px.
    const printed = [
      { text: 'DOMICILIO', x0: 14, y0: 12, y1: 24, x1: 92 },
      { text: 'CALLE DEL TRABAJO 433 B', x0: 15, y0: 36, y1: 56, x1: 418 },
      { text: 'COL VILLAS DEL SOL 22892', x0: 17, y0: 68, y1: 87, x1: 434 },
      { text: 'TIJUANA, B.C.', x0: 14, y0: 100, y1: 125, x1: 219 },
    ];
    boxes.forEach((b, i) => {
      const want = printed[i]!;
      const [tl, tr, , bl] = b.quad;
      expect(tl.x).toBeGreaterThan(want.x0 - 8);
      expect(tl.x).toBeLessThan(want.x0 + 2);
      expect(tr.x).toBeGreaterThan(want.x1 - 2);
      expect(tr.x).toBeLessThan(want.x1 + 8);
      expect(tl.y).toBeLessThan(want.y0 + 1);
      expect(tl.y).toBeGreaterThan(want.y0 - 8);
      expect(bl.y).toBeGreaterThan(want.y1 - 1);
      expect(bl.y).toBeLessThan(want.y1 + 8);
      expect(b.score).toBeGreaterThanOrEqual(DB_DEFAULTS.boxThresh);
    });
  });

  it('keeps the card tilt: every line rises by the same small angle', async () => {
    const boxes = await dbBoxes(await recordedMap(), CROP);
    // The three address lines (the label is too short to measure a tilt on).
    const tilts = boxes.filter((b) => quadSize(b.quad).width > 150).map((b) => tilt(b.quad));
    expect(tilts).toHaveLength(3);
    for (const t of tilts) {
      expect(t).toBeLessThan(-0.4);
      expect(t).toBeGreaterThan(-1.5);
    }
    expect(Math.max(...tilts) - Math.min(...tilts)).toBeLessThan(0.3);
  });
});

describe('DB post-processing on drawn maps', () => {
  it('grows a region by the unclip offset d = area × 1.5 / perimeter on every side, and scales it to the image', async () => {
    // Pixels 40–139 × 20–29: findContours traces pixel centres, so the region's rectangle is
    // 99 × 9 from (40, 20), and d = 99 × 9 × 1.5 / (2 × (99 + 9)) ≈ 6.19. The image is twice the map.
    const map = drawnMap(200, 60, [{ x: 40, y: 20, w: 100, h: 10, p: 0.9 }]);
    const [box, ...rest] = await dbBoxes(map, { width: 400, height: 120 });
    expect(rest).toHaveLength(0);
    const d = (99 * 9 * 1.5) / (2 * (99 + 9));
    expect(box!.score).toBeCloseTo(0.9, 5);
    expect(box!.quad[0].x).toBeCloseTo(2 * (40 - d), 3);
    expect(box!.quad[0].y).toBeCloseTo(2 * (20 - d), 3);
    expect(quadSize(box!.quad).width).toBeCloseTo(2 * (99 + 2 * d), 3);
    expect(quadSize(box!.quad).height).toBeCloseTo(2 * (9 + 2 * d), 3);
  });

  it('drops regions whose mean probability is under box_thresh, and specks', async () => {
    const map = drawnMap(200, 100, [
      { x: 10, y: 10, w: 80, h: 12, p: 0.9 },
      { x: 10, y: 40, w: 80, h: 12, p: 0.45 }, // above thresh 0.3, under box_thresh 0.6
      { x: 150, y: 70, w: 2, h: 2, p: 1 }, // shorter side under min_size
    ]);
    const boxes = await dbBoxes(map, { width: 200, height: 100 });
    expect(boxes).toHaveLength(1);
    expect(boxes[0]!.quad[0].y).toBeLessThan(10);
  });

  it('orders lines top to bottom, and boxes on one row left to right even when the right one starts higher', () => {
    const box = (x: number, y: number, w = 50, h = 20): { quad: Quad } => ({
      quad: [
        { x, y },
        { x: x + w, y },
        { x: x + w, y: y + h },
        { x, y: y + h },
      ],
    });
    const [a, b, c] = [box(10, 104), box(200, 100), box(10, 150)];
    expect(readingOrder([c, b, a])).toEqual([a, b, c]);
  });
});
