/**
 * Text-line recognition (PP-OCRv4 SVTR_LCNet): crops sorted by aspect ratio and read in
 * batches, each batch padded to its widest crop and to at least 320 px (rec_image_shape
 * 3,48,320, PaddleOCR's predict_rec), giving per line the softmax over the classes at every
 * time step and where each step falls in the crop.
 */
import type { LineProbs } from './ctc.ts';
import { lineTensor, type Rgb } from './pixels.ts';
import type { Model } from './sessions.ts';

export const REC_HEIGHT = 48;

export interface RecLine {
  readonly probs: LineProbs;
  /** Fraction of the crop's width one time step covers: step t is centred at (t + 0.5) × stepU. */
  readonly stepU: number;
}

/** `minWidth`: the narrowest input (px; PaddleOCR pads to 320), each crop padded up to it. */
export async function recognise(model: Model, crops: readonly Rgb[], batchSize: number, minWidth: number): Promise<RecLine[]> {
  const order = crops.map((c, i) => ({ i, ratio: c.width / c.height })).sort((a, b) => a.ratio - b.ratio);
  const out = new Array<RecLine>(crops.length);
  for (let s = 0; s < order.length; s += batchSize) {
    const batch = order.slice(s, s + batchSize);
    const maxRatio = Math.max(minWidth / REC_HEIGHT, ...batch.map((b) => b.ratio));
    // Multiples of 8: the recogniser's time step is 8 input px wide.
    const width = Math.max(8, Math.ceil((REC_HEIGHT * maxRatio) / 8) * 8);
    const { data, widths } = lineTensor(
      batch.map((b) => crops[b.i]!),
      REC_HEIGHT,
      width,
    );
    const res = await model.run(data, [batch.length, 3, REC_HEIGHT, width]);
    const [, steps = 0, classes = 0] = res.dims;
    batch.forEach((b, k) => {
      const size = steps * classes;
      out[b.i] = {
        probs: { data: res.data.subarray(k * size, (k + 1) * size), steps, classes },
        // The model sees the crop over its resized width of the padded width: a step covers
        // width/steps input px, i.e. (width/steps)/resizedWidth of the crop.
        stepU: width / steps / widths[k]!,
      };
    });
  }
  return out;
}
