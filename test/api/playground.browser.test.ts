import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';
import { browserSkipReason, launchChromium } from '../support/browser.ts';
import { PLAYGROUND_EXAMPLES } from '../../src/api/playground-examples.ts';

const skipReason = browserSkipReason();
const artifacts = join(repoRoot, 'test', 'artifacts');

let api: TestServer;
let browser: Browser;
beforeAll(async () => {
  if (skipReason) return;
  // As in development: the playground is used without an API key, reading as READER.
  api = await startTestServer({ playground: true, anonymousRead: true });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe.skipIf(skipReason !== null)('the offline GraphiQL playground in headless Chromium', () => {
  it('loads from the server alone, runs the first example query and shows its result', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:') foreign.push(request.url());
    });
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(`${api.url}/graphql`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    // The docs explorer is available (introspection on) and every example is preloaded as a tab.
    // One tab per example, each titled by its operation's name, which says what it does.
    const titles = await page.$$eval('.graphiql-tab', (tabs) => tabs.map((tab) => tab.querySelector('.graphiql-tab-button')?.textContent?.trim() ?? ''));
    expect(titles).toEqual(PLAYGROUND_EXAMPLES.map((example) => /(?:query|mutation) (\w+)/.exec(example.query)?.[1]));
    await page.click('.graphiql-execute-button');
    await page.waitForFunction("document.querySelector('.result-window')?.textContent?.includes('Evolut_CG_3258')", { timeout: 20_000 });
    const result = await page.$eval('.result-window', (element) => element.textContent ?? '');
    expect(result).toContain('"brandName": "Blincyto"');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'playground.png') });
    expect(foreign).toEqual([]);
  }, 60_000);

  it('keeps the API key typed into Headers across a reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/graphql`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    const headersTab = async () => {
      const [button] = await page.$$('xpath/.//button[contains(@class, "graphiql-editor-tools") or contains(., "Headers")]');
      await button?.click();
    };
    await headersTab();
    await page.waitForSelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', { timeout: 10_000 });
    await page.click('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await page.keyboard.type(`{"Authorization": "Bearer ${api.keys.auditor}"`);
    // Give GraphiQL's debounced storage write its moment.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 20_000 });
    await headersTab();
    const kept = await page.$eval('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', (editor) => editor.textContent ?? '');
    expect(kept).toContain(api.keys.auditor);
  }, 60_000);

  it('can be turned off', async () => {
    const off = await startTestServer({ playground: false });
    try {
      const response = await fetch(`${off.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
      expect((await fetch(`${off.url}/playground`)).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
