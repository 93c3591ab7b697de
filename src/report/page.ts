/**
 * index.html: one self-contained page. The summary is rendered here; the card data is embedded
 * (a page opened from file:// may not fetch files beside it) as gzipped JSON in base64: a
 * 10,000-card page is ~6 times smaller, and a browser reads it from disk and parses it that much
 * sooner; the page unpacks it with the browser's own DecompressionStream. The page's own
 * stylesheet and scripts (src/report/client/) are inlined as written. A Content-Security-Policy
 * forbids every request except the images beside the page, so nothing can leave the machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { REPORT_MARKER } from './files.ts';
import { esc } from './summary-html.ts';

/** The page's scripts, in load order (classic scripts sharing one scope), and its stylesheet. */
const CLIENT_SCRIPTS = ['csv.js', 'app.js'] as const;
const CLIENT_STYLE = 'style.css';

/**
 * src/report/client, found from this module whether it runs from src/ (tests) or dist/src/
 * (the built CLI): the client files are inlined as written, never compiled.
 */
function clientDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [path.join(dir, 'client'), path.join(dir, 'src', 'report', 'client')]) {
      if (existsSync(path.join(candidate, 'app.js'))) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`src/report/client not found above ${fileURLToPath(import.meta.url)}`);
}

let assets: { style: string; scripts: string[] } | undefined;
function clientAssets(): { style: string; scripts: string[] } {
  if (!assets) {
    const dir = clientDir();
    assets = {
      style: readFileSync(path.join(dir, CLIENT_STYLE), 'utf8'),
      scripts: CLIENT_SCRIPTS.map((f) => readFileSync(path.join(dir, f), 'utf8')),
    };
  }
  return assets;
}

/** A value as the page embeds it: JSON, gzipped, in base64 (safe inside a <script> element: no `<`). */
export function packJson(value: unknown): string {
  return gzipSync(JSON.stringify(value), { level: 6 }).toString('base64');
}

/** The element type of packed data: not JavaScript, so the browser leaves it alone. */
export const PACKED_TYPE = 'application/gzip+base64';

/**
 * Only inline style and script, and images from beside the page (file: — or the page's own
 * origin when served); no connections, frames, forms or fonts from anywhere.
 */
const CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export interface PageParts {
  /** The results file's name, for the title. */
  readonly title: string;
  /** The summary section's HTML (summary-html.ts). */
  readonly summary: string;
  /** The page data (cards in review order, labels, columns, content key), packed (packJson). */
  readonly data: string;
  /** The batch CSV cells of every row, in file order, packed: unpacked only to download. */
  readonly rows: string;
}

const PRIVACY =
  'This page contains personal data: names, CURP, addresses, dates of birth and pictures of identity cards. ' +
  'Keep it, and the img folder beside it, where the results file is kept. It makes no network request; ' +
  'your corrections stay in this browser until you download them.';

export function renderPage(p: PageParts): string {
  const { style, scripts } = clientAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
${REPORT_MARKER}
<title>Review: ${esc(p.title)} — ine-ocr</title>
<style>
${style}</style>
</head>
<body>
<a class="skip" href="#review">Skip to the cards</a>
<header>
<h1>Card review: <span class="file">${esc(p.title)}</span></h1>
<p class="privacy" role="note"><strong>Personal data.</strong> ${PRIVACY}</p>
</header>
<main>
${p.summary}
<section id="review" aria-labelledby="review-h">
<h2 id="review-h">Cards</h2>
<div id="app"><p>Loading the cards… (this page needs JavaScript)</p></div>
</section>
</main>
<script type="${PACKED_TYPE}" id="report-data">${p.data}</script>
<script type="${PACKED_TYPE}" id="report-rows">${p.rows}</script>
${scripts.map((s) => `<script>\n${s}</script>`).join('\n')}
</body>
</html>
`;
}
