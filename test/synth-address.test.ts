/**
 * Addresses as printed: the forms real cards carry (issue 12: the lone `I` of FRANCISCO I
 * MADERO dropped, `S/N` read `SIN`, a `.` invented after the postal code), nothing a card
 * would not print, and the truth exactly what the renderer draws.
 */
import { describe, expect, it } from 'vitest';
import { addressLines, printedAddress } from '../src/synth/address.ts';
import { STATES } from '../src/domain/states.ts';
import { CARD_MODELS, generateIdentity, truthFields } from '../src/synth/identity.ts';
import { renderFront, type FrontLayout } from '../src/synth/render.ts';
import { createRng } from '../src/synth/rng.ts';

const rng = createRng('addresses');
const printed = Array.from({ length: 1500 }, (_, i) => printedAddress(rng, STATES[i % STATES.length]!));

/** What a card may print: upper-case letters (Ñ), digits, spaces, and `# / . , -` in their places. */
const PRINTABLE = /^[A-ZÑ0-9 #/.,-]+$/;

describe('printed addresses', () => {
  it.each([
    ['a single-letter word in a name (FRANCISCO I MADERO)', (l: string[]) => /[A-Z]{2,} [A-Z] [A-Z]{2,}/.test(l[0] ?? '')],
    ['S/N', (l: string[]) => / S\/N$/.test(l[0] ?? '')],
    ['MZ n LT n', (l: string[]) => / MZ \d+ LT \d+$/.test(l[0] ?? '')],
    ['# before the number', (l: string[]) => / #\d+/.test(l[0] ?? '')],
    ['INT', (l: string[]) => / INT [A-Z0-9]+$/.test(l[0] ?? '')],
    ['NO. EXT', (l: string[]) => / NO\. EXT \d+/.test(l[0] ?? '')],
    ['a colonia with a number', (l: string[]) => /\d/.test((l[1] ?? '').slice(0, -6))],
  ])('include %s', (_name, has) => {
    expect(printed.filter((a) => has(a.lines)).length).toBeGreaterThanOrEqual(15);
  });

  it('print nothing a card would not: the postal code ends line 2, with no invented dot', () => {
    for (const { lines, postalCode } of printed) {
      for (const l of lines) expect(l).toMatch(PRINTABLE);
      for (const l of lines) expect(l).not.toMatch(/\s{2}|^\s|\s$/);
      expect(postalCode).toMatch(/^\d{5}$/);
      expect(lines[1].endsWith(` ${postalCode}`)).toBe(true);
      // A dot only in NO. EXT and in the state abbreviation (`GTO.`, `B.C.`), never after a number.
      expect(lines[0].replace(/ NO\. EXT /, ' ')).not.toContain('.');
      expect(lines[1]).not.toContain('.');
      expect(lines[2]).toMatch(/^[A-ZÑ ]+, [A-Z. ]+$/);
    }
  });

  it('the original forms are unchanged (the samples depend on them)', () => {
    const a = addressLines(createRng('base'), STATES[13]!);
    const b = addressLines(createRng('base'), STATES[13]!);
    expect(a).toEqual(b);
    const card = generateIdentity(createRng('base-card'));
    const withPrinted = generateIdentity(createRng('base-card'), { addressRng: createRng('addr') });
    // Only the address differs: every other field is drawn the same.
    const [f, g] = [truthFields(card), truthFields(withPrinted)];
    for (const k of Object.keys(f) as (keyof typeof f)[]) {
      if (!/^address|postalCode/.test(k)) expect(g[k]).toBe(f[k]);
    }
  });

  it('the truth is exactly what the front prints', () => {
    const r = createRng('drawn');
    for (let i = 0; i < 12; i++) {
      const card = generateIdentity(createRng(`drawn-${i}`), { model: CARD_MODELS[i % 4] ?? 'E', addressRng: r });
      const layout: FrontLayout = {};
      renderFront(card, createRng(`drawn-front-${i}`), layout);
      const f = truthFields(card);
      for (const line of [f.addressLine1, f.addressLine2, f.addressLine3]) expect(layout.texts).toContain(line);
      for (const v of [f.firstLastName, f.name, f.curp, f.electoralId]) expect(layout.texts).toContain(v);
    }
  });
});
