/**
 * Names: the front's NOMBRE lines, MRZ line 3 (OCR-B, no check digit) and the letters the
 * CURP (positions 1–4, 14–16) and the clave (1–6) take from them. A name is `valid` when the
 * front and MRZ line 3 read it alike and the CURP letters agree; a front/MRZ difference the
 * CURP letters settle is repaired, one they cannot settle stays a disagreement.
 */
import { mayHaveLostEnye } from '../domain/enye-names.ts';
import { FILLER_LETTERS } from '../domain/lookalikes.ts';
import { claveNameKey, curpNameKey, normalizeName } from '../domain/name-codes.ts';
import type { Binding, NamePart, Note } from '../evidence.ts';
import type { MrzResult } from '../extract/mrz.ts';
import type { FieldSource, Verdict } from '../record.ts';

export interface JudgedNames {
  paterno: string;
  materno: string;
  given: string;
  verdict: Record<NamePart, Verdict>;
  source: Record<NamePart, FieldSource>;
  /** The MRZ name line matches the front names exactly. */
  mrzLineConfirmed: boolean;
  /**
   * MRZ line 3 rebuilt from the front names when the line as read is within two characters of
   * it and the CURP letters confirm the front names: OCR-B misreads (O/Q, I/L) corrected.
   */
  mrzLineFromFront: {
    readonly line: string;
    /** Nothing in it the two readings cannot tell apart (loneTailLetter): it may be confirmed. */
    readonly sure: boolean;
  } | null;
  /**
   * MRZ line 3 read only in part (a finger or glare over one end) and completed from the front
   * names, which the part read matches exactly: its value, never its confirmation.
   */
  mrzLineCompleted: string | null;
  /** Front and MRZ line 3 compared, where both were read: surnames, given names. */
  bindings: Binding[];
}

const PARTS: readonly NamePart[] = ['paterno', 'materno', 'given'];

/** How many of the CURP's name letters (positions 1–4 and 14–16) these names give, 0–7. */
export function curpLetters(curp: string, paterno: string, materno: string, given: string): number {
  if (curp.length !== 18) return 0;
  const k = curpNameKey(paterno, materno, given);
  const want = k.initials + k.consonants;
  const got = curp.slice(0, 4) + curp.slice(13, 16);
  return [...want].filter((c, i) => c === got[i]).length;
}

/** How many of the clave's name letters (positions 1–6) these names give, 0–6. */
export function claveLetters(clave: string, paterno: string, materno: string, given: string): number {
  if (clave.length < 6) return 0;
  const want = claveNameKey(paterno, materno, given);
  return [...clave.toUpperCase().slice(0, 6)].filter((c, i) => c === want[i]).length;
}

/** MRZ line 3 form of a name part: Ñ → N, spaces → `<`, letters only. */
export function mrzForm(s: string): string {
  return normalizeName(s)
    .replace(/Ñ/g, 'N')
    .replace(/[^A-Z ]/g, '')
    .trim()
    .replace(/\s+/g, '<');
}

/** An MRZ read as printed: found, every check digit passing, nothing repaired, nothing noted. */
function readAsPrinted(mrz: MrzResult | null): boolean {
  return !!mrz && mrz.found && mrz.valid && mrz.repairs.length === 0 && mrz.warnings.length === 0;
}

/** Letters Spanish names never print twice in a row (CC, LL, RR, NN, EE, OO, AA and SS do occur). */
const NEVER_DOUBLED = /^[BDGHIJKMPQUVWXYZÑÁÉÍÓÚ]$/;

type Parts = Record<NamePart, string>;

/** How many of the CURP's and the clave's name letters these names give (curpLetters + claveLetters). */
function boundLetters(p: Parts, curp: string, clave: string): number {
  return curpLetters(curp, p.paterno, p.materno, p.given) + claveLetters(clave, p.paterno, p.materno, p.given);
}

/**
 * The front's name lines as paterno, materno, given. When two lines were read, MRZ line 3 tells
 * whether they are one surname and the given names: its surnames are the first line (DE<LEON
 * for DE LEON, a surname of two words), its given names the second, or it has one surname.
 */
