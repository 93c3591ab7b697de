/** A photo's card found and warped flat before reading (src/pipeline/locate.ts). */
import type { Raster } from '../pipeline/image.ts';
import { locateCard, rectify, type Quad } from '../pipeline/locate.ts';

export interface Straightened {
  /** The card warped flat, landscape, `width` px wide. */
  readonly flat: Raster;
  /** The card's corners in the raster it was found in. */
  readonly quad: Quad;
}

/** The card warped flat `width` px wide, when its outline is found; null otherwise (a scan is the card already). */
export async function straighten(r: Raster, width: number): Promise<Straightened | null> {
  const loc = await locateCard(r);
  return loc ? { flat: await rectify(r, loc.quad, width), quad: loc.quad } : null;
}
