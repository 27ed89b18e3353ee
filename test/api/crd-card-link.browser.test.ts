import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COVERAGE_CLASS_SYSTEM, HCPCS_SYSTEM, UCUM_SYSTEM } from '../../src/fhir/crd-codes.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { browserSkipReason, launchChromium } from '../support/browser.ts';

const skipReason = browserSkipReason();
let api: TestServer;
let browser: Browser;
beforeAll(async () => {
  api = await startTestServer({ anonymousRead: false });
  if (!skipReason) browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe.skipIf(skipReason !== null)("a CRD card's link, opened by a clinician in headless Chromium", () => {
  it('shows the guideline text with the lines that decided marked and scrolled to, without a key', async () => {
    const response = await fetch(`${api.url}/cds-services/coverage-order-sign`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api.keys.evaluator}` },
      body: JSON.stringify({
        hook: 'order-sign', hookInstance: 'browser-1', context: { userId: 'Practitioner/1', patientId: 'p1', draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: {
          resourceType: 'MedicationRequest', id: 'mr1', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, authoredOn: '2026-03-02',
          medicationCodeableConcept: { coding: [{ system: HCPCS_SYSTEM, code: 'J9039' }] },
          dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 28, unit: 'ug', system: UCUM_SYSTEM, code: 'ug' } }] }],
        } }] } },
        prefetch: { patient: { resourceType: 'Patient', id: 'p1', birthDate: '1980-05-17' }, coverage: { resourceType: 'Coverage', id: 'c1', status: 'active', class: [{ type: { coding: [{ system: COVERAGE_CLASS_SYSTEM, code: 'plan' }] }, value: 'COMMERCIAL' }] } },
      }),
    });
    const { cards } = (await response.json()) as { cards: { links: { url: string }[] }[] };
    const link = cards[0]?.links[0]?.url as string;
    const [, from, to] = /lines=(\d+)-(\d+)/.exec(link) ?? [];
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 600 });
    const answer = await page.goto(link);
    expect(answer?.status()).toBe(200);
    // Read in the page (a string: this file is compiled without the DOM's types).
    const seen = (await page.evaluate(`(() => {
      const first = ${Number(from)}, last = ${Number(to)};
      const row = document.getElementById('L' + first);
      const box = row.getBoundingClientRect();
      const marked = [...document.querySelectorAll('tr.decided')].map((element) => element.id);
      return { title: document.title, marked, inView: box.top >= 0 && box.top < window.innerHeight, scrolled: window.scrollY > 0, background: getComputedStyle(row).backgroundColor,
        expected: Array.from({ length: last - first + 1 }, (_, i) => 'L' + (first + i)) };
    })()`)) as { title: string; marked: string[]; inView: boolean; scrolled: boolean; background: string; expected: string[] };
    expect(seen.title).toMatch(/^Blincyto \(Evolut_CG_3258\), 2026-01$/);
    expect(seen.marked).toEqual(seen.expected);
    expect(seen.inView).toBe(true);
    expect(seen.scrolled).toBe(true);
    expect(seen.background).toBe('rgb(255, 243, 176)');
  }, 60_000);
});
