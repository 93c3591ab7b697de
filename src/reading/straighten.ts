/** A photo's card found and warped flat before reading (src/pipeline/locate.ts). */
import type { DecodedRaster, Raster } from '../pipeline/image.ts';
import { locateCard, rectify, type Quad } from '../pipeline/locate.ts';

export interface Straightened {
  /** The card warped flat, landscape, `width` px wide. */
  readonly flat: Raster;
  /** The card's corners in the raster it was found in. */
  readonly quad: Quad;
}

/** Pixels around the card's outline also taken from the input when it is warped from there. */
const REGION_MARGIN = 8;

/**
 * The card warped flat `width` px wide, when its outline is found; null otherwise (a scan is
 * the card already). A card narrower than `width` in a raster scaled down from its input is
 * warped from the input's own pixels of it (DecodedRaster.sourceRegion): a 500-px card in a
 * 2,800-px photo keeps its 500 px instead of the 360 the working raster has.
 */
export async function straighten(r: Raster | DecodedRaster, width: number): Promise<Straightened | null> {
  const loc = await locateCard(r);
  if (!loc) return null;
  const { quad } = loc;
  const decoded = 'sourceRegion' in r ? r : undefined;
  const region = decoded?.sourceRegion;
  const across = Math.max(Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y), Math.hypot(quad[2].x - quad[3].x, quad[2].y - quad[3].y));
  if (!region || across >= width) return { flat: await rectify(r, quad, width), quad };
  const xs = quad.map((p) => p.x);
  const ys = quad.map((p) => p.y);
  const left = Math.max(0, Math.floor(Math.min(...xs)) - REGION_MARGIN);
  const top = Math.max(0, Math.floor(Math.min(...ys)) - REGION_MARGIN);
  const box = { left, top, width: Math.min(r.width, Math.ceil(Math.max(...xs)) + REGION_MARGIN) - left, height: Math.min(r.height, Math.ceil(Math.max(...ys)) + REGION_MARGIN) - top };
  const source = await region(box);
  // The quad in the region's pixels: back to input px, then from where the region starts.
  const scale = decoded!.scale;
  const inRegion = quad.map((p) => ({ x: p.x / scale - source.left, y: p.y / scale - source.top })) as unknown as Quad;
  return { flat: await rectify(source, inRegion, width), quad };
}
