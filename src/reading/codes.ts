/**
 * The front's two codes re-read closely when their reading fails its structure: the words the
 * code was read from (or the zone right of its label), cropped with a margin, enlarged and
 * read as one line of letters and digits. Two codes sit on neighbouring rows: a zone read must
 * not hand one code's text to the other.
 */
import type { BBox, OcrResult } from '../engines/types.ts';
import { parseClave } from '../extract/clave.ts';
import { parseCurp } from '../extract/curp.ts';
import { code18, type FrontReading } from '../extract/front.ts';
import { levenshtein } from '../extract/words.ts';
import { cropRaster, otsuThreshold, type EncodeOptions, type Raster } from '../pipeline/image.ts';

/** Reads one enlarged crop as a line of letters and digits. */
export type LineReader = (crop: Raster, encode: EncodeOptions) => Promise<OcrResult>;

/** The preprocessing tried, in order, until a reading passes: binarised, contrast-normalised, larger. */
function variants(scale: number, level: number): EncodeOptions[] {
  return [{ scale, threshold: level }, { scale, normalise: true }, { scale: scale * 1.4, threshold: level }];
}

/**
 * Re-reads the CURP and the clave where the first reading fails their structure. `readers`, in
 * order: with more than one, the first reads each zone once, the last with every preprocessing.
 */
export async function rereadCodes(reading: FrontReading, upright: Raster, readers: readonly LineReader[]): Promise<FrontReading> {
  let out = reading;
  const other = (v: string, code: string): boolean => code.length >= 17 && levenshtein(v.slice(0, 18), code.slice(0, 18)) <= 6;
  for (const [key, valid] of [
    ['curp', (v: string) => parseCurp(v.slice(0, 18)).valid && !other(v, out.clave)],
    ['clave', (v: string) => parseClave(v.slice(0, 18)).valid && !other(v, out.curp)],
  ] as const) {
    const zone = out.zones[key];
    if (!zone || valid(out[key])) continue;
    const better = await rereadCode(upright, zone, valid, readers);
    if (better) out = { ...out, [key]: better };
  }
  return out;
}

/** One line of letters and digits, cropped, enlarged and read alone; the first reading that passes. */
async function rereadCode(r: Raster, zone: BBox, valid: (v: string) => boolean, readers: readonly LineReader[]): Promise<string | undefined> {
  const h = zone.y1 - zone.y0;
  const crop = await cropRaster(r, { left: zone.x0 - 0.6 * h, top: zone.y0 - 0.35 * h, width: zone.x1 - zone.x0 + 1.2 * h, height: 1.7 * h });
  const scale = Math.min(3, Math.max(0.5, 36 / Math.max(8, h)));
  const all = variants(scale, otsuThreshold(crop));
  const attempts = readers.flatMap((read, i) => (i < readers.length - 1 ? [all[0]!] : all).map((v) => () => read(crop, v)));
  for (const attempt of attempts) {
    const page = await attempt();
    // The crop may hold the end of the label too: look for a window that passes.
    const text = code18(page.text) === undefined ? '' : page.text.toUpperCase().replace(/[^A-Z0-9]/g, '');
    for (let i = 0; i + 18 <= text.length && i <= 16; i++) {
      const code = text.slice(i, i + 18);
      if (valid(code)) return code;
    }
  }
  return undefined;
}
