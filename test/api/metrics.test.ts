import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';

const TOKEN = 'scrape-token-for-tests-only';
let api: TestServer;
beforeAll(async () => {
  api = await startTestServer({ metricsToken: TOKEN, rateLimits: { perAddressPerSecond: 100, perKeyPerSecond: 8, keyChecksPerMinute: 20 } });
});
afterAll(async () => {
  await api?.stop();
});

/** One sample's value from the exposition text, 0 when the series does not exist. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] as string).split(',');
    if (wanted.every((pair) => present.includes(pair)) && present.length === wanted.length) return Number(match[3]);
  }
  return 0;
}

const scrape = async (): Promise<string> => (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

describe('Prometheus metrics at /metrics', () => {
  it('need the metrics token when one is set', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const response = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
  });

  it('count requests by root field and status, cache hits, determinations by outcome and refusals, with no caller-chosen label', async () => {
    const before = await scrape();
    const query = '{ guideline(number: "Evolut_CG_3258") { number } }';
    await api.graphqlAs('reader', query);
    await api.graphqlAs('reader', query);
    await api.graphqlAs('reader', `query CallerChosenName { guideline(number: "Evolut_CG_3258") { number brandName } }`);
    const decided = await api.graphqlAs<{ evaluateRequest: { outcome: string } }>('evaluator', `mutation { evaluateRequest(input: { guidelineNumber: "Evolut_CG_3258", dateOfService: "2026-03-02", lineOfBusiness: "CHIP", facts: [] }) { outcome } }`);
    const outcome = decided.body.data?.evaluateRequest.outcome as string;
    await api.graphqlAs('reader', '{ __typename guideline(number: "Evolut_CG_3258") { number } guidelines(first: 1) { totalCount } }');
    await api.graphqlAs('reader', '{ nosuchfield }');
    await fetch(`${api.url}/nowhere`);
    // Over the auditor key's 8 requests a second: one answered and cached, then a burst answered from the cache or refused.
    await api.graphqlAs('auditor', query);
    const burst = await Promise.all(Array.from({ length: 12 }, () => api.graphqlAs('auditor', query)));
    const refusedNow = burst.filter((answer) => answer.status === 429).length;
    expect(refusedNow).toBeGreaterThan(0);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>): number => sample(after, name, labels) - sample(before, name, labels);
    expect({
      guideline200: delta('guideline_api_http_requests_total', { route: 'graphql', operation: 'guideline', status: '200' }),
      evaluate200: delta('guideline_api_http_requests_total', { route: 'graphql', operation: 'evaluateRequest', status: '200' }),
      multiple200: delta('guideline_api_http_requests_total', { route: 'graphql', operation: 'multiple', status: '200' }),
      invalid400: delta('guideline_api_http_requests_total', { route: 'graphql', operation: 'none', status: '400' }),
      notFound: delta('guideline_api_http_requests_total', { route: 'other', operation: 'none', status: '404' }),
      hits: delta('guideline_api_response_cache_lookups_total', { result: 'hit' }),
      determinations: delta('guideline_api_determinations_total', { outcome }),
      refused: delta('guideline_api_rate_limited_total', { limit: 'key' }),
      latencyCount: delta('guideline_api_http_request_duration_seconds_count', { route: 'graphql', operation: 'evaluateRequest' }),
    }).toEqual({ guideline200: 3 + 1 + 12 - refusedNow, evaluate200: 1, multiple200: 1, invalid400: 1, notFound: 1, hits: 1 + 12 - refusedNow, determinations: 1, refused: refusedNow, latencyCount: 1 });
    expect(after).not.toContain('CallerChosenName');
    expect(after).toContain('guideline_api_process_cpu_seconds_total');
  });
});
