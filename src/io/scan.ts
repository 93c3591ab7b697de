/**
 * Listing a batch folder: image-like files only (by extension; the reader checks content by
 * magic bytes, so a PDF or HEIC among the photos becomes an INOCR014 row instead of vanishing),
 * hidden files and folders skipped, symlinks followed once (no loops).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { IMAGE_EXTENSIONS } from './pairing.ts';

export interface ListOptions {
  recursive: boolean;
  /** Paths to leave out (e.g. the batch's own output): absolute, relative to the cwd, or relative to the folder. */
  exclude?: string[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function isImageName(name: string): boolean {
  if (name.startsWith('.')) return false;
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

/** Relative paths (always `/`-separated), sorted by code unit. Throws UsageError if the folder can't be read. */
export async function listImages(folder: string, opts: ListOptions): Promise<string[]> {
  const root = path.resolve(folder);
  let rootReal: string;
  try {
    rootReal = await fs.realpath(root);
    if (!(await fs.stat(rootReal)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new UsageError(`cannot read the folder ${folder}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const excluded = new Set<string>();
  for (const e of opts.exclude ?? []) {
    excluded.add(path.resolve(e));
    excluded.add(path.resolve(root, e));
  }

  const out: string[] = [];
  const seenDirs = new Set<string>([rootReal]);
  const walk = async (abs: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw new UsageError(`cannot read the folder ${folder}: ${(err as Error).message}`);
      return; // an unreadable subfolder: skipped (nothing in it could be read anyway)
    }
    for (const ent of entries) {
      if (ent.name.startsWith('.')) continue;
      const childAbs = path.join(abs, ent.name);
      const childRel = rel ? `${rel}/${ent.name}` : ent.name;
      if (excluded.has(childAbs)) continue;
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        try {
          const st = await fs.stat(childAbs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          // dangling link with an image name: listed, so the card gets a "not found" row
          isFile = true;
        }
      }
      if (isDir) {
        if (!opts.recursive) continue;
        let real: string;
        try {
          real = await fs.realpath(childAbs);
        } catch {
          continue;
        }
        if (seenDirs.has(real)) continue;
        seenDirs.add(real);
        await walk(childAbs, childRel);
      } else if (isFile && isImageName(ent.name)) {
        out.push(childRel);
      }
    }
  };
  await walk(root, '');
  return out.sort(cmp);
}
