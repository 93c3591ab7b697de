import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { curpNameKey, claveNameKey } from '../src/domain/name-codes.ts';
import { CURP_STATE_CODES, STATES } from '../src/domain/states.ts';
import { curpCheckDigit, icaoCheckDigit } from '../src/extract/check-digits.ts';
import { FIELD_NAMES } from '../src/record.ts';
import { capture, CONDITIONS } from '../src/synth/capture.ts';
import { corpusPlan, generateCard, generateCorpus, type TruthFile } from '../src/synth/corpus.ts';
import { buildMrz, CARD_MODELS, generateIdentity, mrzName, truthFields, type SyntheticCard } from '../src/synth/identity.ts';
import { CARD_HEIGHT, CARD_WIDTH, renderBack, renderFront, type BackLayout, type FrontLayout } from '../src/synth/render.ts';
import { createRng } from '../src/synth/rng.ts';

const MRZ_LINE = /^[A-Z0-9<]{30}$/;
const CLAVE = /^([A-Z][A-Z]){3}\d{6}(0[1-9]|[12]\d|3[0-2])[HM]\d{3}$/;

function manyIdentities(n: number): SyntheticCard[] {
  const rng = createRng('identities');
  return Array.from({ length: n }, (_, i) => generateIdentity(rng, { model: CARD_MODELS[i % 4] ?? 'E' }));
}
const cards = manyIdentities(600);

