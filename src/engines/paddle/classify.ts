/**
 * The text-line angle classifier (PP-OCR mobile v2.0 cls): is a line crop upside down?
 * Crops are resized to 48 px high and at most 192 wide (cls_image_shape 3,48,192), in batches;
 * the classes are 0° and 180° (PaddleOCR's label_list).
 */
import { lineTensor, type Rgb } from './pixels.ts';
import type { Model } from './sessions.ts';

export const CLS_HEIGHT = 48;
export const CLS_WIDTH = 192;

export interface Turn {
  /** The classifier's probability that the crop is upside down. */
  readonly p180: number;
}

export async function classify(model: Model, crops: readonly Rgb[], batchSize: number): Promise<Turn[]> {
  const out: Turn[] = [];
  for (let i = 0; i < crops.length; i += batchSize) {
    const batch = crops.slice(i, i + batchSize);
    const { data } = lineTensor(batch, CLS_HEIGHT, CLS_WIDTH);
    const res = await model.run(data, [batch.length, 3, CLS_HEIGHT, CLS_WIDTH]);
    for (let b = 0; b < batch.length; b++) out.push({ p180: res.data[2 * b + 1]! });
  }
  return out;
}
