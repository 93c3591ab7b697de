/**
 * The trust corpus builds every case with the right truth: the documents' MRZs are valid
 * (so only "not an INE" can reject them), the mixed and tampered pairs name two people, the
 * same side twice is the same image, the reissued pair is one person on two cards, and the
 * three ways of reading it (named pairs, manifest, camera names) pair as intended.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icaoCheckDigit } from '../src/extract/check-digits.ts';
import { readManifest } from '../src/io/manifest.ts';
import { pairFiles } from '../src/io/pairing.ts';
import { td1, td3 } from '../src/synth/mrz-docs.ts';
import { generateTrustCorpus, TRUST_CASES, TRUST_KIND, type TrustEntry } from '../src/synth/trust.ts';
import { tmpDir } from './helpers.ts';

const ok = (s: string): boolean => /^\d$/.test(s);
/** Every check digit of a TD1 (ICAO 9303 Part 5). */
function td1Valid([l1, l2]: readonly string[]): boolean {
  if (!l1 || !l2 || l1.length !== 30 || l2.length !== 30) return false;
  return (
    ok(l1[14]!) && Number(l1[14]) === icaoCheckDigit(l1.slice(5, 14)) &&
    Number(l2[6]) === icaoCheckDigit(l2.slice(0, 6)) &&
    Number(l2[14]) === icaoCheckDigit(l2.slice(8, 14)) &&
    Number(l2[29]) === icaoCheckDigit(l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29))
  );
}
/** Every check digit of a TD3 (ICAO 9303 Part 4). */
function td3Valid([l1, l2]: readonly string[]): boolean {
  if (!l1 || !l2 || l1.length !== 44 || l2.length !== 44) return false;
  return (
    Number(l2[9]) === icaoCheckDigit(l2.slice(0, 9)) &&
    Number(l2[19]) === icaoCheckDigit(l2.slice(13, 19)) &&
    Number(l2[27]) === icaoCheckDigit(l2.slice(21, 27)) &&
    Number(l2[42]) === icaoCheckDigit(l2.slice(28, 42)) &&
    Number(l2[43]) === icaoCheckDigit(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43))
  );
}

describe('MRZs of other documents', () => {
  const person = { surnames: 'PEREZ LOPEZ', given: 'JUAN CARLOS', sex: 'M' as const, birth: { year: 1990, month: 3, day: 15 }, expiry: { year: 2031, month: 1, day: 9 }, nationality: 'MEX' };
  it('TD3: P<MEX, 2 × 44, every check digit valid', () => {
    const l = td3({ state: 'MEX', number: 'G12345678' }, person);
    expect(l[0]).toBe('P<MEXPEREZ<LOPEZ<<JUAN<CARLOS<<<<<<<<<<<<<<<');
    // G=16: 16·7 + 1·3 + 2·1 + 3·7 + 4·3 + 5·1 + 6·7 + 7·3 + 8·1 = 226 → check digit 6.
    expect(l[1].slice(0, 10)).toBe('G123456786');
    expect(td3Valid(l)).toBe(true);
  });
  it('TD1: IDCHE, 3 × 30, every check digit valid', () => {
    const l = td1({ code: 'ID', state: 'CHE', number: 'C12345678' }, { ...person, nationality: 'CHE' });
    expect(l[0].startsWith('IDCHEC12345678')).toBe(true);
    expect(l[1].slice(15, 18)).toBe('CHE');
    expect(td1Valid(l)).toBe(true);
  });
});

