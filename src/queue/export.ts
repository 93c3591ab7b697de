/**
 * `ine-ocr queue export`: one row per card added, in the order added, written by the batch's
 * writers (the same columns, escaping and formats). A card's row is the one decided while
 * planning, or its job's result; a card the queue gave up on (its workers kept stopping
 * mid-card) gets an INOCR001 row saying so. Cards still waiting or being read are pending:
 * unless `partial`, nothing is written while there are any (the output is written to a
 * temporary file and only renamed into place when complete), so an export is either whole
 * or absent. Results stay in Redis until `queue clear`.
 */
import type { OutputFormat } from '../io/writers.ts';
import { toCardRecord } from '../io/resume.ts';
import { newRecord, type CardRecord } from '../record.ts';
import type { QueueHandle } from './connection.ts';
import { StagedOutput } from './staged-output.ts';
import { jobIdOf } from './store.ts';

export interface ExportOptions {
  readonly output: string;
  readonly format: OutputFormat;
  readonly bom: boolean;
  /** Write the rows there are while cards are still pending. */
  readonly partial: boolean;
}

export interface ExportSummary {
  readonly added: number;
  readonly written: number;
  readonly ok: number;
  readonly byCode: Readonly<Record<string, number>>;
  /** Cards without a row yet (waiting, being read, waiting for a retry, or never stored). */
  readonly pending: number;
  /** The first pending ids, for the message. */
  readonly pendingIds: readonly string[];
  /** The output was written (nothing pending, or `partial`). */
  readonly saved: boolean;
}

const CHUNK = 500;
const PENDING_SHOWN = 20;

/** A card's row, or undefined while it is pending. */
async function rowsFor(h: QueueHandle, ids: readonly string[]): Promise<(CardRecord | undefined)[]> {
  const decided = await h.store.getRows(ids);
  return Promise.all(
    ids.map(async (id, i): Promise<CardRecord | undefined> => {
      const row = decided[i];
      if (row !== undefined) return toCardRecord(row as Record<string, unknown>);
      const job = await h.queue.getJob(jobIdOf(id));
      if (!job || job.finishedOn === undefined) return undefined;
      if (job.returnvalue) return toCardRecord(job.returnvalue as unknown as Record<string, unknown>);
      const card = job.data;
      const [front, back] = card.kind === 'pair' ? [card.front, card.back] : card.files;
      return {
        ...newRecord(id, front, back),
        status: 'error',
        errorCode: 'INOCR001',
        errorMessage: `The queue gave up on this card after ${job.attemptsMade} failed attempt(s) and ${job.stalledCounter} stop(s) of the worker reading it (a crash or running out of memory on this card?): ${job.failedReason}`,
      };
    }),
  );
}

export async function exportQueue(h: QueueHandle, opts: ExportOptions): Promise<ExportSummary> {
  const added = await h.store.count();
  const out = await StagedOutput.open(opts.output, opts.format, opts.bom);
  let pending = 0;
  const pendingIds: string[] = [];
  try {
    for (let start = 0; start < added; start += CHUNK) {
      const ids = await h.store.idsInOrder(start, start + CHUNK - 1);
      const rows = await rowsFor(h, ids);
      for (const [i, row] of rows.entries()) {
        if (row) await out.write(row);
        else if (pending++ < PENDING_SHOWN) pendingIds.push(ids[i]!);
      }
    }
  } catch (err) {
    await out.discard();
    throw err;
  }
  const saved = pending === 0 || opts.partial;
  await out.finish(saved);
  return { added, written: out.written, ok: out.ok, byCode: out.byCode, pending, pendingIds, saved };
}

/** `queue clear`: every job, result and row of the queue removed from Redis. */
export async function clearQueue(h: QueueHandle, force: boolean): Promise<void> {
  await h.queue.obliterate({ force });
  await h.store.clear();
}
