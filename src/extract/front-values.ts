/**
 * Values as the front prints them, read from OCR text: digits with their letter look-alikes,
 * the DD/MM/YYYY date, the VIGENCIA year range, and CURP/clave tokens. Shared by the label
 * reader (front.ts) and the row reader (front-rows.ts), which both import from here.
 */
import { AS_DIGIT, AS_LETTER, classOf } from '../domain/lookalikes.ts';
import { foldForMatch } from './words.ts';

/** A token of digits or their look-alikes (AS_DIGIT). */
export const DIGITISH_TOKEN = new RegExp(`^[0-9${classOf(Object.keys(AS_DIGIT))}]+$`, 'i');

/** Coerces OCR text to digits where a field is numeric; other characters are dropped. */
export function asDigits(s: string): string {
  let out = '';
  for (const ch of foldForMatch(s)) {
    if (ch >= '0' && ch <= '9') out += ch;
    else if (AS_DIGIT[ch] !== undefined) out += AS_DIGIT[ch];
  }
  return out;
}

/** DD/MM/YYYY, also when the slashes were read as 1, 7, l or dropped. */
export function parseDateText(t: string): string | undefined {
  const compact = foldForMatch(t).replace(/\s+/g, '');
  const m = /(\d|[OQDIL])(\d|[OQDIL])[/\\|1lI7-]?(\d|[OQDIL])(\d|[OQDIL])[/\\|1lI7-]?([12lI]\d{3}|[12lI][0-9OQDILSZGB]{3})/i.exec(compact);
  const candidates: string[] = [];
  if (m) candidates.push(asDigits(m[1]! + m[2]!) + asDigits(m[3]! + m[4]!) + asDigits(m[5]!));
  const digits = asDigits(compact);
  if (digits.length === 10) candidates.push(digits.slice(0, 2) + digits.slice(3, 5) + digits.slice(6));
  if (digits.length === 8) candidates.push(digits);
  for (const c of candidates) {
    const dd = Number(c.slice(0, 2));
    const mm = Number(c.slice(2, 4));
    const yyyy = Number(c.slice(4, 8));
    if (c.length === 8 && dd >= 1 && dd <= 31 && mm >= 1 && mm <= 12 && yyyy >= 1900 && yyyy <= 2100) {
      return `${c.slice(0, 2)}/${c.slice(2, 4)}/${c.slice(4, 8)}`;
    }
  }
  return undefined;
}

/** A symbol AS_LETTER maps, between letters or digits. */
const CODE_SYMBOL = new RegExp(`(?<=[A-Za-z0-9])[${classOf(Object.keys(AS_LETTER).filter((k) => !/[A-Z0-9]/.test(k)))}](?=[A-Za-z0-9])`, 'g');

/**
 * Punctuation OCR puts for a letter inside a code token: `)`/`]` for J (its hook), `|`/`!`
 * for I, `$` for S, `(`/`[`/`{` for C. Only inside runs of letters and digits.
 */
export function codeLookalikes(t: string): string {
  return t.replace(CODE_SYMBOL, (c) => AS_LETTER[c] ?? c);
}

/**
 * CURP or clave as read: letters and digits only, spaces inside tolerated, up to 20 characters
 * so that merge can try dropping a character the OCR inserted.
 */
export function code18(t: string): string | undefined {
  const compact = codeLookalikes(foldForMatch(t)).replace(/[^A-Z0-9]/g, '');
  if (compact.length < 17) return undefined;
  return compact.slice(0, 20);
}

/**
 * VIGENCIA: `2021 - 2031` on G/H, one year on E/F. Up to two stray marks glued before a
 * year (`72022`) are dropped; a range must run forward.
 */
export function yearRange(t: string): { from: string; to: string } | undefined {
  const tokens = t.split(/[\s\-–—]+/).map(asDigits).filter((d) => d.length > 0);
  const years = tokens
    .map((d) => (d.length === 4 ? d : (d.length === 5 || d.length === 6) && /^(19|20)\d\d$/.test(d.slice(-4)) ? d.slice(-4) : ''))
    .filter((d) => /^(19|20)\d\d$/.test(d));
  if (years.length >= 2 && years[1]! >= years[0]!) return { from: years[0]!, to: years[1]! };
  const all = asDigits(t);
  if (all.length === 8 && /^(19|20)\d\d(19|20)\d\d$/.test(all) && all.slice(4) >= all.slice(0, 4)) return { from: all.slice(0, 4), to: all.slice(4) };
  if (years.length === 1) return { from: '', to: years[0]! };
  return undefined;
}