function frontParts(lines: readonly string[], mrz: MrzResult | null): Parts {
  if (lines.length >= 3) return { paterno: lines[0]!, materno: lines[1]!, given: lines.slice(2).join(' ') };
  if (lines.length === 2) {
    const surnames = mrz?.fields.surnames ?? [];
    const given = mrz?.fields.givenNames ?? '';
    const oneSurname = surnames.length === 1 || (surnames.length > 0 && mrzForm(lines[0]!) === surnames.join('<')) || (given !== '' && mrzForm(lines[1]!) === mrzForm(given));
    return oneSurname ? { paterno: lines[0]!, materno: '', given: lines[1]! } : { paterno: lines[0]!, materno: lines[1]!, given: '' };
  }
  return { paterno: lines[0] ?? '', materno: '', given: '' };
}

/**
 * A name read differently on the front and in MRZ line 3: keep the reading the CURP and clave
 * letters bind better (a blurred front misreads whole words). Taken from one reading only, it
 * is never better than unverified.
 */
function preferBoundReading(cur: Parts, fromMrz: Parts, curp: string, clave: string, notes: Note[]): Set<NamePart> {
  const swapped = new Set<NamePart>();
  const letters = (p: Parts): number => boundLetters(p, curp, clave);
  for (const part of PARTS) {
    if (!fromMrz[part] || mrzForm(cur[part]) === mrzForm(fromMrz[part])) continue;
    const alt = { ...cur, [part]: fromMrz[part] };
    if (letters(alt) > letters(cur)) {
      Object.assign(cur, alt);
      swapped.add(part);
    }
  }
  if (swapped.size > 0) notes.push({ code: 'names-from-mrz', parts: [...swapped] });
  return swapped;
}

/**
 * A letter the front read twice (ZUÑÑIGA) where MRZ line 3 has it once: Spanish names do not
 * double it, so the front's reading drops the copy and keeps its own accents and Ñ.
 */
function dropDoubledLetters(cur: Parts, fromMrz: Parts, notes: Note[]): void {
  for (const part of PARTS) {
    const word = cur[part];
    if (!word || !fromMrz[part] || mrzForm(word) === mrzForm(fromMrz[part])) continue;
    for (let k = 0; k + 1 < word.length; k++) {
      const [a, b] = [word[k]!, word[k + 1]!];
      // ÑÑ, or ÑN / NÑ (one copy read without its tilde): keep the marked copy.
      const twice = a === b ? NEVER_DOUBLED.test(a) : mrzForm(a) === mrzForm(b) && mrzForm(a) !== '';
      if (!twice) continue;
      const drop = a !== b && mrzForm(a) === a ? k : k + 1;
      const single = word.slice(0, drop) + word.slice(drop + 1);
      if (mrzForm(single) === mrzForm(fromMrz[part])) {
        cur[part] = single;
        notes.push({ code: 'names-letter-doubled', part });
        break;
      }
    }
  }
}

/**
 * Q read as O on the front where MRZ line 3 has the Q (VELAZOUEZ against VELAZQUEZ): in Spanish
 * a Q stands only before UE and UI, and O before them (OUE, OUI) is not how these names are
 * spelt, so the MRZ's reading of that letter is the one taken. Nothing else may differ.
 */
function restoreQu(cur: Parts, fromMrz: Parts, notes: Note[]): void {
  for (const part of PARTS) {
    const word = cur[part];
    const other = fromMrz[part];
    if (!word || !other || word.length !== other.length || mrzForm(word) === mrzForm(other)) continue;
    const diffs = [...word].flatMap((c, i) => (mrzForm(c) === mrzForm(other[i]!) ? [] : [i]));
    if (diffs.every((i) => word[i] === 'O' && other[i] === 'Q' && /^U[EI]/.test(word.slice(i + 1)))) {
      cur[part] = [...word].map((c, i) => (diffs.includes(i) ? 'Q' : c)).join('');
      notes.push({ code: 'names-q-restored', part });
    }
  }
}

/**
 * Ñ read without its tilde: the CURP writes Ñ as X, so an N where the CURP has X for that
 * letter was an Ñ (NUNEZ → NUÑEZ when the CURP reads NXX…/…X…).
 */
