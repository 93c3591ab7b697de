/**
 * An output that appears only when it is whole: rows are written (by batch's writers, so with
 * batch's columns, escaping and formats) to a temporary file beside the target, which is
 * renamed into place on `finish(true)` and removed on `finish(false)` or a failure. Export and
 * merge use it so that an incomplete result is never mistaken for a complete one.
 */
import { rename, rm } from 'node:fs/promises';
import { openSink, type OutputFormat, type RowSink } from '../io/writers.ts';
import type { CardRecord } from '../record.ts';

export class StagedOutput {
  written = 0;
  ok = 0;
  readonly byCode: Record<string, number> = {};
  private readonly sink: RowSink;
  private readonly tmp: string;
  private readonly target: string;

  private constructor(sink: RowSink, tmp: string, target: string) {
    this.sink = sink;
    this.tmp = tmp;
    this.target = target;
  }

  static async open(target: string, format: OutputFormat, bom: boolean): Promise<StagedOutput> {
    const tmp = `${target}.tmp-${process.pid}`;
    return new StagedOutput(await openSink(tmp, { format, bom }), tmp, target);
  }

  async write(row: CardRecord): Promise<void> {
    await this.sink.write(row);
    this.written++;
    if (row.status === 'ok') this.ok++;
    else this.byCode[row.errorCode] = (this.byCode[row.errorCode] ?? 0) + 1;
  }

  /** Close the rows; `keep`: put them in place, else remove them. */
  async finish(keep: boolean): Promise<void> {
    try {
      await this.sink.close();
    } catch (err) {
      await this.discard();
      throw err;
    }
    if (keep) await rename(this.tmp, this.target);
    else await rm(this.tmp, { force: true });
  }

  /** Stop after a failure: nothing is left behind (a JSON sink's `.partial` included). */
  async discard(): Promise<void> {
    await this.sink.abort?.();
    await rm(this.tmp, { force: true });
    await rm(`${this.tmp}.partial`, { force: true });
  }
}
