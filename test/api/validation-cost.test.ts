import { spawn } from 'node:child_process';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/api/abuse-limits.ts';
import { jsonNestingDepth, selectionProblem } from '../../src/api/selection-limits.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { createApiKey } from '../../src/services/api-keys.ts';

// One field repeated 1,900 times fits under the 2,000-token limit; graphql-js's overlapping-fields
// rule compares every pair of them.
const REPEATED = `{ ${Array.from({ length: 1900 }, () => '__typename').join(' ')} }`;
const THROUGH_FRAGMENTS = `{ ${Array.from({ length: 250 }, () => '... on Query { __typename }').join(' ')} }`;

let api: TestServer;
beforeAll(async () => {
  // The response cache off: every reader request runs through Apollo, as a miss does.
  api = await startTestServer({ anonymousRead: true, responseCache: false });
});
afterAll(async () => api.stop());

const percentile = (samples: number[], p: number): number => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))] as number;

describe('a query costly to validate is refused before validation', () => {
  it.each([['one field repeated 1,900 times', REPEATED], ['a field repeated through 250 inline fragments', THROUGH_FRAGMENTS]])('%s: refused with GRAPHQL_VALIDATION_FAILED, anonymously, and nothing runs', async (_name, query) => {
    api.statements.length = 0;
    const { status, body } = await api.graphqlAs(null, query);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/selected more than 3 times/);
    expect(api.statements).toEqual([]);
  });

  it('the check costs a small fraction of what validation would (printed, not timed)', () => {
    const document = parse(REPEATED, { maxTokens: DEFAULT_LIMITS.maxTokens });
    const validating = performance.now();
    validate(buildSchema('type Query { a: Int }'), document);
    const validation = performance.now() - validating;
    const checking = performance.now();
    for (let i = 0; i < 10; i += 1) expect(selectionProblem(REPEATED, DEFAULT_LIMITS, DEFAULT_LIMITS.maxTokens)).not.toBeNull();
    const check = (performance.now() - checking) / 10;
    console.log(`validation cost: graphql-js validate ${validation.toFixed(1)} ms for the 1,900-field query; the shape check ${check.toFixed(2)} ms (${(validation / check).toFixed(0)}×)`);
  });

  it('while 8 anonymous clients send it nonstop, a reader with an API key keeps p95 under 100 ms', async () => {
    // The attackers run in a process of their own, for a bounded time, against loopback.
    const attack = `
      const body = JSON.stringify({ query: ${JSON.stringify(REPEATED)} });
      const until = Date.now() + 6000; let sent = 0; let limited = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          const response = await fetch(${JSON.stringify(`${api.url}/graphql`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await response.text(); sent += 1; if (response.status === 429) limited += 1;
        }
      }));
      console.log(sent + ' ' + limited);`;
    const numbers = ['Evolut_CG_3258', 'Evolut_CG_3301', 'Evolut_CG_3340', 'Evolut_CG_3312', 'Evolut_CG_3355', 'Evolut_CG_3362'];
    const read = (number: string) => api.graphqlAs('reader', `{ guideline(number: "${number}") { number currentVersion { title exclusions { key text } } } }`);
    // Warm first (each version assembled once, as on a server that has been up): measured is the attack's effect.
    for (const number of numbers) expect((await read(number)).status).toBe(200);
    const attackers = spawn(process.execPath, ['--input-type=module', '-e', attack], { stdio: ['ignore', 'pipe', 'inherit'] });
    let sent = '';
    attackers.stdout.on('data', (chunk: Buffer) => (sent += chunk.toString()));
    const finished = new Promise((resolve) => attackers.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const latencies: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const started = performance.now();
      const { status } = await read(numbers[i % numbers.length] as string);
      latencies.push(performance.now() - started);
      expect(status).toBe(200);
      // Spread over the attack (100 reads in about 4.5 of its 6 seconds).
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await finished;
    const [total = 0, limited = 0] = sent.trim().split(' ').map(Number);
    console.log(`under attack: ${total} attacking requests in 6 s from 8 anonymous clients (${limited} answered 429 by the per-address rate limit, the rest refused by the shape check); the reader's p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms over 100 requests`);
    expect(total).toBeGreaterThan(100);
    expect(limited).toBeGreaterThan(0);
    expect(percentile(latencies, 0.95)).toBeLessThan(100);
  }, 30_000);
});