describe('trust corpus', () => {
  let dir = '';
  let entries: TrustEntry[] = [];
  const byCase = (c: keyof typeof TRUST_CASES): TrustEntry[] => entries.filter((e) => e.case === c);
  const bytes = (p: string): Buffer => readFileSync(path.join(dir, p));

  beforeAll(async () => {
    dir = tmpDir('ine-trust-');
    entries = await generateTrustCorpus({ seed: 5, outDir: dir, perCase: 1, controls: 2 });
  }, 600_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has every case, each with its kind', () => {
    expect(new Set(entries.map((e) => e.case))).toEqual(new Set(Object.keys(TRUST_CASES)));
    for (const e of entries) expect(e.kind).toBe(TRUST_KIND[e.case]);
    expect(byCase('genuine')).toHaveLength(2);
    expect(byCase('duplicate')).toHaveLength(2);
  });

  it('the mixed pair and the tampered back name two different people; the tampered MRZ is valid', () => {
    for (const e of [...byCase('mixed-pair'), ...byCase('tampered-back')]) {
      expect(e.person.front).not.toBe(e.person.back);
      expect(e.mrz).toBeDefined();
      expect(td1Valid(e.mrz!)).toBe(true);
      expect(e.mrz![0]!.startsWith('IDMEX')).toBe(true);
    }
  });

  it('the same side twice is the same image; the blank back is blank', async () => {
    for (const c of ['front-twice', 'back-twice', 'passport', 'bill-both'] as const) {
      for (const e of byCase(c)) expect(bytes(e.front).equals(bytes(e.back))).toBe(true);
    }
    const { default: sharp } = await import('sharp');
    for (const e of byCase('blank-back')) {
      const s = await sharp(bytes(e.back)).greyscale().stats();
      expect(s.channels[0]!.mean).toBeGreaterThan(220);
      expect(s.channels[0]!.stdev).toBeLessThan(20);
    }
  });

  it('the passport page carries a valid TD3 P<MEX; the foreign ID a valid TD1 IDCHE; the DPI a valid TD1 IDGTM', () => {
    for (const e of byCase('passport')) {
      expect(e.mrz![0]!.startsWith('P<MEX')).toBe(true);
      expect(td3Valid(e.mrz!)).toBe(true);
    }
    for (const e of byCase('foreign-id')) {
      expect(e.mrz![0]!.startsWith('IDCHE')).toBe(true);
      expect(td1Valid(e.mrz!)).toBe(true);
      expect(e.shows.front).toBe('letter-page');
    }
    for (const e of byCase('wrong-country')) {
      expect(e.mrz![0]!.startsWith('IDGTM')).toBe(true);
      expect(td1Valid(e.mrz!)).toBe(true);
    }
  });

  it('the reissued pair is one person on two cards: emission, CIC and issue year differ', () => {
    for (const e of byCase('reissued')) {
      expect(e.person.front).toBe(e.person.back);
      const { front, back } = e.issues!;
      expect(back.emission).not.toBe(front.emission);
      expect(back.cic).not.toBe(front.cic);
      expect(back.issueYear).toBeGreaterThan(front.issueYear);
      expect(e.mrz![0]!.slice(5, 14)).toBe(back.cic);
      expect(td1Valid(e.mrz!)).toBe(true);
    }
  });

  it('duplicates are one card twice, photocopies and controls carry the record to expect', () => {
    const [a, b] = byCase('duplicate');
    expect(a!.duplicateOf).toBe(b!.id);
    expect(a!.fields).toEqual(b!.fields);
    expect(bytes(a!.front).equals(bytes(b!.front))).toBe(false);
    for (const e of [...byCase('photocopy'), ...byCase('genuine')]) {
      expect(e.fields?.curp).toBe(e.person.front);
      expect(e.fields?.mz1).toBe(e.mrz?.[0]);
    }
  });

  it('folder mode pairs every pair by its names; the manifest lists the same files; camera names pair in twos', async () => {
    const names = readdirSync(path.join(dir, 'pairs')).map((n) => `pairs/${n}`);
    const plan = pairFiles(names);
    expect(plan.orphans).toEqual([]);
    expect(plan.pairs.map((p) => [p.front, p.back]).sort()).toEqual(entries.map((e) => [e.front, e.back]).sort());
    const m = await readManifest(path.join(dir, 'manifest.csv'));
    expect(m.errors).toEqual([]);
    const at = (p: string): string => path.resolve(dir, p);
    expect(m.entries.map((e) => ({ id: e.id, front: e.front, back: e.back }))).toEqual(entries.map((e) => ({ id: e.id, front: at(e.front), back: at(e.back) })));
    const cam = pairFiles(readdirSync(path.join(dir, 'camera')).map((n) => `camera/${n}`));
    expect(cam.orphans).toEqual([]);
    expect(cam.unsided.map((u) => [...u.files].sort()).sort()).toEqual(entries.map((e) => [...e.camera].sort()).sort());
    for (const e of entries) expect(bytes(e.camera[0]).equals(bytes(e.front))).toBe(true);
  });
});
