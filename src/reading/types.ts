/**
 * What reading one side of a card gives, and the one shape every reading strategy has: read an
 * image as a front, read it as a back. A strategy decides which engine reads what, in which
 * orientation, and what to re-read while its checks fail; the reader (src/pipeline/reader.ts)
 * decides which image is which side and turns the readings into a record.
 */
import type { OcrResult } from '../engines/types.ts';
import type { BackReading } from '../extract/back.ts';
import type { FrontReading } from '../extract/front.ts';
import type { DecodedRaster, Raster, Rotation } from '../pipeline/image.ts';
import type { Point } from '../pipeline/locate.ts';
import type { SideQuality } from '../pipeline/quality.ts';
import type { SideGeometry } from './geometry.ts';

/** What the reader learnt about one side, for diagnostics and the eval. */
export interface SideTrace {
  rotation: Rotation;
  ocrCalls: number;
  textChars: number;
  /** A card outline was found and the image straightened before reading. */
  cardFound?: boolean;
  /** Capture quality of this side. */
  quality?: SideQuality;
  /** Front: the card photo's corners (TL, TR, BR, BL of the upright photo) in input-image px. */
  faceRegion?: Point[];
  /** The OCR results the extraction used (kept only when asked, for golden fixtures). */
  pages?: OcrResult[];
  /** The OCR results whose readings were kept (when pages are kept): for the back, all MRZ band reads combined. */
  chosen?: OcrResult[];
  /** Hybrid: why this side was sent to the cloud engine (its local reading failed validation). */
  escalated?: string;
}

export function newTrace(keepPages = false): SideTrace {
  return keepPages ? { rotation: 0, ocrCalls: 0, textChars: 0, pages: [] } : { rotation: 0, ocrCalls: 0, textChars: 0 };
}

/** One side as read: the reading, and the upright image and page it came from. */
export interface SideRead<R> {
  readonly reading: R;
  /** The first full reading of the side, upright: what tells which side an image is. */
  readonly page: OcrResult;
  /** The upright image the reading's boxes refer to. */
  readonly upright: Raster;
  /** How that image maps to the input image's pixels. */
  readonly geometry: SideGeometry;
}

export type FrontRead = SideRead<FrontReading>;
export type BackRead = SideRead<BackReading>;

/**
 * A way of reading card sides. Reading the same raster twice (as a back, then as a front, when
 * the side was unknown) reuses what the first read made: no image is decoded or read twice
 * for the same purpose.
 */
export interface ReadingStrategy {
  readBack(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<BackRead>;
  readFront(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<FrontRead>;
}
