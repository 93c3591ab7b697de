/**
 * The trust corpus (issue 13): pairs of images that must never come out as a clean
 * `status: ok` — mixed-up and tampered pairs, the same side twice, documents that are not an
 * INE card — beside genuine cards as a control, a greyscale photocopy (genuine: it should be
 * read) and the same card under two ids (a duplicate).
 *
 * Each pair is written three ways, so the eval reads them as users' folders arrive:
 *   pairs/<id>_front.jpg + pairs/<id>_back.jpg   folder mode, sides named
 *   manifest.csv (id, front, back → pairs/…)      manifest mode
 *   camera/IMG_n.jpg (front) + IMG_n+1.jpg        folder mode, camera names, sides unknown
 * and trust.json says what every image shows and whose it is. Deterministic in the seed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { CardFields } from '../record.ts';
import { capture, CONDITIONS, type Captured, type Condition } from './capture.ts';
import { generateCard } from './corpus.ts';
import { blankSheet, billPage, dpiCard, foreignIdBack, letterPage, passportPage, photocopy } from './documents.ts';
import { buildMrz, CARD_MODELS, generateIdentity, truthFields, type CardModel, type SyntheticCard } from './identity.ts';
import { td1, td3 } from './mrz-docs.ts';
import { renderBack, renderFront } from './render.ts';
import { createRng, type Rng } from './rng.ts';
import { drawVariation } from './variation.ts';

/** The cases, and the short slug each one's file names use (no side word in it: `front-twice` would confuse the pairing). */
export const TRUST_CASES = {
  'mixed-pair': 'mixed',
  'tampered-back': 'tampered',
  'front-twice': 'twofronts',
  'back-twice': 'twobacks',
  passport: 'passport',
  'foreign-id': 'foreignid',
  'bill-as-front': 'billcard',
  'bill-both': 'billonly',
  'blank-back': 'blank',
  'wrong-country': 'dpi',
  reissued: 'reissued',
  photocopy: 'photocopy',
  duplicate: 'dup',
  genuine: 'genuine',
} as const;
export type TrustCase = keyof typeof TRUST_CASES;

/** bad: must be an error or flagged; genuine: the control; photocopy and duplicate: reported on their own. */
export type TrustKind = 'bad' | 'genuine' | 'photocopy' | 'duplicate';
export const TRUST_KIND: Readonly<Record<TrustCase, TrustKind>> = {
  'mixed-pair': 'bad', 'tampered-back': 'bad', 'front-twice': 'bad', 'back-twice': 'bad', passport: 'bad', 'foreign-id': 'bad',
  'bill-as-front': 'bad', 'bill-both': 'bad', 'blank-back': 'bad', 'wrong-country': 'bad', reissued: 'bad',
  photocopy: 'photocopy', duplicate: 'duplicate', genuine: 'genuine',
};

/** What one image shows. */
export type Shows = 'ine-front' | 'ine-back' | 'passport-page' | 'foreign-id-back' | 'letter-page' | 'bill-page' | 'blank' | 'dpi-front' | 'dpi-back';

export interface TrustEntry {
  readonly id: string;
  readonly case: TrustCase;
  readonly kind: TrustKind;
  readonly condition: Condition;
  /** Paths relative to the corpus folder. */
  readonly front: string;
  readonly back: string;
  /** The same two images under camera names, front first. */
  readonly camera: readonly [string, string];
  readonly shows: { readonly front: Shows; readonly back: Shows };
  /** Whose each side is: the CURP it carries (an INE side, a passport, a bill's holder), or the document's number. */
  readonly person: { readonly front: string; readonly back: string };
  /** The MRZ drawn on a side that has one (the INE back's, or the other document's). */
  readonly mrz?: readonly string[];
  /** Genuine, photocopy and duplicate pairs: the record a reader should produce. */
  readonly fields?: CardFields;
  /** Duplicate: the id of the other copy. */
  readonly duplicateOf?: string;
  /** Reissued: the emission number, CIC and issue year of the front's card and of the back's. */
  readonly issues?: { readonly front: IssueKeys; readonly back: IssueKeys };
}

export interface IssueKeys {
  readonly emission: string;
  readonly cic: string;
  readonly issueYear: number;
}

export interface TrustOptions {
  readonly seed: number;
  readonly outDir: string;
  /** Pairs of each bad case, photocopies and duplicates (default 3). */
  readonly perCase?: number;
  /** Genuine control pairs, over the regular conditions (default 20). */
  readonly controls?: number;
}

