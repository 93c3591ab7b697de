/**
 * Black-box runs of `ine-ocr batch` (the built bin): a folder mixing good pairs under the names
 * people give them with every kind of bad input, a manifest with a bad line, and a run killed
 * mid-batch that --resume completes without losing or repeating a row.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { blankPng, textImage, tmpDir } from './helpers.ts';

const BIN = path.resolve('bin/ine-ocr.js');
const S = (name: string): string => path.join('samples', name);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 300_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const rowsOf = (file: string): Record<string, string>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, string>);

describe('ine-ocr batch (bin)', () => {
  it('a folder of good and bad inputs: one row per card, each bad input its code, exit 1', async () => {
    const dir = tmpDir();
    // Good pairs, named as people name them.
    copyFileSync(S('card-01_front.jpg'), path.join(dir, 'Juan Perez-ANVERSO.jpg'));
    copyFileSync(S('card-01_back.jpg'), path.join(dir, 'Juan Perez-REVERSO.jpg'));
    copyFileSync(S('card-02_front.jpg'), path.join(dir, 'cliente7_frente.JPG'));
    copyFileSync(S('card-02_back.jpg'), path.join(dir, 'cliente7_reverso.jpeg'));
    // Camera names: the back comes first; the side must be told from the image.
    copyFileSync(S('card-04_back.jpg'), path.join(dir, 'IMG_1234.jpg'));
    copyFileSync(S('card-04_front.jpg'), path.join(dir, 'IMG_1235.jpg'));
    // Bad inputs.
    copyFileSync(S('card-03_front.jpg'), path.join(dir, 'solo_front.jpg')); // no back → INOCR003
    copyFileSync(S('card-03_back.jpg'), path.join(dir, 'huerfano_back.jpg')); // no front → INOCR002
    writeFileSync(path.join(dir, 'vacio_front.jpg'), Buffer.alloc(0)); // empty → INOCR008
    copyFileSync(S('card-01_back.jpg'), path.join(dir, 'vacio_back.jpg'));
    writeFileSync(path.join(dir, 'pdf_front.jpg'), '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'); // PDF → INOCR014
    copyFileSync(S('card-01_back.jpg'), path.join(dir, 'pdf_back.jpg'));
    const jpg = readFileSync(S('card-02_front.jpg'));
    writeFileSync(path.join(dir, 'roto_front.jpg'), jpg.subarray(0, jpg.length >> 1)); // truncated → INOCR015
    copyFileSync(S('card-02_back.jpg'), path.join(dir, 'roto_back.jpg'));
    writeFileSync(path.join(dir, 'grande_front.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(6 * 1024 * 1024)])); // > 5 MB → INOCR005
    copyFileSync(S('card-02_back.jpg'), path.join(dir, 'grande_back.jpg'));
    writeFileSync(path.join(dir, 'factura_front.png'), textImage(['FACTURA 4471', 'Total 1,250.00 MXN'])); // not an INE → INOCR004
    writeFileSync(path.join(dir, 'factura_back.png'), textImage(['Gracias por su compra']));
    writeFileSync(path.join(dir, 'blanco_front.png'), await blankPng()); // no text → INOCR012
    writeFileSync(path.join(dir, 'blanco_back.png'), await blankPng());
    writeFileSync(path.join(dir, 'notes.txt'), 'not an image, ignored');

    const out = path.join(dir, 'out.jsonl');
    const r = await run(['batch', dir, '-o', out, '-j', '2']);
    expect(r.code).toBe(1);
    const rows = rowsOf(out);
    const byId = Object.fromEntries(rows.map((x) => [x['id'], x]));
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((x) => x['id'])).size).toBe(11);
    const truth = (n: string): Record<string, string> => (JSON.parse(readFileSync(S(`${n}.truth.json`), 'utf8')) as { fields: Record<string, string> }).fields;
    expect(byId['Juan Perez']).toMatchObject({ status: 'ok', curp: truth('card-01')['curp'] });
    expect(byId['cliente7']).toMatchObject({ status: 'ok', mz1: truth('card-02')['mz1'] });
    const camera = rows.find((x) => x['back']?.endsWith('IMG_1234.jpg'));
    expect(camera).toMatchObject({ status: 'ok', mz1: truth('card-04')['mz1'] });
    expect(camera?.['front']).toMatch(/IMG_1235\.jpg$/);
    const code = (id: string): string | undefined => byId[id]?.['errorCode'];
    expect(code('solo')).toBe('INOCR003');
    expect(code('huerfano')).toBe('INOCR002');
    expect(code('vacio')).toBe('INOCR008');
    expect(code('pdf')).toBe('INOCR014');
    expect(code('roto')).toBe('INOCR015');
    expect(code('grande')).toBe('INOCR005');
    expect(code('factura')).toBe('INOCR004');
    expect(code('blanco')).toBe('INOCR012');
    expect(r.stderr).toMatch(/11 card\(s\).*3 ok( \(\d+ flagged for review\))?, 8 failed/);
  });

  it('a manifest with a line that does not decode: that line is an INOCR006 row, the rest go on', async () => {
    const dir = tmpDir();
    copyFileSync(S('card-02_front.jpg'), path.join(dir, 'a.jpg'));
    copyFileSync(S('card-02_back.jpg'), path.join(dir, 'b.jpg'));
    const manifest = path.join(dir, 'cards.jsonl');
    writeFileSync(manifest, ['{"id":"uno","front":"a.jpg","back":"b.jpg"}', '{"id":"dos","front":"a.jpg",', '{"id":"tres","front":"a.jpg","back":"nope.jpg"}'].join('\n') + '\n');
    const out = path.join(dir, 'out.csv');
    const r = await run(['batch', manifest, '-o', out]);
    expect(r.code).toBe(1);
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^id,front,back,status,errorCode,errorMessage,review,name,/);
    expect(csv).toMatch(/\nuno,[^\n]*,ok,/);
    expect(csv).toMatch(/INOCR006/);
    expect(csv).toMatch(/\ntres,[^\n]*,error,INOCR003,/);
  });

  it('bad usage and a missing input exit 2', async () => {
    expect((await run(['batch', 'no/such/folder'])).code).toBe(2);
    expect((await run(['batch', 'samples', '-o', '/tmp/x.txt'])).code).toBe(2);
  });

  it('a run killed mid-batch keeps every finished row, and --resume completes it without repeats', async () => {
    const dir = tmpDir();
    const imgs = path.join(dir, 'in');
    mkdirSync(imgs);
    for (let i = 1; i <= 6; i++) {
      const s = i % 2 === 0 ? 'card-01' : 'card-02';
      copyFileSync(S(`${s}_front.jpg`), path.join(imgs, `c${i}_front.jpg`));
      copyFileSync(S(`${s}_back.jpg`), path.join(imgs, `c${i}_back.jpg`));
    }
    const out = path.join(dir, 'out.jsonl');
    const child = spawn(process.execPath, [BIN, 'batch', imgs, '-o', out, '-j', '1', '--no-progress'], { stdio: 'ignore' });
    // Kill -9 as soon as two rows are on disk.
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        const n = existsSync(out) ? rowsOf(out).length : 0;
        if (n >= 2 || Date.now() - t0 > 120_000) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
      child.on('error', reject);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const before = rowsOf(out);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(6);
    const r = await run(['batch', imgs, '-o', out, '-j', '2', '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`${before.length} already in the output`));
    const after = rowsOf(out);
    expect(after.map((x) => x['id']).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(after.every((x) => x['status'] === 'ok')).toBe(true);
    // The rows written before the kill are kept as they were.
    expect(after.slice(0, before.length)).toEqual(before);
  });
});

describe('pairing 100 cards named in mixed ways (on disk, --dry-run)', () => {
  it('gives 100 pairs, each front with its own back, and no orphan', async () => {
    const dir = tmpDir();
    const conventions = [
      (i: number) => [`cliente${i}_front.jpg`, `cliente${i}_back.jpg`],
      (i: number) => [`INE-${i}-anverso.JPG`, `INE-${i}-reverso.JPG`],
      (i: number) => [`Persona ${i} frente.jpeg`, `Persona ${i} reverso.jpeg`],
      (i: number) => [`doc${i}_a.png`, `doc${i}_b.png`],
      (i: number) => [`scan${i}_1.jpg`, `scan${i}_2.jpg`],
      // Camera names: consecutive numbers, front first.
      (i: number) => [`IMG_${String(5000 + 2 * i).padStart(4, '0')}.jpg`, `IMG_${String(5001 + 2 * i).padStart(4, '0')}.jpg`],
    ];
    const expected = new Map<string, string>();
    for (let i = 0; i < 100; i++) {
      const [f, b] = conventions[i % conventions.length]!(i);
      writeFileSync(path.join(dir, f!), 'x');
      writeFileSync(path.join(dir, b!), 'x');
      expected.set(path.join(dir, f!), path.join(dir, b!));
    }
    const r = await run(['batch', dir, '--dry-run']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(100);
    for (const line of lines) {
      const [head = '', a = '', b = ''] = line.split('\t');
      const kind = head.split(' ')[0];
      expect(kind === 'pair' || kind === 'by-image', line).toBe(true);
      // Named sides: front then back; camera pairs: the sides are told later, by the MRZ.
      expect(expected.get(a) ?? expected.get(b), line).toBe(expected.has(a) ? b : a);
    }
  });
});
