/**
 * The tesseract.js worker pool's lifecycle with fake workers (no OCR): a worker is recycled
 * after `recycleAfter` jobs, and when its replacement fails to start, the card gets INOCR007 and
 * the terminated worker is never handed out again; the next job starts a new one.
 */
import type { Page } from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import { TesseractEngine, type PoolWorker } from '../src/engines/tesseract.ts';
import { InocrError } from '../src/errors.ts';

class FakeWorker {
  terminated = false;
  usedAfterTerminate = 0;
  reads = 0;
  constructor(readonly n: number) {}
  async setParameters(): Promise<never> {
    if (this.terminated) this.usedAfterTerminate++;
    return {} as never;
  }
  async recognize(): Promise<{ data: Page }> {
    if (this.terminated) {
      this.usedAfterTerminate++;
      throw new Error('worker used after terminate');
    }
    this.reads++;
    return { data: { text: `worker ${this.n}`, blocks: [] } as unknown as Page };
  }
  async terminate(): Promise<never> {
    this.terminated = true;
    return {} as never;
  }
}

/** Starts fake workers; the starts listed in `failing` (1-based) reject, as tesseract.js does, with a string. */
function starter(failing: ReadonlySet<number>): { start: () => Promise<PoolWorker>; workers: FakeWorker[]; starts: () => number } {
  const workers: FakeWorker[] = [];
  let starts = 0;
  return {
    workers,
    starts: () => starts,
    start: async () => {
      starts++;
      if (failing.has(starts)) throw 'Error: worker script failed to load';
      const w = new FakeWorker(starts);
      workers.push(w);
      return w as unknown as PoolWorker;
    },
  };
}

const read = (e: TesseractEngine): Promise<string> => e.recognize(Buffer.from('png'), { layout: 'auto' }).then((r) => r.text);

describe('TesseractEngine pool (fake workers)', () => {
  it('a failed restart: that card gets INOCR007, the terminated worker is never used again, the next card starts a new one', async () => {
    const s = starter(new Set([2]));
    const engine = await TesseractEngine.create({ workers: 1, recycleAfter: 1, startWorker: s.start });
    try {
      expect(await read(engine)).toBe('worker 1');
      const failed = await read(engine).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failed).toBeInstanceOf(InocrError);
      expect((failed as InocrError).code).toBe('INOCR007');
      expect((failed as InocrError).message).toMatch(/could not start/);
      expect(s.workers[0]!.terminated).toBe(true);
      expect(await read(engine)).toBe('worker 3');
      expect(s.workers[0]!.usedAfterTerminate).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('restarts that keep failing fail each card at once (no card waits forever), and a later start recovers', async () => {
    // Two places (starts 1 and 2); every restart after that fails until the seventh start.
    const s = starter(new Set([3, 4, 5, 6]));
    const engine = await TesseractEngine.create({ workers: 2, recycleAfter: 1, startWorker: s.start });
    try {
      expect((await Promise.all([read(engine), read(engine)])).sort()).toEqual(['worker 1', 'worker 2']);
      const outcomes = await Promise.allSettled([read(engine), read(engine), read(engine), read(engine)]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as InocrError).code : 'ok'))).toEqual(['INOCR007', 'INOCR007', 'INOCR007', 'INOCR007']);
      expect(await read(engine)).toBe('worker 7');
      for (const w of s.workers) expect(w.usedAfterTerminate).toBe(0);
    } finally {
      await engine.close();
    }
    for (const w of s.workers) expect(w.terminated).toBe(true);
  });
});
