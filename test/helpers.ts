/** Test helpers: synthetic bad inputs built on the fly (never real cards). */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

// A fresh machine has no system fonts: use the one the repo ships.
GlobalFonts.registerFromPath(fileURLToPath(new URL('../assets/fonts/DejaVuSans-Bold.ttf', import.meta.url)), 'TestSans');

export function tmpDir(prefix = 'ine-ocr-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A white PNG with some lines of ordinary text: readable, but not an INE card. */
export function textImage(lines: readonly string[], width = 1000, height = 600): Buffer {
  const c = createCanvas(width, height);
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#000';
  g.font = '40px TestSans';
  lines.forEach((l, i) => g.fillText(l, 40, 80 + i * 70));
  return c.toBuffer('image/png');
}

export async function blankPng(width = 800, height = 500): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).png().toBuffer();
}

export function writeFile(dir: string, name: string, data: Buffer | string): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Runs the built bin (`npm run build` first; `npm test` does): exit code, stdout, stderr. */
export async function runBin(args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 600_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = fileURLToPath(new URL('../bin/ine-ocr.js', import.meta.url));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { timeout: timeoutMs, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
