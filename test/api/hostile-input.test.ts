import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

const EVALUATE = `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id outcome } }`;
const base = { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: [] as unknown[] };
const determinations = (): Promise<number> => api.db.database.client.determination.count();

/** [name, query, variables, expected code]: each must be a typed error, never a 500, and store nothing. */
const cases: [string, string, Record<string, unknown>, string][] = [
  ['a number for the date of service', EVALUATE, { input: { ...base, dateOfService: 20260302 } }, 'BAD_USER_INPUT'],
  ['an impossible date of service', EVALUATE, { input: { ...base, dateOfService: '2026-02-30' } }, 'BAD_USER_INPUT'],
  ['a date of service with a time', EVALUATE, { input: { ...base, dateOfService: '2026-03-02T10:00:00Z' } }, 'BAD_USER_INPUT'],
  ['1e308 as a dose', EVALUATE, { input: { ...base, facts: [{ key: 'requestedDosePerDayMcg', value: 1e308 }] } }, 'BAD_USER_INPUT'],
  ['a negative dose', EVALUATE, { input: { ...base, facts: [{ key: 'requestedDosePerDayMcg', value: -28 }] } }, 'BAD_USER_INPUT'],
  ['a dose as a string', EVALUATE, { input: { ...base, facts: [{ key: 'requestedDosePerDayMcg', value: 'NaN' }] } }, 'BAD_USER_INPUT'],
  ['an object as a fact value', EVALUATE, { input: { ...base, facts: [{ key: 'singleAgent', value: { $gt: '' } }] } }, 'BAD_USER_INPUT'],
  ['a 100 kB fact key', EVALUATE, { input: { ...base, facts: [{ key: 'k'.repeat(100_000), value: true }] } }, 'BAD_USER_INPUT'],
  ['10,000 facts', EVALUATE, { input: { ...base, facts: Array.from({ length: 10_000 }, (_, i) => ({ key: `f${i}`, value: i })) } }, 'BAD_USER_INPUT'],
  ['an unknown line of business', EVALUATE, { input: { ...base, lineOfBusiness: 'mars colony' } }, 'BAD_USER_INPUT'],
  ['an unknown guideline', EVALUATE, { input: { ...base, guidelineNumber: 'Evolut_CG_0000' } }, 'NOT_FOUND'],
  ['an unknown billing code', EVALUATE, { input: { ...base, guidelineNumber: undefined, hcpcsCode: 'J0000' } }, 'NOT_FOUND'],
  ['two guideline selectors', EVALUATE, { input: { ...base, hcpcsCode: 'J9039' } }, 'BAD_USER_INPUT'],
  ['no guideline selector', EVALUATE, { input: { ...base, guidelineNumber: undefined } }, 'BAD_USER_INPUT'],
  ['a malformed version id', EVALUATE, { input: { ...base, versionId: '../../etc/passwd' } }, 'BAD_USER_INPUT'],
  ['a determination id used as a version id', EVALUATE, { input: { ...base, versionId: Buffer.from('Determination:x').toString('base64url') } }, 'BAD_USER_INPUT'],
  ['a too-short idempotency key', EVALUATE, { input: { ...base, idempotencyKey: 'k' } }, 'BAD_USER_INPUT'],
  ['an unknown evidence study type', EVALUATE, { input: { ...base, facts: [{ key: 'diagnosis', value: 'OTHER' }], evidence: [{ studyType: 'TWEET' }] } }, 'BAD_USER_INPUT'],
  ['a missing required input field', `mutation { evaluateRequest(input: { dateOfService: "2026-03-02", facts: [] }) { id } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
  ['an unknown field', `{ guideline(number: "Evolut_CG_3258") { password } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
  ['an unparsable query', `{ guideline(number: "Evolut_CG_3258" { number } }`, {}, 'GRAPHQL_PARSE_FAILED'],
  ['a page size of 1000', `{ guidelines(first: 1000) { totalCount } }`, {}, 'BAD_USER_INPUT'],
  ['a forged cursor', `{ guidelines(after: "b3ZlcmZsb3c") { totalCount } }`, {}, 'BAD_USER_INPUT'],
  ['a 10,000-character search', `query($t: String!) { search(text: $t) { totalCount } }`, { t: 'ALL '.repeat(2500) }, 'BAD_USER_INPUT'],
  ['an empty node id', `{ node(id: "") { id } }`, {}, 'BAD_USER_INPUT'],
];

async function versionIdOf(number: string): Promise<string> {
  const { body } = await api.graphql<{ guideline: { versions: { id: string }[] } }>(`query($n: String!) { guideline(number: $n) { versions { id } } }`, { n: number });
  return body.data?.guideline.versions[0]?.id ?? '';
}

describe(`hostile GraphQL input on ${testProvider} (${cases.length} kinds)`, () => {
  it.each(cases)('%s → %s, no 500, nothing stored', async (_name, query, variables, code) => {
    const before = await determinations();
    const { status, body } = await api.graphql(query, variables);
    expect(status).not.toBe(500);
    expect(body.errors?.map((error) => error.extensions?.code)).toContain(code);
    expect(await determinations()).toBe(before);
  });

  it('comparing versions of two different guidelines → BAD_USER_INPUT', async () => {
    const { body } = await api.graphql(`query($a: ID!, $b: ID!) { compareVersions(from: $a, to: $b) { changes { kind } } }`, { a: await versionIdOf('Evolut_CG_3258'), b: await versionIdOf('Evolut_CG_3301') });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('random requests never get a 500, and a rejected request stores nothing (fast-check)', async () => {
    const keys = ['birthDate', 'diagnosis', 'requestedDosePerDayMcg', 'requestedCycles', 'singleAgent', 'ssn', '', 'x'.repeat(300)];
    const value = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.object({ maxDepth: 2 }));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          dateOfService: fc.oneof(fc.constant('2026-03-02'), fc.string(), fc.constant('2026-02-29')),
          lineOfBusiness: fc.constantFrom('COMMERCIAL', 'CHIP', 'medicaid', '', 'X'.repeat(70)),
          facts: fc.array(fc.record({ key: fc.constantFrom(...keys), value }), { maxLength: 8 }),
        }),
        async (input) => {
          const before = await determinations();
          const { status, body } = await api.graphql(EVALUATE, { input: { guidelineNumber: 'Evolut_CG_3258', ...input } });
          expect(status).not.toBe(500);
          expect(body.errors?.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR') ?? false).toBe(false);
          if (body.errors) expect(await determinations()).toBe(before);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