function restoreEnye(cur: Parts, curp: string, notes: Note[]): void {
  if (curp.length !== 18) return;
  const agreement = (p: Parts): number => curpLetters(curp, p.paterno, p.materno, p.given);
  for (const part of PARTS) {
    const word = cur[part];
    for (let i = word.indexOf('N'); i >= 0 && i < 40; i = word.indexOf('N', i + 1)) {
      const alt = { ...cur, [part]: word.slice(0, i) + 'Ñ' + word.slice(i + 1) };
      if (agreement(alt) > agreement(cur)) {
        Object.assign(cur, alt);
        notes.push({ code: 'names-enye-restored', part });
        break;
      }
    }
  }
}

/**
 * `read` differs from `printed` only by letters read for fillers: the filler look-alikes
 * (FILLER_LETTERS) anywhere, any letter at `surnameBreak`, the filler between the two surnames,
 * which the CURP's materno initial confirms (RODRIGUEZRYANEZ), and any letter in the line's
 * last place after fillers (EDGE_FILLERS). As many as there are fillers:
 * under moiré or a shadow every `<` of a line may come out K (CORTESKMARQUEZKKJOSEKLUIS), and
 * each is a filler look-alike where the front shows a space, every letter agreeing around it.
 */
function fillerMisreads(printed: string, read: string, surnameBreak: number): number | null {
  const diffs = [...printed].flatMap((ch, i) => (ch === read[i] ? [] : [[read[i]!, ch, i] as const]));
  const edge = printed.length - 1;
  const edgeFiller = printed.endsWith('<'.repeat(EDGE_FILLERS));
  const timesRead = (r: string): number => diffs.filter(([x]) => x === r).length;
  return diffs.every(([r, p, i]) => p === '<' && (FILLER_LETTERS.has(r) || timesRead(r) >= LINE_FILLER_READS || ((i === surnameBreak || (i === edge && edgeFiller)) && /^[A-Z]$/.test(r)))) ? diffs.length : null;
}

/**
 * A letter read for `<` at this many of the places the front's names leave fillers is how this
 * line's fillers came out (a motion blur smears every `<` of a line alike: ORTEGASYANEZSSGUADALUPESSSSSSS,
 * SOTOSAGUILAREEMARTHAEKEEEKEEES, hard eval). Letters the front lost would shift every later
 * place, so a front matching the line elsewhere lost them, if at all, from the end of its last
 * name, which would have to end in the same letter three times.
 */
const LINE_FILLER_READS = 3;

/**
 * The line's last character sits at the crop's end, where the recogniser reads the card's edge
 * or its border as a letter (moiré: ACOSTAKRIOSKKMARIAKELENAKKKKKE). Where the front's names
 * leave at least this many fillers at the end, a letter read in the last place is taken for a
 * filler: no name can end there after fillers.
 */
const EDGE_FILLERS = 3;

/**
 * MRZ line 3 rebuilt from the front's names where the line as read differs from them only in
 * ways that say which reading is right: a letter read for the filler `<` where the front shows
 * a space (fillerMisreads: MARIAKFERNANDA, RODRIGUEZRYANEZ, CORTESKMARQUEZKKJOSEKLUIS), one glyph read twice or inserted
 * (CCASTANEDA, UMENDOZA, DE<SLEON) where the line's names bind fewer CURP and clave letters than
 * the front's (else the front may have lost it: LUS for LUIS), or a filler lost (DOMINGUEZROSAS: the line then ends one
 * `<` longer), with or without filler letters besides. A filler is taken as lost between the
 * two surnames, where the CURP's letters (the materno's initial) say there are two; elsewhere
 * only when the line as read was too short to hold the front's names (`readLength`: it was
 * padded where the front's names still have a letter), since a space the front shows inside the
 * given names (ALBER TO) is otherwise as likely its own misread. A letter read for another letter
 * (VELAZOUEZ against VELAZQUEZ) is not settled here: either reading may be the wrong one, and
 * the CURP letters cannot tell, so it stays a disagreement.
 */
/** MRZ line 3 as the front's names (in MRZ form) print it: surnames, `<<`, given names, padded and cut to 30; null when it holds other characters. */
function frontNameLine(frontSur: string, frontGiven: string): string | null {
  const line = `${frontSur}<<${frontGiven}`.padEnd(30, '<').slice(0, 30);
  return /^[A-Z<]{30}$/.test(line) ? line : null;
}

/** The least of MRZ line 3 that must be read, matching the front, for the rest to be completed from it. */
const MIN_VISIBLE_NAME_LINE = 10;

