/**
 * Check-digit arithmetic shared by the validators and the synthetic generator.
 * Pure functions, no OCR knowledge here.
 */

/** Value of an MRZ character under ICAO 9303 Part 3 §4.9: 0-9 → 0-9, A-Z → 10-35, `<` → 0. */
export function mrzCharValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (ch === '<') return 0;
  return Number.NaN;
}

const ICAO_WEIGHTS = [7, 3, 1] as const;

/**
 * ICAO 9303 check digit (weights 7-3-1 repeating, sum mod 10).
 * Returns NaN when the input holds a character outside the MRZ alphabet.
 */
export function icaoCheckDigit(data: string): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    sum += mrzCharValue(data[i] ?? '') * (ICAO_WEIGHTS[i % 3] ?? 0);
  }
  return sum % 10;
}

/** RENAPO's CURP alphabet: Ñ sits between N and O, so Ñ = 24 and Z = 36. */
export const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/**
 * CURP check digit (position 18) over the first 17 characters:
 * sum of value(c_i) × (18 − i), check = (10 − sum mod 10) mod 10.
 * Source: RENAPO instructivo, as implemented by curp.js `agregaDigitoVerificador`.
 * Returns NaN for characters outside the alphabet or a wrong length.
 */
export function curpCheckDigit(first17: string): number {
  if (first17.length !== 17) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CURP_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return Number.NaN;
    sum += v * (18 - i);
  }
  return (10 - (sum % 10)) % 10;
}
