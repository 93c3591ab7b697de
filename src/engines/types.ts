/**
 * The OCR port. Every engine (tesseract.js, Textract) returns the same engine-neutral
 * result, so the extractor never knows which engine read the card.
 */

export interface BBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface OcrWord {
  readonly text: string;
  /** 0–100. */
  readonly confidence: number;
  readonly bbox: BBox;
}

export interface OcrLine {
  readonly text: string;
  readonly confidence: number;
  readonly bbox: BBox;
  readonly words: readonly OcrWord[];
}

export interface OcrResult {
  readonly text: string;
  readonly lines: readonly OcrLine[];
  /** Size of the image the boxes refer to. */
  readonly width: number;
  readonly height: number;
  /** Mean word confidence, 0–100. */
  readonly confidence: number;
}

/** What the caller wants read; engines map it to their own settings where they can. */
export interface RecognizeOptions {
  /** `block`: a uniform block of text (the MRZ band); `sparse`: scattered text (a card side). */
  readonly layout: 'auto' | 'block' | 'sparse' | 'line';
  /** Restrict the characters the engine may output (ignored by engines that cannot). */
  readonly charset?: string;
  /**
   * How the engine should separate ink from paper: `global` (default) one threshold for the
   * image; `local` by neighbourhood, for faint small print under uneven light (photos).
   * Engines that binarise on their own ignore it.
   */
  readonly binarise?: 'global' | 'local';
  readonly signal?: AbortSignal;
}

export interface OcrEngine {
  readonly name: string;
  /** image: an encoded PNG/JPEG, already oriented and preprocessed. */
  recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult>;
  close(): Promise<void>;
}
