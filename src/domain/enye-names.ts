/**
 * Names printed with Ñ, as they read when the tilde is lost: MRZ line 3 prints Ñ as N, so a
 * front that lost the tilde (a small or blurred capture) agrees with it, and the CURP shows the
 * Ñ (as X) only where it is the first inner consonant. A name read as one of these spellings
 * is witnessed by the front alone for that letter: never `valid` on its own.
 *
 * Common Mexican surnames and given names with Ñ (INEGI/RENAPO name frequency lists).
 */
const WITH_ENYE = [
  'ACUÑA', 'AVIÑA', 'BAÑUELOS', 'BOLAÑOS', 'BRISEÑO', 'CAÑAS', 'CAÑEDO', 'CARREÑO', 'CASTAÑEDA', 'CASTAÑO',
  'CEDEÑO', 'IBAÑEZ', 'LIÑAN', 'MAGAÑA', 'MAÑON', 'MONTAÑO', 'MUÑIZ', 'MUÑOZ', 'NIÑO', 'NUÑEZ', 'OCAÑA',
  'ORDOÑEZ', 'PATIÑO', 'PEÑA', 'PEÑALOZA', 'PIÑA', 'PIÑON', 'QUIÑONES', 'QUIÑONEZ', 'SALDAÑA', 'TREVIÑO',
  'UREÑA', 'YAÑEZ', 'ZUÑIGA', 'IÑIGO', 'IÑAKI',
] as const;

/** The names above as read without their tilde (PENA → PEÑA, MUNOZ → MUÑOZ, …). */
const UNTILDED: ReadonlyMap<string, string> = new Map(WITH_ENYE.map((n) => [n.replace(/Ñ/g, 'N'), n]));

/** The Ñ is the word's first inner consonant, the letter the CURP takes from it (as X). */
const curpTakesEnye = (word: string): boolean => /^.[AEIOU]*Ñ/.test(word);

/**
 * Some word of a name part reads as an Ñ name that lost its tilde, where the CURP's letters
 * would not show the difference: any word but the part's first, or a first word whose first
 * inner consonant is another letter (URENA, IBANEZ; not PENA, MUNOZ, whose N the CURP binds).
 */
export function mayHaveLostEnye(name: string): boolean {
  return name
    .split(/\s+/)
    .some((w, i) => {
      const tilded = UNTILDED.get(w);
      return tilded !== undefined && (i > 0 || !curpTakesEnye(tilded));
    });
}