interface Built {
  readonly front: Captured;
  readonly back: Captured;
  readonly shows: TrustEntry['shows'];
  readonly person: TrustEntry['person'];
  readonly condition: Condition;
  readonly mrz?: readonly string[];
  readonly fields?: CardFields;
  readonly issues?: TrustEntry['issues'];
}

/** A person and their card, rendered with a per-card variation like the corpus. */
function person(seed: number, tag: string, model?: CardModel): SyntheticCard {
  const rng = createRng(`${seed}/trust/${tag}`);
  return generateIdentity(rng.fork('identity'), { ...(model ? { model } : {}), addressRng: rng.fork('address') });
}

function faces(card: SyntheticCard, seed: number, tag: string): { front: Buffer; back: Buffer } {
  const rng = createRng(`${seed}/trust/${tag}/render`);
  const v = drawVariation(rng.fork('variation'));
  return { front: renderFront(card, rng.fork('front'), undefined, v), back: renderBack(card, rng.fork('back'), v) };
}

const shoot = (png: Buffer, condition: Condition, rng: Rng): Promise<Captured> => capture(png, condition, rng, { forceJpeg: true });

/** The same card with another MRZ: someone else's name, birth date and sex, every check digit valid. */
function tamperedMrz(card: SyntheticCard, other: SyntheticCard): SyntheticCard {
  const mrz = buildMrz({
    cic: card.cic, section: card.section, citizenId: card.citizenId, validUntil: card.validUntil, emission: card.emission,
    mrzSerial: card.mrz[1].slice(23, 28), birth: other.birth, sex: other.sex, paterno: other.paterno, materno: other.materno, given: other.given,
  });
  return { ...card, mrz };
}

/** The same person's later card: a G/H issued after the first, emission number up by one, a new CIC. */
function reissue(card: SyntheticCard, rng: Rng): SyntheticCard {
  const issueYear = rng.int(Math.max(2019, card.issueYear + 1), 2024);
  const emission = String(Math.min(99, Number(card.emission) + 1)).padStart(2, '0');
  const cic = String(rng.int(1, 999_999_999)).padStart(9, '0');
  const validUntil = issueYear + 10;
  const mrz = buildMrz({ ...card, cic, emission, validUntil, mrzSerial: rng.digits(5) });
  return { ...card, model: rng.pick(['G', 'H'] as const), issueYear, validUntil, emission, cic, mrz };
}

function ineSides(card: SyntheticCard): Pick<Built, 'shows' | 'person'> {
  return { shows: { front: 'ine-front', back: 'ine-back' }, person: { front: card.curp, back: card.curp } };
}

/** What every case's builder gets: pair k's stream, its capture condition and its first person. */
interface CaseContext {
  readonly seed: number;
  readonly tag: string;
  readonly rng: Rng;
  readonly condition: Condition;
  readonly a: SyntheticCard;
  /** Person a's card faces, rendered on first use. */
  readonly fa: () => { front: Buffer; back: Buffer };
  readonly k: number;
}

type PairCase = Exclude<TrustCase, 'genuine' | 'duplicate'>;

