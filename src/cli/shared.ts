/** What the CLI's commands share: exit codes and option parsers. */
import { mkdirSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.ts';

/** Exit status: 0 every card ok; 1 some card failed (output still complete); 2 usage or run-level failure. */
export const EXIT = { ok: 0, cardFailed: 1, usage: 2 } as const;

export function parseMegabytes(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of megabytes');
  return Math.round(n * 1024 * 1024);
}

export function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}


/** `--save-face DIR`: the folder must exist or be creatable, checked before any card is read. */
export function prepareFaceDir(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`Cannot create the --save-face folder ${dir}: ${(err as Error).message}`);
  }
  return dir;
}
