/**
 * Notes in words, for people: the only place a note becomes a sentence. Nothing decides on
 * these words (decisions read the codes in src/evidence.ts). No sentence carries a field
 * value: positions (1-based for the CURP and clave, as RENAPO's instructivo counts; 0-based
 * within an MRZ line, as ICAO's tables do), single characters of a repair, counts and names.
 */
import type { CodeField, MrzCheckName, Note, NoteOf, Repair, RepairKind } from '../evidence.ts';
import type { RecordNote } from '../record.ts';

/** The name each code field has in words. */
const CODE_LABEL: Readonly<Record<CodeField, string>> = { curp: 'CURP', electoralId: 'clave de elector' };

/** Check digits in words. */
const MRZ_CHECK_LABEL: Readonly<Record<MrzCheckName, string>> = {
  cic: 'CIC',
  birthDate: 'birth date',
  expiry: 'expiry date',
  composite: 'composite',
};

/** Where each MRZ check digit sits (ICAO 9303 Part 5 TD1), for the words. */
const MRZ_CHECK_PLACE: Readonly<Record<MrzCheckName, string>> = {
  cic: 'line 1 position 14',
  birthDate: 'line 2 position 6',
  expiry: 'line 2 position 14',
  composite: 'line 2 position 29',
};

/** What a repair did, in words. */
const REPAIR_WORDS: Readonly<Record<RepairKind, (r: Repair) => string>> = {
  'letter-as-digit': () => 'letter read in a digit position',
  'digit-as-letter': () => 'digit read in a letter position',
  'filler-misread': () => 'filler misread',
  'fixed-misread': () => 'fixed character misread',
  'sex-misread': () => 'sex misread',
  'document-code': () => 'document code misread',
  'filler-run-rebuilt': () => 'filler run rebuilt between the digit blocks',
  'unexpected-as-filler': () => 'unexpected character read as filler',
  'filler-deduplicated': () => 'duplicated filler removed',
  'line-padded': () => 'line padded with filler',
  'line-cut': () => 'line cut to 30 characters',
  realigned: (r) => `optional data realigned from ${r.count ?? '?'} characters`,
  'realigned-by-check-digits': () => 'optional data realigned (check digits)',
  'extra-dropped-birth-date': () => 'extra character dropped (birth date check digit)',
  'extra-dropped': () => 'extra character dropped (check digits)',
  'by-check-digit': (r) => `confusable digit chosen by the ${r.check ? CHECK_WORDS[r.check] : ''} check digit`,
  'settled-by-other-reading': () => 'birth date digit settled by the date read elsewhere on the card',
  'enye-resolved': () => 'Ñ read where RENAPO writes N or X',
};

const CHECK_WORDS: Readonly<Record<NonNullable<Repair['check']>, string>> = {
  'mrz-cic': 'CIC',
  'mrz-birth-date': 'birth date',
  'mrz-expiry': 'expiry date',
  'mrz-composite': 'composite',
  'curp-check-digit': 'CURP',
  curp: 'CURP',
};

type Words = { readonly [C in Note['code']]: (n: NoteOf<C>) => string };