/** One builder per case: the images of pair k and what they show. */
const BUILDERS: Readonly<Record<PairCase, (x: CaseContext) => Promise<Built>>> = {
  'mixed-pair': async ({ seed, tag, rng, condition, a, fa }) => {
    const b = person(seed, `${tag}/b`, a.model);
    return {
      front: await shoot(fa().front, condition, rng), back: await shoot(faces(b, seed, `${tag}/b`).back, condition, rng),
      shows: { front: 'ine-front', back: 'ine-back' }, person: { front: a.curp, back: b.curp }, condition, mrz: b.mrz,
    };
  },
  'tampered-back': async ({ seed, tag, rng, condition, a, fa }) => {
    const b = person(seed, `${tag}/b`);
    const forged = tamperedMrz(a, b);
    return {
      front: await shoot(fa().front, condition, rng), back: await shoot(faces(forged, seed, `${tag}/a`).back, condition, rng),
      shows: { front: 'ine-front', back: 'ine-back' }, person: { front: a.curp, back: b.curp }, condition, mrz: forged.mrz,
    };
  },
  'front-twice': async ({ rng, condition, a, fa }) => {
    const front = await shoot(fa().front, condition, rng);
    return { front, back: front, ...ineSides(a), shows: { front: 'ine-front', back: 'ine-front' }, condition };
  },
  'back-twice': async ({ rng, condition, a, fa }) => {
    const back = await shoot(fa().back, condition, rng);
    return { front: back, back, ...ineSides(a), shows: { front: 'ine-back', back: 'ine-back' }, condition, mrz: a.mrz };
  },
  passport: async ({ rng, condition, a }) => {
    const number = `${rng.pick([...'GN'])}${rng.digits(8)}`;
    const expiry = { year: a.issueYear + 10, month: 3, day: 13 };
    const lines = td3({ state: 'MEX', number }, {
      surnames: `${a.paterno} ${a.materno}`, given: a.given, sex: a.sex === 'H' ? 'M' : 'F', birth: a.birth, expiry, nationality: 'MEX',
    });
    const page = await shoot(passportPage(a, lines, number, rng), condition, rng);
    return { front: page, back: page, shows: { front: 'passport-page', back: 'passport-page' }, person: { front: a.curp, back: a.curp }, condition, mrz: lines };
  },
  'foreign-id': async ({ rng, condition, a }) => {
    const number = `C${rng.digits(8)}`;
    const lines = td1({ code: 'ID', state: 'CHE', number }, {
      surnames: rng.pick(['MUELLER', 'MEIER', 'SCHMID', 'FAVRE', 'ROSSI']), given: rng.pick(['ANNA LENA', 'LUCA', 'NOAH', 'LEA']),
      sex: rng.pick(['M', 'F'] as const), birth: a.birth, expiry: { year: a.issueYear + 10, month: 5, day: 1 }, nationality: 'CHE',
    });
    return {
      front: await shoot(letterPage(rng), 'scan', rng), back: await shoot(foreignIdBack(lines, rng), condition, rng),
      shows: { front: 'letter-page', back: 'foreign-id-back' }, person: { front: '', back: number }, condition, mrz: lines,
    };
  },
  'bill-as-front': async ({ rng, condition, a, fa }) => ({
    front: await shoot(billPage(a, rng), 'scan', rng), back: await shoot(fa().back, condition, rng),
    ...ineSides(a), shows: { front: 'bill-page', back: 'ine-back' }, condition, mrz: a.mrz,
  }),
  'bill-both': async ({ rng, a }) => {
    const bill = await shoot(billPage(a, rng), 'scan', rng);
    return { front: bill, back: bill, ...ineSides(a), shows: { front: 'bill-page', back: 'bill-page' }, condition: 'scan' };
  },
  'blank-back': async ({ rng, condition, a, fa }) => ({
    front: await shoot(fa().front, condition, rng), back: await shoot(blankSheet(), 'scan', rng),
    ...ineSides(a), shows: { front: 'ine-front', back: 'blank' }, person: { front: a.curp, back: '' }, condition,
  }),
  'wrong-country': async ({ rng, condition, a }) => {
    const cui = `${rng.digits(4)} ${rng.digits(5)} ${rng.pick(['0101', '0108', '1601'])}`;
    const lines = td1({ code: 'ID', state: 'GTM', number: cui.replace(/ /g, '').slice(0, 9), optional1: cui.replace(/ /g, '') }, {
      surnames: `${a.paterno} ${a.materno}`, given: a.given, sex: a.sex === 'H' ? 'M' : 'F', birth: a.birth,
      expiry: { year: a.issueYear + 10, month: 6, day: 1 }, nationality: 'GTM',
    });
    const dpi = dpiCard(a, cui, lines, rng);
    return {
      front: await shoot(dpi.front, condition, rng), back: await shoot(dpi.back, condition, rng),
      shows: { front: 'dpi-front', back: 'dpi-back' }, person: { front: cui, back: cui }, condition, mrz: lines,
    };
  },
  reissued: async ({ seed, tag, rng, condition, k }) => {
    const first = person(seed, `${tag}/a`, k % 2 ? 'F' : 'E');
    const later = reissue(first, rng);
    const keys = (x: SyntheticCard): IssueKeys => ({ emission: x.emission, cic: x.cic, issueYear: x.issueYear });
    return {
      front: await shoot(faces(first, seed, `${tag}/first`).front, condition, rng), back: await shoot(faces(later, seed, `${tag}/later`).back, condition, rng),
      ...ineSides(first), condition, mrz: later.mrz, issues: { front: keys(first), back: keys(later) },
    };
  },
  photocopy: async ({ rng, a, fa }) => ({
    front: await shoot(await photocopy(fa().front, rng), 'scan', rng), back: await shoot(await photocopy(fa().back, rng), 'scan', rng),
    ...ineSides(a), condition: 'scan', mrz: a.mrz, fields: truthFields(a),
  }),
};

/** Builds pair k of a case. */
function build(c: PairCase, seed: number, k: number): Promise<Built> {
  const tag = `${c}/${k}`;
  const a = person(seed, `${tag}/a`, CARD_MODELS[k % 4]);
  let drawn: { front: Buffer; back: Buffer } | undefined;
  const fa = (): { front: Buffer; back: Buffer } => (drawn ??= faces(a, seed, `${tag}/a`));
  const condition: Condition = (['scan', 'photo'] as const)[k % 2] ?? 'scan';
  return BUILDERS[c]({ seed, tag, rng: createRng(`${seed}/trust/${tag}/capture`), condition, a, fa, k });
}

