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

/** A point in pixels of the image the result refers to. */
export interface OcrPoint {
  readonly x: number;
  readonly y: number;
}

export interface OcrWord {
  readonly text: string;
  /** 0–100. */
  readonly confidence: number;
  readonly bbox: BBox;
  /** The text's corners, from its own top-left clockwise, when the engine gives them (Textract): tilted text keeps its shape. */
  readonly polygon?: readonly OcrPoint[];
}

export interface OcrLine {
  readonly text: string;
  readonly confidence: number;
  readonly bbox: BBox;
  readonly words: readonly OcrWord[];
  readonly polygon?: readonly OcrPoint[];
}

export interface OcrResult {
  readonly text: string;
  readonly lines: readonly OcrLine[];
  /** Size of the image the boxes refer to. */
  readonly width: number;
  readonly height: number;
  /** Mean word confidence, 0–100. */
  readonly confidence: number;
  /**
   * Which way the text runs in the image, in degrees clockwise from left-to-right (90: running
   * downwards, 180: upside down, -5 or 355: tilted up by 5°), when the engine can tell from its
   * own geometry (Textract: the direction of its LINE polygons). The boxes above stay in the
   * frame of the image as sent; engines that cannot tell leave this out.
   */
  readonly textAngle?: number;
}

/** What the caller wants read; engines map it to their own settings where they can. */
/** An image as one channel of grey, row-major, a byte per pixel. */
export interface GreyImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

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
  /**
   * Recognise only this many of the lines found, the longest along their text: a caller after
   * one long structure (the MRZ's three lines) spares recognising the rest of the page. Engines
   * that cannot choose which lines they read ignore it.
   */
  readonly longest?: number;
  readonly signal?: AbortSignal;
}

/**
 * How the reader may spend engine calls. `local`: calls cost CPU only, so the reader tries
 * orientations and re-reads hard zones (the MRZ band, CURP, clave) with a restricted charset.
 * `cloud`: every call is billed (Textract: per page), the charset cannot be restricted and the
 * engine reports text direction: the reader makes one call per side and works from its geometry.
 */
export type EngineProfile = 'local' | 'cloud';

/** What an engine has spent so far (cloud engines: what the bill is made of). */
export interface EngineUsage {
  /** Engine operations requested (a call the SDK retried counts once). */
  readonly calls: number;
  /** Calls that returned a result: what the provider bills (Textract: one page each). */
  readonly billed: number;
  /** HTTP requests sent, the SDK's retries included. */
  readonly requests?: number;
}

export interface OcrEngine {
  readonly name: string;
  readonly profile: EngineProfile;
  /**
   * image: an encoded PNG/JPEG, already oriented and preprocessed for a local engine; a cloud
   * engine gets the side as found (straightened if possible) and reports textAngle instead.
   */
  recognize(image: Buffer, options: RecognizeOptions): Promise<OcrResult>;
  /**
   * The same from grey pixels, for an engine that reads pixels itself (PaddleOCR): the reader
   * then skips encoding a PNG the engine would only decode again (~50 + 50 ms a page).
   */
  recognizePixels?(image: GreyImage, options: RecognizeOptions): Promise<OcrResult>;
  /** Calls made so far (cloud engines). */
  usage?(): EngineUsage;
  close(): Promise<void>;
}
