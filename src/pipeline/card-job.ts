/**
 * One planned card read by a CardReader, wherever its images are: local paths (the reader
 * reads the files) or `s3://` URIs (fetched here, then read from memory with the same checks).
 * Batch runs and queue workers read cards through this one function. Never throws for a card:
 * a failure is the record's INOCR code; only a run-level RunError goes up.
 */
import { toInocrError, UsageError } from '../errors.ts';
import { isS3Uri, type S3Images } from '../io/s3.ts';
import { newRecord, type CardRecord } from '../record.ts';
import type { Job } from './batch.ts';
import { readImageFile } from './image.ts';
import type { CardReader, ImageBytes } from './reader.ts';

/** A card that needs OCR (not a row decided while planning). */
export type OcrJob = Exclude<Job, { readonly kind: 'row' }>;

export interface CardJobContext {
  readonly reader: CardReader;
  /** Reads `s3://` images; without it such an image is "not found". */
  readonly s3?: S3Images;
  readonly maxBytes: number;
}

export async function readCardJob(job: OcrJob, ctx: CardJobContext): Promise<CardRecord> {
  if (job.kind === 'unsided') return ctx.reader.readUnsided(job.id, job.files);
  if (!isS3Uri(job.front) && !isS3Uri(job.back)) return ctx.reader.read({ id: job.id, front: job.front, back: job.back });
  let front: ImageBytes;
  let back: ImageBytes;
  try {
    front = await load(job.front, 'front', ctx);
    back = await load(job.back, 'back', ctx);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = toInocrError(err);
    return { ...newRecord(job.id, job.front, job.back), status: 'error', errorCode: e.code, errorMessage: e.message };
  }
  return ctx.reader.readBuffers({ id: job.id, front, back });
}

async function load(p: string, side: 'front' | 'back', ctx: CardJobContext): Promise<ImageBytes> {
  if (isS3Uri(p) && ctx.s3) return { bytes: await ctx.s3.get(p, side, ctx.maxBytes), name: p };
  // A local path beside an S3 one (or an s3:// URI with no S3 reader): the file checks apply.
  return { bytes: (await readImageFile(p, side, ctx.maxBytes)).bytes, name: p };
}