/**
 * MRZ line 3 as the front's names print it, when the line as read (up to where it was padded)
 * is one stretch of it, however placed: its first characters hidden (GA<HERNANDEZ<<MARIA… for
 * ZUNIGA<HERNANDEZ<<MARIA…) or its last (…<<LOU for …<<LOURDES). The stretch must run across
 * the `<<` between surnames and given names and be at least MIN_VISIBLE_NAME_LINE long.
 */
function lineCompleted(mrzLine: string, frontSur: string, frontGiven: string, readLength: number): string | null {
  const rebuilt = frontNameLine(frontSur, frontGiven);
  if (!rebuilt) return null;
  const seen = mrzLine.slice(0, readLength).replace(/<+$/, '').replace(/^<+/, '');
  if (seen.length < MIN_VISIBLE_NAME_LINE || !seen.includes('<<') || seen === rebuilt.replace(/<+$/, '')) return null;
  return rebuilt.includes(seen) ? rebuilt : null;
}

/**
 * The first filler after the names (`printed`: the line as the front's names print it) read as
 * a letter that no other filler place of the line was read as: a `<` misread (KARENK<<<<, the
 * card's own fillers read right after it), or the last letter of the last name, which the
 * front lost (MANUEL read MANUE): the two readings cannot tell which.
 */
function loneTailLetter(printed: string, read: string): boolean {
  const tail = printed.replace(/<+$/, '').length;
  const r = read[tail];
  if (tail >= printed.length || r === undefined || r === '<' || r === printed[tail]) return false;
  return ![...printed].some((ch, i) => ch === '<' && i !== tail && read[i] === r);
}

/** MRZ line 3 as the front's names print it, where the line as read differs from them only by letters read for fillers (fillerMisreads; -1: no surname break known). */
function fillersFromFront(mrzLine: string, frontSur: string, frontGiven: string, surnameBreak = -1): string | null {
  const rebuilt = frontNameLine(frontSur, frontGiven);
  return rebuilt && (fillerMisreads(rebuilt, mrzLine, surnameBreak) ?? 0) > 0 ? rebuilt : null;
}

function lineFromFront(mrzLine: string, frontSur: string, frontGiven: string, surnameBreak: number, readLength: number, mrzBindsWorse: boolean): string | null {
  const filled = fillersFromFront(mrzLine, frontSur, frontGiven, surnameBreak);
  if (filled) return filled;
  const rebuilt = frontNameLine(frontSur, frontGiven);
  if (!rebuilt) return null;
  // One glyph more in the line than in the front: the line's stray glyph, or one the front lost
  // (LUIS read LUS on a small card, whose CURP letters are the same). Only when the line's own
  // names bind fewer CURP and clave letters than the front's is the glyph the line's.
  const doubled = mrzBindsWorse && [...mrzLine].some((ch, k) => ch !== '<' && mrzLine.slice(0, k) + mrzLine.slice(k + 1) + '<' === rebuilt);
  if (doubled) return rebuilt;
  const readShort = /[A-Z]/.test(rebuilt.slice(readLength));
  for (let k = 0; k < 30; k++) {
    if (rebuilt[k] !== '<' || (k !== surnameBreak && !readShort)) continue;
    if (fillerMisreads(rebuilt.slice(0, k) + rebuilt.slice(k + 1) + '<', mrzLine, -1) !== null) return rebuilt;
  }
  return null;
}

