import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { browserSkipReason, launchChromium } from '../support/browser.ts';

const skipReason = browserSkipReason();

/** A portal: a page on its own loopback origin that calls the API from the browser, with a key, as a portal would. */
async function startPortal(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>portal</title><p>portal</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Runs in the portal's page: a JSON POST with an Authorization header (a preflighted request). */
const callFromPage = async (endpoint: string, key: string): Promise<string> => {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'portal-call-1' },
      body: JSON.stringify({ query: '{ guideline(number: "Evolut_CG_3258") { brandName } }' }),
    });
    return `${response.status} ${response.headers.get('x-request-id')} ${await response.text()}`;
  } catch (error) {
    return `refused: ${(error as Error).name}`;
  }
};

let api: TestServer;
let allowed: { origin: string; server: Server };
let other: { origin: string; server: Server };
let browser: Browser;
beforeAll(async () => {
  allowed = await startPortal();
  other = await startPortal();
  api = await startTestServer({ corsOrigins: [allowed.origin], anonymousRead: false });
  if (!skipReason) browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  allowed?.server.close();
  other?.server.close();
});

describe.skipIf(skipReason !== null)('a portal on another origin, in headless Chromium', () => {
  it('reads policy content when its origin is allowed (the preflight answered, the request id exposed)', async () => {
    const page = await browser.newPage();
    await page.goto(allowed.origin);
    const answer = await page.evaluate(callFromPage, `${api.url}/graphql`, api.keys.reader);
    expect(answer).toMatch(/^200 portal-call-1 /);
    expect(answer).toContain('"brandName":"Blincyto"');
  }, 60_000);

  it('is refused by the browser when its origin is not allowed', async () => {
    const page = await browser.newPage();
    await page.goto(other.origin);
    expect(await page.evaluate(callFromPage, `${api.url}/graphql`, api.keys.reader)).toBe('refused: TypeError');
  }, 60_000);
});

describe('CORS and CSRF over plain HTTP', () => {
  it('answers a preflight with what the allowed origin may send, and nothing to another origin', async () => {
    const ask = (origin: string) => fetch(`${api.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const yes = await ask(allowed.origin);
    expect(yes.status).toBe(204);
    expect(yes.headers.get('access-control-allow-origin')).toBe(allowed.origin);
    expect(yes.headers.get('access-control-allow-headers')).toContain('authorization');
    const no = await ask(other.origin);
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still refuses a simple cross-site GET that could be a forged request (Apollo CSRF prevention)', async () => {
    const response = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: allowed.origin } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('CSRF');
  });
});
