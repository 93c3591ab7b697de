/**
 * Black-box runs of `ine-ocr batch` (the built bin): a folder mixing good pairs under the names
 * people give them with every kind of bad input, a manifest with a bad line, and a run killed
 * mid-batch that --resume completes without losing or repeating a row.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { recoverJsonArray } from '../src/io/resume.ts';
import { blankPng, textImage, tmpDir, writeFile } from './helpers.ts';

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

describe('batch never writes over what it reads, and --resume never reads a card twice (bin)', () => {
  it.each([
    ['an image of the folder, given with --format', 'folder'],
    ['the manifest itself', 'manifest'],
    ['an image listed in the manifest', 'listed'],
    ['a symlink to the manifest', 'link'],
  ])('-o naming %s: exit 2, the input untouched', async (_what, kind) => {
    const dir = tmpDir();
    copyFileSync(S('card-01_front.jpg'), path.join(dir, 'c_front.jpg'));
    copyFileSync(S('card-01_back.jpg'), path.join(dir, 'c_back.jpg'));
    const manifest = path.join(dir, 'cards.csv');
    writeFileSync(manifest, 'id,front,back\nc,c_front.jpg,c_back.jpg\n');
    if (kind === 'link') symlinkSync(manifest, path.join(dir, 'link.csv'));
    const [input, output, extra] =
      kind === 'folder' ? [dir, path.join(dir, 'c_front.jpg'), ['--format', 'csv']]
      : kind === 'manifest' ? [manifest, manifest, []]
      : kind === 'listed' ? [manifest, path.join(dir, 'c_back.jpg'), ['--format', 'jsonl']]
      : [manifest, path.join(dir, 'link.csv'), []];
    const before = readFileSync(output);
    const r = await run(['batch', input, '-o', output, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is one of the inputs/);
    expect(readFileSync(output).equals(before)).toBe(true);
    expect(readFileSync(manifest, 'utf8')).toBe('id,front,back\nc,c_front.jpg,c_back.jpg\n');
  });

  it.each(['csv', 'json', 'jsonl'])('ids with line breaks, quotes and formula starts: --resume finds every row of the %s output and adds none', async (format) => {
    const dir = tmpDir();
    const ids = ['a\rb', 'c\nd', 'e\r\nf', "'=g", '=h', '+i', '-j', '@k', '\tl', ' m ', '"n"', "''o", 'ñ漢🙂'];
    // Images that do not exist: every card is an INOCR002 row at once, which resume keeps.
    const manifest = path.join(dir, 'cards.json');
    writeFileSync(manifest, JSON.stringify(ids.map((id, k) => ({ id, front: `none-${k}_front.jpg`, back: `none-${k}_back.jpg` }))));
    const out = path.join(dir, `out.${format}`);
    const first = await run(['batch', manifest, '-o', out, '--no-progress']);
    expect(first.code).toBe(1);
    const written = readFileSync(out);
    const again = await run(['batch', manifest, '-o', out, '--resume', '--no-progress']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`0 card\\(s\\).*, ${ids.length} already in the output`));
    expect(readFileSync(out).equals(written)).toBe(true);
  });

  it('Ctrl-C with -o x.json: x.json is not made from the unfinished run, the summary counts the unread cards, --resume finishes it', async () => {
    const dir = tmpDir();
    const imgs = path.join(dir, 'in');
    mkdirSync(imgs);
    for (let i = 1; i <= 4; i++) {
      copyFileSync(S('card-02_front.jpg'), path.join(imgs, `c${i}_front.jpg`));
      copyFileSync(S('card-02_back.jpg'), path.join(imgs, `c${i}_back.jpg`));
    }
    const out = path.join(dir, 'x.json');
    const partial = `${out}.partial`;
    const child = spawn(process.execPath, [BIN, 'batch', imgs, '-o', out, '-j', '1', '--no-progress'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // One Ctrl-C as soon as the first row is on disk.
    for (let t0 = Date.now(); Date.now() - t0 < 180_000; ) {
      if (existsSync(partial) && recoverJsonArray(readFileSync(partial, 'utf8')).values.length >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(existsSync(out)).toBe(false);
    const kept = JSON.parse(readFileSync(partial, 'utf8')) as { id: string }[];
    const unread = Number(/stopped: (\d+) card\(s\) left unread/.exec(stderr)?.[1]);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(unread).toBeGreaterThanOrEqual(1);
    expect(kept.length + unread).toBe(4);
    expect(stderr).toContain(`rows in ${partial}`);
    const r = await run(['batch', imgs, '-o', out, '--resume', '-j', '2']);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { id: string }[]).map((x) => x.id).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(existsSync(partial)).toBe(false);
  });
});

describe('files that are not readable images get their own codes (bin)', () => {
  // Root reads a chmod 000 file anyway (CAP_DAC_OVERRIDE): as root (CI), the bin runs under
  // setpriv (util-linux) without the two capabilities that bypass file permissions, so the
  // system refuses the read as it would for anyone else.
  const asRoot = process.getuid?.() === 0;
  const command = (args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];

  it('a directory and a FIFO → INOCR002/INOCR003 saying what they are, never blocking; an unreadable file → INOCR015 "permission denied"', async () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, 'dir_front.jpg'));
    copyFileSync(S('card-01_back.jpg'), path.join(dir, 'dir_back.jpg'));
    copyFileSync(S('card-01_front.jpg'), path.join(dir, 'fifo_front.jpg'));
    execFileSync('mkfifo', [path.join(dir, 'fifo_back.jpg')]);
    copyFileSync(S('card-01_front.jpg'), path.join(dir, 'locked_front.jpg'));
    copyFileSync(S('card-01_back.jpg'), path.join(dir, 'locked_back.jpg'));
    chmodSync(path.join(dir, 'locked_front.jpg'), 0o000);
    // Given in a manifest (a folder listing only offers regular files).
    const manifest = writeFile(dir, 'cards.csv', ['id,front,back', ...['dir', 'fifo', 'locked'].map((k) => `${k},${k}_front.jpg,${k}_back.jpg`)].join('\n') + '\n');
    const out = path.join(dir, 'out.jsonl');
    const [file, args] = command(['batch', manifest, '-o', out, '--no-progress']);
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      execFile(file, args, { timeout: 120_000 }, (err, _stdout, stderr) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
        else resolve({ code: err ? ((err as { code: number }).code ?? null) : 0, stderr });
      });
    });
    expect(r.code, r.stderr).toBe(1);
    const byId = Object.fromEntries(rowsOf(out).map((x) => [x['id'], x]));
    expect(byId['dir']).toMatchObject({ errorCode: 'INOCR002', errorMessage: expect.stringMatching(/front image is a directory/) });
    expect(byId['fifo']).toMatchObject({ errorCode: 'INOCR003', errorMessage: expect.stringMatching(/back image is a FIFO/) });
    expect(byId['locked']).toMatchObject({ errorCode: 'INOCR015', errorMessage: expect.stringMatching(/front image cannot be read \(permission denied\)/) });
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