export function judgeNames(nameLines: readonly string[], clave: string, mrz: MrzResult | null, curp: string, notes: Note[]): JudgedNames {
  const cur = frontParts(nameLines, mrz);
  const mf = mrz?.fields;
  const fromMrz: Parts = { paterno: mf?.firstLastName ?? '', materno: mf?.secondLastName ?? '', given: mf?.givenNames ?? '' };
  const fromFront = nameLines.length > 0;
  const truncated = mf?.nameTruncated === true;
  const swapped = mf && mrz?.lines[2] && !truncated && fromFront ? preferBoundReading(cur, fromMrz, curp, clave, notes) : new Set<NamePart>();
  if (mf && !truncated) dropDoubledLetters(cur, fromMrz, notes);
  // A line cut at 30 characters still holds the surnames whole: only its given names are cut.
  if (mf) restoreQu(cur, truncated ? { ...fromMrz, given: '' } : fromMrz, notes);

  // Compare with MRZ line 3: surnames joined by `<`, `<<`, given names, cut at 30.
  const mrzLine = mrz?.lines[2] ?? '';
  // Surnames before the first `<<`, given names all after it: a line with more after the given
  // names (RAFAEL<<S<<S, fillers read as S) does not agree with a front that reads RAFAEL.
  const core = mrzLine.replace(/<+$/, '');
  const cut = core.indexOf('<<');
  const [mrzSur, mrzGiven] = cut < 0 ? [core, ''] : [core.slice(0, cut), core.slice(cut + 2)];
  const frontSur = [mrzForm(cur.paterno), mrzForm(cur.materno)].filter(Boolean).join('<');
  const frontGiven = mrzForm(cur.given);
  const surAgree = mrzLine !== '' && frontSur !== '' && (frontSur === mrzSur || (truncated && mrzGiven === '' && frontSur.startsWith(mrzSur)));
  const givenAgree = mrzLine !== '' && frontGiven !== '' && (frontGiven === mrzGiven || (truncated && mrzGiven.length > 0 && frontGiven.startsWith(mrzGiven)));
  const givenFull = givenAgree && frontGiven === mrzGiven;

  // Fill from the MRZ what the front did not give (Ñ and spacing cannot be recovered there).
  if (mrzLine && mf) {
    if (!cur.paterno && mf.firstLastName) {
      cur.paterno = mf.firstLastName;
      cur.materno = mf.secondLastName;
    }
    if (!cur.given && mf.givenNames && !truncated) cur.given = mf.givenNames;
  }
  restoreEnye(cur, curp, notes);

  // CURP letters bind the names: positions 1–4 and 14–16.
  let curpAgrees: boolean | undefined;
  if (curp.length === 18 && (cur.paterno || cur.given)) {
    curpAgrees = curpLetters(curp, cur.paterno, cur.materno, cur.given) === 7;
    if (!curpAgrees) notes.push({ code: 'names-curp-letters-differ' });
  }

  // MRZ line 3 cannot print Ñ: an N there agrees with a front N whose tilde was lost. Without
  // the CURP's letters to bind the names, an N is witnessed by the front alone; with them, a
  // name that reads as an Ñ name without its tilde (PENA, URENA) still is.
  const enyeWitnessed = (part: NamePart, v: Verdict): Verdict =>
    v === 'valid' && ((curpAgrees !== true && cur[part].includes('N')) || mayHaveLostEnye(cur[part])) ? 'unverified' : v;

  // Where MRZ line 3 was padded because fewer than 30 characters were read.
  const padded = mrz?.repairs.find((r) => r.line === 3 && r.kind === 'line-padded')?.position ?? 30;
  // With the CURP binding the front's names, every repair lineFromFront knows; with no CURP read,
  // only fillers read as letters (the two readings then agree on every letter of the names:
  // hard eval, moiré, ORTEGAKSOLISKKEMILIANOKIGNACIO with the CURP under the moiré).
  if (swapped.size === 0 && mrzLine.length === 30 && fromFront && frontSur && frontGiven && curpAgrees !== false) {
    const rebuilt =
      curpAgrees === true
        ? lineFromFront(mrzLine, frontSur, frontGiven, cur.materno ? mrzForm(cur.paterno).length : -1, padded, boundLetters(fromMrz, curp, clave) < boundLetters(cur, curp, clave))
        : fillersFromFront(mrzLine, frontSur, frontGiven);
    if (rebuilt) {
      // The corrected line and the front agree: names are bound by two readings (and the CURP, when read).
      const givenCut = truncated && frontGiven.length > rebuilt.split('<<')[1]!.replace(/<+$/, '').length;
      // A letter read just after the given names, alone of its kind: the front may have lost it.
      const tailUnsure = loneTailLetter(rebuilt, mrzLine);
      if (tailUnsure) notes.push({ code: 'names-tail-letter-unsure' });
      return {
        ...cur,
        verdict: { paterno: enyeWitnessed('paterno', 'valid'), materno: enyeWitnessed('materno', 'valid'), given: givenCut || tailUnsure ? 'unverified' : enyeWitnessed('given', 'valid') },
        source: { paterno: 'both', materno: 'both', given: 'both' },
        mrzLineConfirmed: true,
        mrzLineFromFront: { line: rebuilt, sure: !tailUnsure },
        mrzLineCompleted: null,
        bindings: [
          { fact: 'surnames', agree: true },
          { fact: 'given names', agree: true },
        ],
      };
    }
  }
  // A disagreement the code letters do not settle, with an MRZ read as printed: its line 3 over
  // the front (OCR-B, printed larger than the names; a small or blurred front drops thin
  // letters: VERONCA, AVLA, LUS). Only when the two readings split the part into as many words,
  // and not where the line has once a letter the front has twice (CARRILO for CARRILLO: the
  // recogniser merges a double letter it sees too narrow).
  const fromCleanMrz: ('surnames' | 'given')[] = [];
  if (fromFront && swapped.size === 0 && readAsPrinted(mrz) && !truncated && boundLetters(fromMrz, curp, clave) >= boundLetters(cur, curp, clave)) {
    const words = (s: string): number => s.split('<').filter(Boolean).length;
    const merged = (front: string, line: string): boolean => [...front].some((ch, k) => ch === front[k + 1] && front.slice(0, k) + front.slice(k + 1) === line);
    const takeLine = (front: string, line: string, agree: boolean): boolean => !!front && !!line && !agree && words(front) === words(line) && !merged(front, line);
    if (takeLine(frontSur, mrzSur, surAgree) && fromMrz.paterno) {
      [cur.paterno, cur.materno] = [fromMrz.paterno, fromMrz.materno];
      fromCleanMrz.push('surnames');
    }
    if (takeLine(frontGiven, mrzGiven, givenAgree) && fromMrz.given) {
      cur.given = fromMrz.given;
      fromCleanMrz.push('given');
    }
    for (const part of fromCleanMrz) notes.push({ code: 'names-from-clean-mrz', part });
    if (fromCleanMrz.length > 0) restoreEnye(cur, curp, notes);
  }

  // Read only in part: completed from the front where the part read is a stretch of its line;
  // the names then neither agree nor disagree with it.
  const completed =
    swapped.size === 0 && mrzLine.length === 30 && fromFront && frontSur && frontGiven && curpAgrees === true && !(surAgree && givenAgree)
      ? lineCompleted(mrzLine, frontSur, frontGiven, padded)
      : null;
  if (mrzLine && frontSur && !surAgree && !completed) notes.push({ code: 'names-disagree', part: 'surnames' });
  if (mrzLine && frontGiven && !givenAgree && !completed) notes.push({ code: 'names-disagree', part: 'given' });
  const partVerdict = (agree: boolean, full: boolean, frontForm: string): Verdict =>
    full && curpAgrees !== false ? 'valid' : mrzLine && frontForm && !agree && !completed ? 'invalid' : curpAgrees === false ? 'invalid' : 'unverified';
  const surVerdict = partVerdict(surAgree, surAgree, frontSur);
  const givenVerdict = partVerdict(givenAgree, givenFull, frontGiven);
  const src = (agree: boolean): FieldSource => (agree ? 'both' : fromFront ? 'front' : 'back');
  const fromClean = (part: NamePart): boolean => fromCleanMrz.includes(part === 'given' ? 'given' : 'surnames');
  const own = (part: NamePart, verdict: Verdict, source: FieldSource): [Verdict, FieldSource] =>
    swapped.has(part) || fromClean(part) ? ['unverified', 'back'] : [verdict, source];
  const [vp, sp] = own('paterno', enyeWitnessed('paterno', cur.paterno ? surVerdict : 'unverified'), src(surAgree));
  const [vm, sm] = own('materno', enyeWitnessed('materno', surVerdict), src(surAgree));
  const [vg, sg] = own('given', enyeWitnessed('given', givenVerdict), src(givenAgree));
  return {
    ...cur,
    verdict: { paterno: vp, materno: vm, given: vg },
    source: { paterno: sp, materno: sm, given: sg },
    mrzLineConfirmed: swapped.size === 0 && surAgree && givenAgree && (givenFull || truncated),
    mrzLineFromFront: null,
    mrzLineCompleted: completed,
    bindings: completed
      ? []
      : [
          ...(mrzSur && frontSur ? [{ fact: 'surnames' as const, agree: surAgree }] : []),
          ...(mrzGiven && frontGiven ? [{ fact: 'given names' as const, agree: givenAgree }] : []),
        ],
  };
}