describe('rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(sa);
  });

  it('int stays in range and covers both ends', () => {
    const r = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('MRZ builder', () => {
  // Synthetic, all-valid examples from shared/domain/ine-formats.md §2 (made with mkmrz.py).
  it('reproduces the documented synthetic MRZ examples', () => {
    expect(
      buildMrz({
        cic: '123456789', section: '0123', citizenId: '456789012', birth: { year: 1990, month: 3, day: 15 }, sex: 'H',
        validUntil: 2030, emission: '01', mrzSerial: '00000', paterno: 'PEREZ', materno: 'LOPEZ', given: 'JUAN CARLOS',
      }),
    ).toEqual(['IDMEX1234567897<<0123456789012', '9003152H3012316MEX<01<<00000<5', 'PEREZ<LOPEZ<<JUAN<CARLOS<<<<<<']);
    expect(
      buildMrz({
        cic: '987654321', section: '4567', citizenId: '000000001', birth: { year: 1985, month: 11, day: 24 }, sex: 'M',
        validUntil: 2033, emission: '03', mrzSerial: '00000', paterno: 'GARCIA', materno: 'HERNANDEZ', given: 'MARIA GUADALUPE',
      }),
    ).toEqual(['IDMEX9876543213<<4567000000001', '8511249M3312315MEX<03<<00000<6', 'GARCIA<HERNANDEZ<<MARIA<GUADAL']);
  });

  it.each([
    ['NUÑEZ', 'DE LA CRUZ', 'JOSE LUIS', 'NUNEZ<DE<LA<CRUZ<<JOSE<LUIS<<<'],
    ['PEÑA', '', 'MARIA', 'PENA<<MARIA<<<<<<<<<<<<<<<<<<<'],
    ['VILLANUEVA', 'CASTAÑEDA', 'MARIA DEL CARMEN', 'VILLANUEVA<CASTANEDA<<MARIA<DE'],
  ])('name line %s %s %s', (p, m, g, want) => {
    expect(mrzName(p, m, g)).toBe(want);
  });
});

describe('generated identities', () => {
  it('MRZ lines are 30 chars of the MRZ alphabet and all four check digits verify', () => {
    for (const c of cards) {
      const [l1, l2, l3] = c.mrz;
      for (const l of c.mrz) expect(l).toMatch(MRZ_LINE);
      expect(l1.slice(0, 5)).toBe('IDMEX');
      expect(Number(l1[14])).toBe(icaoCheckDigit(l1.slice(5, 14)));
      expect(Number(l2[6])).toBe(icaoCheckDigit(l2.slice(0, 6)));
      expect(Number(l2[14])).toBe(icaoCheckDigit(l2.slice(8, 14)));
      expect(Number(l2[29])).toBe(icaoCheckDigit(l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29)));
      expect(l1.slice(5, 14)).toBe(c.cic);
      expect(l1.slice(17)).toBe(c.section + c.citizenId);
      expect(l2[7]).toBe(c.sex);
      expect(l2.slice(8, 14)).toBe(`${String(c.validUntil).slice(2)}1231`);
      expect(l2.slice(15, 18)).toBe('MEX');
      expect(l2.slice(18, 29)).toMatch(new RegExp(`^<${c.emission}<<\\d{5}<$`));
      expect(l3.startsWith(c.paterno.replace(/Ñ/g, 'N').replace(/ /g, '<').slice(0, 30))).toBe(true);
    }
  });

  it('CURP follows RENAPO: names, date, sex, state, century char, check digit', () => {
    for (const c of cards) {
      expect(c.curp).toMatch(/^[A-Z]{4}\d{6}[HM][A-Z]{2}[A-Z]{3}[0-9A-Z]\d$/);
      expect(Number(c.curp[17])).toBe(curpCheckDigit(c.curp.slice(0, 17)));
      const key = curpNameKey(c.paterno, c.materno, c.given);
      expect(c.curp.slice(0, 4)).toBe(key.initials);
      expect(c.curp.slice(13, 16)).toBe(key.consonants);
      const yymmdd = String(c.birth.year).slice(2) + String(c.birth.month).padStart(2, '0') + String(c.birth.day).padStart(2, '0');
      expect(c.curp.slice(4, 10)).toBe(yymmdd);
      expect(c.curp[10]).toBe(c.sex);
      expect(CURP_STATE_CODES.has(c.curp.slice(11, 13))).toBe(true);
      expect(c.curp.slice(11, 13)).toBe(c.birthState.curp);
      // Position 17: digit before 2000, letter from 2000 (ine-formats.md §3).
      expect(c.curp[16]).toMatch(c.birth.year < 2000 ? /\d/ : /[A-Z]/);
    }
  });

  it('covers both CURP centuries, all models, no-materno and Ñ names', () => {
    expect(cards.some((c) => c.birth.year < 2000)).toBe(true);
    expect(cards.some((c) => c.birth.year >= 2000)).toBe(true);
    expect(new Set(cards.map((c) => c.model))).toEqual(new Set(CARD_MODELS));
    expect(cards.some((c) => c.materno === '')).toBe(true);
    expect(cards.some((c) => /Ñ/.test(c.paterno + c.materno + c.given))).toBe(true);
    expect(cards.some((c) => / /.test(c.given))).toBe(true);
  });

  it('clave de elector has the documented structure and agrees with names, DOB, state and sex', () => {
    for (const c of cards) {
      expect(c.clave).toMatch(CLAVE);
      expect(c.clave.slice(0, 6)).toBe(claveNameKey(c.paterno, c.materno, c.given));
      expect(c.clave.slice(6, 12)).toBe(c.curp.slice(4, 10));
      expect(c.clave.slice(12, 14)).toBe(c.birthState.inegi);
      expect(c.clave[14]).toBe(c.sex);
    }
  });

  it('dates and years are coherent with the model', () => {
    for (const c of cards) {
      expect(c.birth.year).toBeGreaterThanOrEqual(1940);
      expect(c.birth.year).toBeLessThanOrEqual(2007);
      expect(c.issueYear - c.birth.year).toBeGreaterThanOrEqual(18);
      expect(c.registrationYear).toBeGreaterThanOrEqual(c.birth.year + 18);
      expect(c.registrationYear).toBeLessThanOrEqual(c.issueYear);
      expect(c.validUntil).toBe(c.issueYear + 10);
      if (c.model === 'G' || c.model === 'H') expect(c.issueYear).toBeGreaterThanOrEqual(2019);
      else expect(c.issueYear).toBeLessThanOrEqual(2019);
      expect(Number(c.emission)).toBeLessThanOrEqual(5);
      expect(STATES.some((s) => s.inegi === c.residenceState.inegi)).toBe(true);
    }
  });

  it('truth record carries every field, with model-specific ones only where printed', () => {
    for (const c of cards.slice(0, 40)) {
      const f = truthFields(c);
      expect(Object.keys(f)).toEqual([...FIELD_NAMES]);
      expect(f.firstLastName).toBe(c.paterno);
      expect(f.secondLastName).toBe(c.materno);
      expect(f.name).toBe(c.given);
      expect(f.dateOfBirth).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(f.idNumber).toMatch(/^\d{13}$/);
      expect(f.idMex).toMatch(/^\d{9}$/);
      expect(f.issueNumber).toMatch(/^\d{2}$/);
      expect(f.addressLine2.endsWith(f.postalCode)).toBe(true);
      expect(f.mz1 + f.mz2 + f.mz3).toBe(c.mrz.join(''));
      const old = c.model === 'E' || c.model === 'F';
      expect(f.stateCode !== '').toBe(old);
      expect(f.municipalityCode).toMatch(old ? /^\d{3}$/ : /^$/);
      expect(f.localityCode).toMatch(old ? /^\d{4}$/ : /^$/);
      expect(f.emissionYear !== '').toBe(old);
      expect(f.validFrom !== '').toBe(!old);
    }
  });
});

describe('corpus plan', () => {
  it('every condition sees both model families', () => {
    for (const conds of [CONDITIONS, ['scan', 'photo'] as const, ['rot90'] as const]) {
      const plan = corpusPlan(conds.length * 4, conds);
      for (const cond of conds) {
        const models = new Set(plan.filter((p) => p.condition === cond).map((p) => p.model));
        expect(models).toEqual(new Set(['E', 'F', 'G', 'H']));
      }
    }
  });
});

describe('images', () => {
  it('renders PNG card faces of about 1012×638 deterministically', () => {
    const c = generateIdentity(createRng(9), { model: 'H' });
    const f1 = renderFront(c, createRng('f'));
    const f2 = renderFront(c, createRng('f'));
    expect(f1.subarray(1, 4).toString()).toBe('PNG');
    expect(f1.readUInt32BE(16)).toBe(1012);
    expect(f1.readUInt32BE(20)).toBe(638);
    expect(f1.equals(f2)).toBe(true);
    expect(renderBack(c, createRng('b')).equals(renderBack(c, createRng('b')))).toBe(true);
  });

  it('records where every printed value was drawn, without changing the drawing', () => {
    for (const model of CARD_MODELS) {
      const c = generateIdentity(createRng(`layout-${model}`), { model });
      const front: FrontLayout = { fields: {} };
      const back: BackLayout = { fields: {} };
      expect(renderFront(c, createRng('f'), front).equals(renderFront(c, createRng('f')))).toBe(true);
      expect(renderBack(c, createRng('b'), undefined, back).equals(renderBack(c, createRng('b')))).toBe(true);
      const rects = { ...front.fields, ...back.fields };
      // Every value the card carries is printed somewhere, except the model (told from the layout).
      const printed = FIELD_NAMES.filter((f) => f !== 'cardModel' && truthFields(c)[f] !== '');
      expect(Object.keys(rects).sort()).toEqual([...printed].sort());
      for (const r of Object.values(rects)) {
        expect(r.x).toBeGreaterThanOrEqual(0);
        expect(r.y).toBeGreaterThanOrEqual(0);
        expect(r.w).toBeGreaterThan(0);
        expect(r.h).toBeGreaterThan(0);
        expect(r.x + r.w).toBeLessThanOrEqual(CARD_WIDTH);
        expect(r.y + r.h).toBeLessThanOrEqual(CARD_HEIGHT);
      }
    }
  });

  it('same seed gives byte-identical images under every condition', async () => {
    for (const [i, condition] of CONDITIONS.entries()) {
      const item = { condition, model: CARD_MODELS[i % 4] ?? 'G' };
      const a = await generateCard(11, i, item);
      const b = await generateCard(11, i, item);
      expect(a.front.data.equals(b.front.data)).toBe(true);
      expect(a.back.data.equals(b.back.data)).toBe(true);
      expect(a.fields).toEqual(b.fields);
    }
  });

  it('hard captures on request: glare burns part of the card out, blur softens it; same draws as the photo', async () => {
    const c = generateIdentity(createRng(3), { model: 'E' });
    const png = renderFront(c, createRng(4));
    const stats = async (cond: 'photo' | 'glare' | 'blur'): Promise<{ white: number; edges: number }> => {
      const { data, info } = await sharp((await capture(png, cond, createRng(21))).data).greyscale().raw().toBuffer({ resolveWithObject: true });
      let white = 0;
      let edges = 0;
      for (let i = 0; i < data.length - 1; i++) {
        if (data[i]! >= 250) white++;
        if ((i + 1) % info.width !== 0) edges += Math.abs(data[i]! - data[i + 1]!);
      }
      return { white, edges };
    };
    const photo = await stats('photo');
    const glare = await stats('glare');
    const blur = await stats('blur');
    // A highlight past white: thousands of saturated pixels more than the same photo.
    expect(glare.white - photo.white).toBeGreaterThan(5000);
    expect(blur.edges).toBeLessThan(0.8 * photo.edges);
  });

  it('rotated conditions swap or keep the orientation as promised', async () => {
    const c = generateIdentity(createRng(3), { model: 'G' });
    const png = renderFront(c, createRng(4));
    const size = (b: Buffer): [number, number] => {
      // JPEG: find SOF0/SOF2; PNG: IHDR.
      if (b[0] === 0x89) return [b.readUInt32BE(16), b.readUInt32BE(20)];
      for (let i = 2; i < b.length - 9; i++) {
        if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
      }
      throw new Error('no size');
    };
    const [w90, h90] = size((await capture(png, 'rot90', createRng(5))).data);
    expect(h90).toBeGreaterThan(w90);
    const [w180, h180] = size((await capture(png, 'rot180', createRng(5))).data);
    expect(w180).toBeGreaterThan(h180);
    const [wl] = size((await capture(png, 'lowres', createRng(5))).data);
    expect(wl).toBeGreaterThanOrEqual(650);
    expect(wl).toBeLessThanOrEqual(750);
    const photo = await capture(png, 'photo', createRng(5));
    expect(photo.ext).toBe('jpg');
    expect(size(photo.data)).toEqual([1600, 1200]);
  });

  it('generateCorpus writes images and truth files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ine-synth-'));
    try {
      const entries = await generateCorpus({ seed: 5, count: 2, outDir: dir, conditions: ['lowres'] });
      expect(entries.map((e) => e.id)).toEqual(['card-0001', 'card-0002']);
      const files = (await readdir(dir)).sort();
      expect(files).toEqual([
        'card-0001.truth.json', 'card-0001_back.jpg', 'card-0001_front.jpg',
        'card-0002.truth.json', 'card-0002_back.jpg', 'card-0002_front.jpg',
      ]);
      const truth = JSON.parse(await readFile(path.join(dir, 'card-0002.truth.json'), 'utf8')) as TruthFile;
      expect(truth).toMatchObject({ id: 'card-0002', seed: 5, condition: 'lowres', model: 'G' });
      expect(truth.fields.cardModel).toBe('G');
      expect(Object.keys(truth.fields)).toEqual([...FIELD_NAMES]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
