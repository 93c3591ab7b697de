/**
 * Reading with a cloud engine (Textract): one billed call per image, the page turned upright
 * from the direction the engine reports (src/pipeline/cloud.ts), no re-reads.
 */
import { extractBack } from '../extract/back.ts';
import { extractFront } from '../extract/front.ts';
import type { CloudRead, CloudSides } from '../pipeline/cloud.ts';
import { rotateRaster, type DecodedRaster } from '../pipeline/image.ts';
import { CLOUD_CARD_WIDTH } from '../pipeline/cloud.ts';
import type { SideGeometry } from './geometry.ts';
import type { BackRead, FrontRead, ReadingStrategy, SideRead, SideTrace } from './types.ts';

export class CloudPlan implements ReadingStrategy {
  constructor(readonly sides: CloudSides) {}

  async readBack(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<BackRead> {
    const read = await this.sides.read(raster, trace, signal);
    return sideRead(raster, read, extractBack(read.page));
  }

  async readFront(raster: DecodedRaster, trace: SideTrace, signal?: AbortSignal): Promise<FrontRead> {
    const read = await this.sides.read(raster, trace, signal);
    return sideRead(raster, read, extractFront(read.page));
  }
}

/** A cloud read as a side read: the frame turned a quarter (a small tilt the page was levelled by is not in the geometry). */
export async function sideRead<R>(raster: DecodedRaster, read: CloudRead, reading: R): Promise<SideRead<R>> {
  const geometry: SideGeometry = {
    rotation: read.rotation,
    width: read.frame.width,
    height: read.frame.height,
    scale: raster.scale,
    ...(read.quad ? { warp: { quad: read.quad, flatWidth: CLOUD_CARD_WIDTH } } : {}),
  };
  return { reading, page: read.page, upright: await rotateRaster(read.frame, read.rotation), geometry };
}
