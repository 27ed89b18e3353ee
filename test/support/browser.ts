import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';

/** Debian's Chromium (apt-get install -y chromium), or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or null when they can. `npm test` passes after `npm ci` alone,
 * so a machine without Chromium skips them and says why; `.ci/run` installs Chromium and sets
 * REQUIRE_BROWSER=1, which turns a missing browser into a failure.
 */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`;
  if (/^(1|true|yes)$/i.test(process.env['REQUIRE_BROWSER'] ?? '')) throw new Error(`REQUIRE_BROWSER is set but there is ${reason}`);
  console.warn(`browser tests skipped: ${reason}`);
  return reason;
}

/** Headless Chromium with the flags this offline machine needs (no background connections, a fresh profile). */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    // A cold Chromium start on a busy 2-core CI machine once took more than puppeteer's default 30 s.
    timeout: 100_000,
  });
}
