/**
 * Builds engine-neutral OCR results by hand for extractor tests: each item is a word (or a
 * run of words) at a position, laid out with a fixed character width.
 */
import type { OcrLine, OcrResult, OcrWord } from '../src/engines/types.ts';

export interface Placed {
  /** Left edge, in px. */
  readonly x: number;
  /** Top edge, in px. */
  readonly y: number;
  /** Space-separated words. */
  readonly text: string;
  /** Text height, px (default 20). */
  readonly h?: number;
  readonly confidence?: number;
}

export function ocrOf(items: readonly Placed[], size = { width: 1000, height: 640 }): OcrResult {
  const lines: OcrLine[] = items.map((it) => {
    const h = it.h ?? 20;
    const cw = h * 0.6;
    const words: OcrWord[] = [];
    let x = it.x;
    for (const w of it.text.split(' ').filter(Boolean)) {
      const x1 = x + w.length * cw;
      words.push({ text: w, confidence: it.confidence ?? 90, bbox: { x0: x, y0: it.y, x1, y1: it.y + h } });
      x = x1 + cw;
    }
    return {
      text: words.map((w) => w.text).join(' '),
      confidence: it.confidence ?? 90,
      bbox: { x0: it.x, y0: it.y, x1: x - cw, y1: it.y + h },
      words,
    };
  });
  return { text: lines.map((l) => l.text).join('\n'), lines, width: size.width, height: size.height, confidence: 90 };
}