interface Written extends Built {
  readonly id: string;
  readonly case: TrustCase;
  readonly duplicateOf?: string;
}

/** Genuine control i: a corpus card (seeded apart from the corpora) over the regular conditions. */
async function genuine(seed: number, i: number): Promise<Built> {
  const condition = CONDITIONS[i % CONDITIONS.length] ?? 'scan';
  const model = CARD_MODELS[Math.floor(i / CONDITIONS.length) % 4] ?? 'E';
  const card = await generateCard(seed, 100_000 + i, { condition, model }, { forceJpeg: true });
  return {
    front: card.front, back: card.back, condition, shows: { front: 'ine-front', back: 'ine-back' },
    person: { front: card.fields.curp, back: card.fields.curp }, mrz: [card.fields.mz1, card.fields.mz2, card.fields.mz3], fields: card.fields,
  };
}

/** The same card twice: two captures of one card under two ids. */
async function duplicates(seed: number, k: number): Promise<[Built, Built]> {
  const tag = `duplicate/${k}`;
  const a = person(seed, tag, CARD_MODELS[k % 4]);
  const fa = faces(a, seed, tag);
  const copy = async (n: number, condition: Condition): Promise<Built> => {
    const rng = createRng(`${seed}/trust/${tag}/capture-${n}`);
    return { front: await shoot(fa.front, condition, rng), back: await shoot(fa.back, condition, rng), ...ineSides(a), condition, mrz: a.mrz, fields: truthFields(a) };
  };
  return [await copy(1, 'scan'), await copy(2, 'photo')];
}

/** Every pair of the corpus, in order. */
async function* pairsOf(opts: TrustOptions): AsyncGenerator<Written> {
  const perCase = opts.perCase ?? 3;
  for (const c of Object.keys(BUILDERS) as PairCase[]) {
    for (let k = 1; k <= perCase; k++) yield { ...(await build(c, opts.seed, k)), id: `${TRUST_CASES[c]}-${k}`, case: c };
  }
  for (let k = 1; k <= perCase; k++) {
    const [x, y] = await duplicates(opts.seed, k);
    yield { ...x, id: `dup-${k}a`, case: 'duplicate', duplicateOf: `dup-${k}b` };
    yield { ...y, id: `dup-${k}b`, case: 'duplicate', duplicateOf: `dup-${k}a` };
  }
  for (let i = 0; i < (opts.controls ?? 20); i++) yield { ...(await genuine(opts.seed, i)), id: `genuine-${i + 1}`, case: 'genuine' };
}

/** Writes the corpus (see the module comment) and returns its entries, also written to trust.json. */
export async function generateTrustCorpus(opts: TrustOptions): Promise<TrustEntry[]> {
  for (const d of ['pairs', 'camera']) await mkdir(path.join(opts.outDir, d), { recursive: true });
  const entries: TrustEntry[] = [];
  let camera = 1000;
  for await (const w of pairsOf(opts)) {
    const front = `pairs/${w.id}_front.${w.front.ext}`;
    const back = `pairs/${w.id}_back.${w.back.ext}`;
    // Camera numbers of consecutive pairs are 10 apart: each pair is its own run of two.
    const cam: [string, string] = [`camera/IMG_${camera}.${w.front.ext}`, `camera/IMG_${camera + 1}.${w.back.ext}`];
    camera += 10;
    for (const [p, img] of [[front, w.front], [back, w.back], [cam[0], w.front], [cam[1], w.back]] as const) {
      await writeFile(path.join(opts.outDir, p), img.data);
    }
    entries.push({
      id: w.id, case: w.case, kind: TRUST_KIND[w.case], condition: w.condition, front, back, camera: cam, shows: w.shows, person: w.person,
      ...(w.mrz ? { mrz: w.mrz } : {}), ...(w.fields ? { fields: w.fields } : {}), ...(w.duplicateOf ? { duplicateOf: w.duplicateOf } : {}),
      ...(w.issues ? { issues: w.issues } : {}),
    });
  }
  const manifest = stringify(entries.map((e) => [e.id, e.front, e.back]), { header: true, columns: ['id', 'front', 'back'] });
  await writeFile(path.join(opts.outDir, 'manifest.csv'), manifest);
  await writeFile(path.join(opts.outDir, 'trust.json'), JSON.stringify(entries, null, 2) + '\n');
  return entries;
}
