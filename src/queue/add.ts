/**
 * `ine-ocr queue add`: a batch plan (the same pairing and manifests as `batch`) into the queue,
 * one BullMQ job per card to read, and the rows decided while planning stored at once.
 *
 * Idempotent: a card is known by its id. Adding the same input again adds nothing; a card
 * whose id is already in the queue for other images is a conflict, reported and not added
 * (it would otherwise be silently skipped). An add cut short (killed, Redis gone) is completed
 * by running it again: a card placed in the order but with no job or row yet is added then.
 * Jobs hold the card's id and image paths or URIs, never image bytes.
 */
import type { BatchPlan, Job } from '../pipeline/batch.ts';
import { jobId } from '../pipeline/batch.ts';
import type { OcrJob } from '../pipeline/card-job.ts';
import { toCardRecord } from '../io/resume.ts';
import type { CardRecord } from '../record.ts';
import type { QueueHandle } from './connection.ts';
import { jobIdOf } from './store.ts';

export interface AddOptions {
  /** Tries per card for engine failures (INOCR001/007/009); bad inputs are never retried. */
  readonly attempts: number;
  /** Wait before the first retry, ms; doubled for each next one. */
  readonly backoffMs: number;
}

export interface AddSummary {
  readonly planned: number;
  /** Cards given to the workers now. */
  readonly added: number;
  /** Rows decided while planning, stored now (with their codes). */
  readonly rows: number;
  readonly byCode: Readonly<Record<string, number>>;
  /** Cards already in the queue with the same images: left as they are. */
  readonly already: number;
  /** Ids already in the queue for other images: not added. */
  readonly conflicts: readonly string[];
}

const CHUNK = 500;

/** What identifies a card's input: kind and paths (and, for a decided row, its code). */
export function specOf(job: Job): string {
  switch (job.kind) {
    case 'pair':
      return JSON.stringify(['pair', job.front, job.back]);
    case 'unsided':
      return JSON.stringify(['unsided', job.files[0], job.files[1]]);
    case 'row':
      return JSON.stringify(['row', job.record.front, job.record.back, job.record.errorCode]);
  }
}

/** The spec stored for each id (undefined: placed by an add that stopped before storing it). */
async function storedSpecs(h: QueueHandle, ids: readonly string[]): Promise<(string | undefined)[]> {
  const rows = await h.store.getRows(ids);
  return Promise.all(
    ids.map(async (id, i) => {
      const row = rows[i];
      if (row !== undefined) return specOf({ kind: 'row', record: toCardRecord(row as Record<string, unknown>) });
      const job = await h.queue.getJob(jobIdOf(id));
      return job ? specOf(job.data) : undefined;
    }),
  );
}

export async function addPlan(h: QueueHandle, plan: BatchPlan, opts: AddOptions): Promise<AddSummary> {
  let added = 0;
  let rows = 0;
  let already = 0;
  const conflicts: string[] = [];
  const byCode: Record<string, number> = {};
  for (let start = 0; start < plan.jobs.length; start += CHUNK) {
    const chunk = plan.jobs.slice(start, start + CHUNK);
    const isNew = await h.store.place(chunk.map(jobId));
    const oldOnes = chunk.filter((_, i) => !isNew[i]);
    const specs = await storedSpecs(h, oldOnes.map(jobId));
    const stored = new Map(oldOnes.map((j, i) => [jobId(j), specs[i]]));
    const todo: Job[] = [];
    for (const j of chunk) {
      const spec = stored.get(jobId(j));
      if (spec === undefined) todo.push(j);
      else if (spec === specOf(j)) already++;
      else conflicts.push(jobId(j));
    }
    const decided = todo.flatMap((j): CardRecord[] => (j.kind === 'row' ? [j.record] : []));
    const ocr = todo.filter((j): j is OcrJob => j.kind !== 'row');
    await h.store.putRows(decided);
    if (ocr.length > 0) {
      await h.queue.addBulk(
        ocr.map((data) => ({
          name: 'card',
          data,
          opts: { jobId: jobIdOf(data.id), attempts: opts.attempts, backoff: { type: 'exponential', delay: opts.backoffMs }, removeOnComplete: false, removeOnFail: false },
        })),
      );
    }
    added += ocr.length;
    rows += decided.length;
    for (const r of decided) byCode[r.errorCode] = (byCode[r.errorCode] ?? 0) + 1;
  }
  return { planned: plan.jobs.length, added, rows, byCode, already, conflicts };
}