describe('rate limits answer 429 with Retry-After', () => {
  it('per address without a key, per key with one, and a key prefix that keeps failing is not checked again', async () => {
    const limited = await startTestServer({ anonymousRead: true, rateLimits: { perAddressPerSecond: 5, perKeyPerSecond: 8, keyChecksPerMinute: 3 } });
    try {
      const statuses = async (count: number, send: () => Promise<Response>) => {
        const responses = await Promise.all(Array.from({ length: count }, send));
        return responses.map((response) => ({ status: response.status, retryAfter: response.headers.get('retry-after') }));
      };
      const post = (authorization?: string) => () => fetch(`${limited.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query: '{ __typename }' }) });
      const anonymous = await statuses(12, post());
      expect(anonymous.filter((answer) => answer.status === 200).length).toBe(5);
      expect(anonymous.filter((answer) => answer.status === 429).every((answer) => Number(answer.retryAfter) >= 1)).toBe(true);
      const keyed = await statuses(12, post(`Bearer ${limited.keys.reader}`));
      expect(keyed.filter((answer) => answer.status === 200).length).toBe(8);
      expect(keyed.filter((answer) => answer.status === 429).length).toBe(4);
      // Wrong secrets for the admin key's prefix: 3 checked (401), then refused unchecked (429);
      // the reader's key, another prefix, is unaffected once its second has passed.
      const prefix = limited.keys.admin.split('.')[0] as string;
      const wrong: number[] = [];
      for (let i = 0; i < 6; i += 1) wrong.push((await post(`Bearer ${prefix}.${`wrong${i}`.padEnd(32, 'x')}`)()).status);
      expect(wrong).toEqual([401, 401, 401, 429, 429, 429]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await post(`Bearer ${limited.keys.reader}`)()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('a flood of wrong secrets for a known key', () => {
  it('200 at once run at most 20 key checks, and 7 fresh keys are answered at once meanwhile', async () => {
    // The auditor's key (no later test uses it): its prefix stays refused for the rest of the minute.
    const prefix = api.keys.auditor.split('.')[0] as string;
    const fresh = await Promise.all(Array.from({ length: 7 }, (_, i) => createApiKey(api.db.database.client, { name: `fresh ${i}`, role: 'reader', expiresAt: null })));
    const post = (token: string) => fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ __typename }' }) });
    const flood = Promise.all(Array.from({ length: 200 }, (_, i) => post(`${prefix}.${`wrong${i}`.padEnd(32, 'x')}`).then((response) => response.status)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const legitimate = await Promise.all(fresh.map(async ({ token }) => (await post(token)).status));
    const legitimateMs = performance.now() - started;
    const statuses = await flood;
    const checked = statuses.filter((status) => status === 401).length;
    console.log(`key flood: 200 wrong secrets at once: ${checked} checked (401), ${statuses.filter((status) => status === 429).length} refused unchecked (429); 7 fresh keys answered in ${legitimateMs.toFixed(0)} ms`);
    expect(legitimate).toEqual(Array(7).fill(200));
    expect(checked).toBeLessThanOrEqual(20);
    expect(checked + statuses.filter((status) => status === 429).length).toBe(200);
    expect(legitimateMs).toBeLessThan(5000);
  }, 30_000);
});

describe('inputs that used to fail inside the server get typed errors', () => {
  it('a subscription (this API has none) is GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await api.graphql('subscription { x }');
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ message: 'this API has no subscriptions', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('a fact nested 5,000 levels deep is BAD_REQUEST, before anything walks it', async () => {
    const nested = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const body = `{"query":"mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id } }","variables":{"input":{"guidelineNumber":"Evolut_CG_3258","dateOfService":"2026-03-02","lineOfBusiness":"COMMERCIAL","facts":[{"key":"birthDate","value":${nested}}]}}}`;
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api.keys.evaluator}` }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
  });

  it('so are variables nested that deep in a GET request', async () => {
    const variables = `{"n":${'['.repeat(100)}${']'.repeat(100)}}`;
    const response = await fetch(`${api.url}/graphql?query=${encodeURIComponent('query($n: JSON) { __typename }')}&variables=${encodeURIComponent(variables)}`, { headers: { authorization: `Bearer ${api.keys.reader}`, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
  });

  it('brackets inside strings do not count as nesting', () => {
    expect(jsonNestingDepth('{"a":"[[[[{{{{\\"]]]"}')).toBe(1);
    expect(jsonNestingDepth('[[[]],{"b":[1]}]')).toBe(3);
  });
});