const NOTE_WORDS: Words = {
  'mrz-not-found': () => 'MRZ not found',
  'mrz-line-missing': (n) => `MRZ line ${n.line} not found`,
  'mrz-line-length': (n) => `MRZ line ${n.line}: ${n.count} characters after repair`,
  'mrz-line-unaligned': (n) =>
    n.line === 1
      ? 'MRZ line 1: digit runs have unexpected lengths; positions could not be aligned'
      : 'MRZ line 2: fields before the nationality have unexpected lengths; positions could not be aligned',
  'mrz-char-unfit': (n) => `MRZ line ${n.line} position ${n.position}: character does not fit a digit position`,
  'mrz-sex-unrecognised': () => 'MRZ line 2 position 7: sex character not recognised',
  'mrz-sex-unreadable': () => 'MRZ line 2 position 7: sex not readable',
  'mrz-optional-length': (n) => `MRZ line 2 positions 18-28: optional data has ${n.count} characters, not 11; kept as read`,
  'mrz-optional-layout': () => 'MRZ line 2 positions 18-28: optional data does not follow <EE<<NNNNN<',
  'mrz-tail-missing': () => 'MRZ line 2: optional data and composite check digit missing',
  'mrz-line3-too-long': (n) => `MRZ line 3: ${n.count} characters read; cut to 30`,
  'mrz-name-separator-missing': () => 'MRZ line 3: no `<<` between surnames and given names',
  'mrz-name-truncated': () => 'MRZ line 3: name fills the line and may be truncated',
  'mrz-date-invalid': (n) =>
    n.check === 'birthDate' ? 'MRZ line 2 positions 0-5: birth date is not a valid date' : 'MRZ line 2 positions 8-13: expiry date is not a valid date',
  'mrz-emission-layout': () => 'MRZ line 2 positions 18-21: emission number not in the <EE< layout',
  'mrz-nationality': () => 'MRZ line 2 positions 15-17: nationality is not MEX',
  'mrz-check-unrepaired': (n) => `MRZ ${MRZ_CHECK_LABEL[n.check]} check digit (${MRZ_CHECK_PLACE[n.check]}) does not match; no unique repair`,
  'mrz-repair': (n) => {
    const r = n.repair;
    const what = r.from.length === 1 && r.to.length === 1 ? `: read '${r.from}' as '${r.to}'` : '';
    return `MRZ line ${n.line} position ${r.position}${what} (${REPAIR_WORDS[r.kind](r)})`;
  },
  'code-length': (n) => `${CODE_LABEL[n.field]}: ${n.count} characters read, not 18`,
  'code-char-unfit': (n) => `${CODE_LABEL[n.field]}: position ${n.position + 1}: character does not fit the position`,
  'code-structure': (n) => `${CODE_LABEL[n.field]}: does not follow the ${CODE_LABEL[n.field]} structure`,
  'code-date': (n) => `${CODE_LABEL[n.field]}: positions ${n.field === 'curp' ? '5-10' : '7-12'}: not a valid date`,
  'code-state': (n) =>
    n.field === 'curp' ? 'CURP: positions 12-13: not a RENAPO state code' : 'clave de elector: positions 13-14: not an INEGI state code (01-32, 87, 88)',
  'code-sex': (n) => (n.field === 'curp' ? 'CURP: position 11: sex not H, M or X' : 'clave de elector: position 15: sex not H or M'),
  'code-hint-birth-date': (n) =>
    `${CODE_LABEL[n.field]}: positions ${n.field === 'curp' ? '5-10' : '7-12'}: birth date differs from the one read elsewhere on the card`,
  'code-hint-sex': (n) => `${CODE_LABEL[n.field]}: position ${n.field === 'curp' ? 11 : 15}: sex differs from the one read elsewhere on the card`,
  'curp-hint-century': () => 'CURP: position 17: digit/letter disagrees with the birth year read elsewhere on the card',
  'curp-date-future': () => 'CURP: positions 5-10: birth date after today (position 17 says 20YY)',
  'curp-check-digit': () => 'CURP: position 18: check digit does not match',
  'curp-inconvenient-word': () => 'CURP: positions 1-4 spell an inconvenient word RENAPO replaces',
  'curp-enye-ambiguous': () => 'CURP: Ñ read: N and X both possible, none settled by the check digit',
  'back-no-mrz': () => 'back: no MRZ found',
  'mrz-check-failed': (n) => `MRZ: ${n.check === 'expiry' ? 'expiry' : MRZ_CHECK_LABEL[n.check]} check digit fails`,
  'mrz-birth-date-from-front': () => "MRZ: birth date corrected from the front's reading; the MRZ's own check digits confirm it",
  'mrz-contradicted': (n) => `MRZ: contradicted by the front (${n.parts.join(', ')}); its check digits are not trusted`,
  'mrz-composite-unconfirmed': () => 'MRZ: fields only the composite check covers are not confirmed by the front',
  'mrz-line3-from-front': () => 'MRZ line 3: characters corrected from the front names (confirmed by the CURP letters)',
  'names-tail-letter-unsure': () => 'MRZ line 3: a letter read just after the given names, taken for a filler; the front may have lost the name\'s last letter',
  'mrz-sex-from-card': () => 'MRZ line 2: the sex, read as no letter it can be, taken from the rest of the card',
  'mrz-line3-completed': () => 'MRZ line 3: read only in part; the rest completed from the front names, which the part read matches',
  'code-extra-dropped': (n) => `${CODE_LABEL[n.field]}: one extra character read by the OCR was dropped`,
  'code-doubled-restored': (n) => `${CODE_LABEL[n.field]}: a character printed twice and read once was doubled`,
  'code-birth-date-from-mrz': (n) => `${CODE_LABEL[n.field]}: unreadable birth-date characters taken from the MRZ`,
  'code-repaired-by-type': (n) => `${CODE_LABEL[n.field]}: ${n.count} character(s) repaired by position type`,
  'code-differs': (n) =>
    `${CODE_LABEL[n.field]}: ${
      n.what === 'birth date' ? 'birth date differs from the card date of birth' : n.what === 'sex' ? 'sex differs from the card sex' : 'letters do not match the names read'
    }`,
  'curp-homoclave-unconfirmed': () => 'CURP: position 17 chosen by the check digit alone; not confirmed',
  'curp-contradicts-names': () => 'CURP: letters disagree with the names read alike on the front and in the MRZ',
  'curp-repaired-from-card': () => 'CURP: misread characters corrected from the verified birth date, sex and names; its check digit confirms them',
  'clave-repaired-from-card': (n) => `clave de elector: ${n.parts.join(', ')} corrected from the rest of the card`,
  'century-differs': () => 'date of birth: the century printed on the front differs from the CURP',
  'century-unsettled': () => 'date of birth: no valid CURP settles the century, and the one printed on the front is not the only possible one',
  'reading-disagrees': (n) => `${n.field === 'dateOfBirth' ? 'date of birth' : 'sex'}: ${n.dissent} disagrees with ${n.support.join(' and ')}`,
  'front-back-disagree': (n) =>
    `${n.field === 'section' ? 'sección' : n.field === 'issueNumber' ? 'emission number' : 'vigencia'}: front and MRZ disagree`,
  'names-from-mrz': (n) => `names: ${n.parts.join(', ')} taken from MRZ line 3, which the CURP/clave letters match better than the front`,
  'names-from-clean-mrz': (n) =>
    `names: ${n.part === 'surnames' ? 'surnames' : 'given names'} taken from MRZ line 3, the MRZ read with every check digit passing and nothing repaired, where the front reads them otherwise and no code letters tell which is right`,
  'names-letter-doubled': (n) => `names: ${n.part}: a letter read twice on the front dropped (MRZ line 3)`,
  'names-q-restored': (n) => `names: ${n.part}: Q read as O on the front before UE/UI taken from MRZ line 3`,
  'names-enye-restored': (n) => `names: ${n.part}: Ñ restored where the CURP has X`,
  'names-curp-letters-differ': () => 'names: CURP letters do not match the names read',
  'names-disagree': (n) =>
    n.part === 'surnames' ? 'names: surnames on the front and in MRZ line 3 disagree' : 'names: given names on the front and in MRZ line 3 disagree',
  'escalation-failed': (n) => `${n.side}: ${n.engine} could not re-read it (${n.error}); the local reading is kept`,
};

/** A note in words. */
export function describeNote(n: Note): string {
  return (NOTE_WORDS[n.code] as (n: Note) => string)(n);
}

/** An MRZ repair as a note (a change to line `line`). */
export function mrzRepairNote(r: Repair & { readonly line: 1 | 2 | 3 }): Note {
  const { line, ...repair } = r;
  return { code: 'mrz-repair', line, repair };
}

/**
 * A note's code as the record carries it: the kind, and its subject when it has one
 * (`mrz-check-failed:cic`, `code-structure:curp`, `names-disagree:given`, `mrz-line-missing:line3`).
 */
export function noteCode(n: Note): string {
  if ('field' in n) return `${n.code}:${n.field}`;
  if ('check' in n) return `${n.code}:${n.check}`;
  if ('part' in n) return `${n.code}:${n.part}`;
  if (n.code === 'mrz-repair') return `${n.code}:${n.repair.kind}`;
  if ('line' in n) return `${n.code}:line${n.line}`;
  if ('side' in n) return `${n.code}:${n.side}`;
  return n.code;
}

/** A note as the record carries it: its code and its words. */
export function toRecordNote(n: Note): RecordNote {
  return { code: noteCode(n), message: describeNote(n) };
}
