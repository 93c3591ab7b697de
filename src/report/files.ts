/**
 * The report folder: every file written with the results file's own permissions (the page
 * and its crops hold the same personal data), folders with the matching search bits, and a
 * tally of what was written.
 */
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';

/** A line in every page this builds: how an earlier report in the folder is recognised. */
export const REPORT_MARKER = '<meta name="generator" content="ine-ocr report">';

/** The folder's own entries: an earlier report's are replaced, anything else stops the build. */
const OWN_ENTRIES: ReadonlySet<string> = new Set(['index.html', 'img']);

/** Folder permissions for files of `mode`: whoever may read a file may enter its folder. */
export function dirMode(mode: number): number {
  return mode | ((mode & 0o444) >> 2);
}

export class OutputDir {
  files = 0;
  bytes = 0;
  private readonly made = new Set<string>();
  private umaskNarrows: boolean | undefined;

  private constructor(
    readonly root: string,
    readonly mode: number,
  ) {}

  /**
   * Prepares `root` for a new report: created when missing; an earlier report there is
   * replaced (its images removed); a folder holding anything else is refused, so a report
   * never mixes with, or deletes, someone's files.
   */
  static async open(folder: string, mode: number): Promise<OutputDir> {
    await OutputDir.check(folder);
    const root = path.resolve(folder);
    await rm(path.join(root, 'img'), { recursive: true, force: true });
    const out = new OutputDir(root, mode);
    await out.ensureDir(root);
    return out;
  }

  /** Throws a UsageError unless `folder` is missing, empty, or holds an earlier report (checked before a long batch). */
  static async check(folder: string): Promise<void> {
    const root = path.resolve(folder);
    let entries: string[] = [];
    try {
      entries = await readdir(root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`Cannot use the report folder ${folder}: ${(err as Error).message}`);
    }
    const foreign = entries.filter((e) => !OWN_ENTRIES.has(e));
    if (foreign.length > 0 || (entries.length > 0 && !(await isReport(root)))) {
      const named = foreign.length > 0 ? foreign.slice(0, 3).join(', ') : entries.join(', ');
      throw new UsageError(`The report folder ${folder} holds other files (${named}) and no earlier report: choose a new or empty folder`);
    }
  }

  /** Creates `dir` and the folders between it and the root, each with the report's folder mode. */
  private async ensureDir(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    if (dir !== this.root) await this.ensureDir(path.dirname(dir));
    await mkdir(dir, { recursive: true, mode: dirMode(this.mode) });
    await chmod(dir, dirMode(this.mode));
    this.made.add(dir);
  }

  /** Writes `rel` (a path under the folder, `/`-separated) with the report's permissions. */
  async write(rel: string, data: Buffer | string): Promise<void> {
    const file = path.join(this.root, ...rel.split('/'));
    await this.ensureDir(path.dirname(file));
    // Created with the mode; the umask may narrow it, and then every file is set exactly (the
    // first file tells: a report of 10,000 cards writes a quarter of a million).
    await writeFile(file, data, { mode: this.mode });
    if (this.umaskNarrows === undefined) this.umaskNarrows = ((await stat(file)).mode & 0o777) !== this.mode;
    if (this.umaskNarrows) await chmod(file, this.mode);
    this.files++;
    this.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  }
}

async function isReport(root: string): Promise<boolean> {
  try {
    return (await readFile(path.join(root, 'index.html'), 'utf8')).includes(REPORT_MARKER);
  } catch {
    return false;
  }
}
