/**
 * A real browser for the review page's tests and bench: Debian's Chromium (`apt-get install
 * chromium`; .ci/run installs it when missing) driven by playwright-core (a dev dependency),
 * headless, with a fresh profile and every background service that could reach the network off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium at 1280×800 (the review page's target), downloads accepted. */
export async function openBrowser(): Promise<Chromium> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ine-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
