/**
 * The letters that CURP and clave de elector take from a person's names.
 * One implementation serves the generator (to build consistent cards) and the
 * extractor (to cross-check names read from the front against CURP and clave).
 *
 * CURP rules: RENAPO "Instructivo normativo para la asignación de la CURP", as implemented
 * by curp.js (`filtraInconvenientes`, particle and MARIA/JOSE handling) — see
 * shared/domain/ine-formats.md §3.
 * Clave de elector: initial + first internal consonant of paterno, materno, nombre
 * (ine-formats.md §4; e.g. GOMEZ VELAZQUEZ MARGARITA → GMVLMR). INE does not publish the
 * full algorithm, so the extractor treats a clave-name mismatch as a warning only.
 */
import { CURP_INCONVENIENT_WORDS } from './states.ts';

const PARTICLES = new Set([
  'DA', 'DAS', 'DE', 'DEL', 'DER', 'DI', 'DIE', 'DD', 'EL', 'LA', 'LOS', 'LAS', 'LE', 'LES',
  'MAC', 'MC', 'VAN', 'VON', 'Y',
]);
const SKIPPED_FIRST_GIVEN = new Set(['MARIA', 'MA', 'MA.', 'JOSE', 'J', 'J.']);
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);

/** Upper case, accents stripped, Ñ kept; anything else that is not A–Z or Ñ becomes a space-separated token boundary or X. */
export function normalizeName(s: string): string {
  return s
    .toUpperCase()
    .replace(/Ñ/g, '\u0000')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\u0000/g, 'Ñ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of a name with the particles RENAPO ignores removed (all of them, if that leaves nothing). */
function significantWords(name: string): string[] {
  const words = normalizeName(name).split(' ').filter(Boolean);
  const kept = words.filter((w) => !PARTICLES.has(w));
  return kept.length > 0 ? kept : words;
}

function letterOrX(ch: string | undefined): string {
  if (ch === undefined) return 'X';
  if (ch === 'Ñ') return 'X';
  return /^[A-Z]$/.test(ch) ? ch : 'X';
}

function firstInternal(word: string, wantVowel: boolean): string {
  for (const ch of word.slice(1)) {
    if (!/^[A-ZÑ]$/.test(ch)) continue;
    const isVowel = VOWELS.has(ch);
    if (isVowel === wantVowel) return ch === 'Ñ' ? 'X' : ch;
  }
  return 'X';
}

/** The given name RENAPO uses: the second one when the first is MARIA/MA/JOSE/J and there are several. */
function curpGivenWord(given: string): string {
  const words = significantWords(given);
  if (words.length > 1 && SKIPPED_FIRST_GIVEN.has(words[0] ?? '')) return words[1] ?? '';
  return words[0] ?? '';
}

export interface CurpNameKey {
  /** CURP positions 1–4 (after the inconvenient-word rule). */
  readonly initials: string;
  /** CURP positions 14–16: first internal consonants of paterno, materno, given name. */
  readonly consonants: string;
}

/** CURP letters derived from names; `materno` may be empty (then X). */
export function curpNameKey(paterno: string, materno: string, given: string): CurpNameKey {
  const p = significantWords(paterno)[0] ?? '';
  const mWords = significantWords(materno);
  const m = mWords[0] ?? '';
  const g = curpGivenWord(given);
  let initials =
    letterOrX(p[0]) + (p ? firstInternal(p, true) : 'X') + (m ? letterOrX(m[0]) : 'X') + letterOrX(g[0]);
  if (CURP_INCONVENIENT_WORDS.has(initials)) initials = initials[0] + 'X' + initials.slice(2);
  const consonants =
    (p ? firstInternal(p, false) : 'X') + (m ? firstInternal(m, false) : 'X') + (g ? firstInternal(g, false) : 'X');
  return { initials, consonants };
}

/** Clave de elector positions 1–6: initial + first internal consonant of paterno, materno, given name. */
export function claveNameKey(paterno: string, materno: string, given: string): string {
  const pair = (name: string): string => {
    const w = significantWords(name)[0] ?? '';
    if (!w) return 'XX';
    return letterOrX(w[0]) + firstInternal(w, false);
  };
  return pair(paterno) + pair(materno) + pair(given);
}
