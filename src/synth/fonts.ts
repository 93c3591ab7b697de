/**
 * The typefaces the generator prints with, registered once under private aliases so the files
 * are used even where the system has fonts of the same name: the ones bundled in assets/fonts
 * (see its LICENSES.md) and, for per-card variety, freely licensed families installed from npm
 * (@expo-google-fonts/*, SIL Open Font License 1.1; nothing is downloaded at run time).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';

const FONT_FILES: readonly (readonly [string, string])[] = [
  ['LiberationSans-Regular.ttf', 'Synth Liberation'],
  ['LiberationSans-Bold.ttf', 'Synth Liberation'],
  ['DejaVuSans.ttf', 'Synth DejaVu'],
  ['DejaVuSans-Bold.ttf', 'Synth DejaVu'],
  ['DejaVuSansCondensed.ttf', 'Synth DejaVu Condensed'],
  ['DejaVuSansCondensed-Bold.ttf', 'Synth DejaVu Condensed'],
  ['OCRB.otf', 'Synth OCRB'],
];
/** The families every card draws from (the base style; unchanged so that seeds stay comparable). */
export const TEXT_FAMILIES = ['Synth Liberation', 'Synth DejaVu', 'Synth DejaVu Condensed'] as const;
export const MRZ_FAMILY = 'Synth OCRB';

/**
 * npm font packages: package, alias, regular and bold files. Condensed and narrow grotesques
 * like the card's print, and two wider ones so no width is the only one seen.
 */
const PACKAGE_FONTS: readonly (readonly [string, string, string, string])[] = [
  ['@expo-google-fonts/roboto-condensed', 'Synth Roboto Condensed', '400Regular/RobotoCondensed_400Regular.ttf', '700Bold/RobotoCondensed_700Bold.ttf'],
  ['@expo-google-fonts/pt-sans-narrow', 'Synth PT Sans Narrow', '400Regular/PTSansNarrow_400Regular.ttf', '700Bold/PTSansNarrow_700Bold.ttf'],
  ['@expo-google-fonts/barlow-semi-condensed', 'Synth Barlow Semi Condensed', '400Regular/BarlowSemiCondensed_400Regular.ttf', '700Bold/BarlowSemiCondensed_700Bold.ttf'],
  ['@expo-google-fonts/open-sans', 'Synth Open Sans', '400Regular/OpenSans_400Regular.ttf', '700Bold/OpenSans_700Bold.ttf'],
  ['@expo-google-fonts/archivo', 'Synth Archivo', '400Regular/Archivo_400Regular.ttf', '700Bold/Archivo_700Bold.ttf'],
];

/** Every text family a varied card may print with. */
export const VARIED_FAMILIES: readonly string[] = [...TEXT_FAMILIES, ...PACKAGE_FONTS.map((p) => p[1])];

/** assets/fonts, found by walking up from this module (works from src/ and from dist/src/). */
function fontsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'assets', 'fonts');
    if (existsSync(path.join(candidate, 'OCRB.otf'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('assets/fonts not found above ' + fileURLToPath(import.meta.url));
}

let fontsRegistered = false;
export function registerFonts(): void {
  if (fontsRegistered) return;
  const dir = fontsDir();
  for (const [file, alias] of FONT_FILES) {
    if (!GlobalFonts.registerFromPath(path.join(dir, file), alias)) {
      throw new Error(`could not register font ${file}`);
    }
  }
  const require = createRequire(import.meta.url);
  for (const [pkg, alias, ...files] of PACKAGE_FONTS) {
    const root = path.dirname(require.resolve(`${pkg}/package.json`));
    for (const file of files) {
      if (!GlobalFonts.registerFromPath(path.join(root, file), alias)) throw new Error(`could not register font ${pkg}/${file}`);
    }
  }
  fontsRegistered = true;
}
