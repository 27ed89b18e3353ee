import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import { fixtureText } from '../support/documents.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { rowCounts, testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
  // A revision of the seed, taking effect in July 2026, so that versions can be compared.
  await ingestDocument(api.db.database, { fileName: 'blincyto-2026-07.txt', bytes: new TextEncoder().encode(fixtureText('blincyto-2026-07.txt')) });
});
afterAll(async () => api.stop());

const approvedFacts = [
  { key: 'birthDate', value: '1980-05-17' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' },
  { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' }, { key: 'singleAgent', value: true }, { key: 'knownHypersensitivity', value: false },
  { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 28 }, { key: 'requestedCyclePhase', value: 'INDUCTION' },
  { key: 'requestedCycles', value: 2 }, { key: 'priorInductionConsolidationCycles', value: 0 },
];
const EVALUATE = `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) {
  id outcome summary guidelineNumber ruleSetSha256 version { id implementationDate }
  reasons { criterionKey role result deciding citedText span { startLine endLine } }
  missingFacts { key question } authorizedLimits { kind amount unit billingUnits billingCode } notices { criterionKey } factsUsed { key value } } }`;

describe(`GraphQL API over HTTP on ${testProvider}`, () => {
  it('looks a guideline up by number with its versions and effective periods', async () => {
    const { body } = await api.graphql(`{ guideline(number: "Evolut_CG_3258") { number brandName genericName versions { implementationDate effectiveFrom effectiveTo decidable } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      guideline: {
        number: 'Evolut_CG_3258', brandName: 'Blincyto', genericName: 'blinatumomab',
        versions: [
          { implementationDate: '2026-01', effectiveFrom: '2026-01-01', effectiveTo: '2026-07-01', decidable: true },
          { implementationDate: '2026-07', effectiveFrom: '2026-07-01', effectiveTo: null, decidable: false },
        ],
      },
    });
  });

  it('goes from a HCPCS code to the version in effect on a date in one request', async () => {
    const query = `query($on: Date!) { guidelines(hcpcsCode: "J9039", effectiveOn: $on) { totalCount edges { node { number version(asOf: $on) { implementationDate codes { code billingUnit { amount unit } } } } } } }`;
    const march = await api.graphql(query, { on: '2026-03-01' });
    expect(march.body.data).toEqual({ guidelines: { totalCount: 1, edges: [{ node: { number: 'Evolut_CG_3258', version: { implementationDate: '2026-01', codes: [{ code: 'J9039', billingUnit: { amount: 1, unit: 'mcg' } }] } } }] } });
    const august = await api.graphql(query, { on: '2026-08-15' });
    expect((august.body.data as { guidelines: { edges: { node: { version: { implementationDate: string } } }[] } }).guidelines.edges[0]?.node.version.implementationDate).toBe('2026-07');
  });

  it('reports NO_EFFECTIVE_VERSION, not a 500, for a date before the first version', async () => {
    const { status, body } = await api.graphql(`{ guideline(number: "Evolut_CG_3258") { number version(asOf: "2015-01-01") { id } } }`);
    expect(status).toBe(200);
    expect(body.data).toEqual({ guideline: { number: 'Evolut_CG_3258', version: null } });
    expect(body.errors?.[0]?.extensions?.code).toBe('NO_EFFECTIVE_VERSION');
  });

  it('an unknown guideline number is a clean null', async () => {
    const { status, body } = await api.graphql(`{ guideline(number: "Evolut_CG_0000") { number } }`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { guideline: null } });
  });

  it('filters guidelines by drug (case-insensitive) and line of business, with cursor pagination', async () => {
    const byDrug = await api.graphql(`{ guidelines(drug: "BLINATUMOMAB") { edges { node { number } } } }`);
    expect(byDrug.body.data).toEqual({ guidelines: { edges: [{ node: { number: 'Evolut_CG_3258' } }] } });
    const chip = await api.graphql(`{ guidelines(lineOfBusiness: "CHIP", effectiveOn: "2026-03-01") { edges { node { number } } } }`);
    expect(chip.body.data).toEqual({ guidelines: { edges: [{ node: { number: 'Evolut_CG_3301' } }, { node: { number: 'Evolut_CG_3312' } }] } });
    const first = await api.graphql<{ guidelines: { edges: { node: { number: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(`{ guidelines(first: 2) { edges { node { number } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.body.data?.guidelines.edges.map((edge) => edge.node.number)).toEqual(['Evolut_CG_3258', 'Evolut_CG_3301']);
    expect(first.body.data?.guidelines.pageInfo.hasNextPage).toBe(true);
    const second = await api.graphql(`query($after: String) { guidelines(first: 2, after: $after) { edges { node { number } } pageInfo { hasNextPage } } }`, { after: first.body.data?.guidelines.pageInfo.endCursor });
    expect(second.body.data).toEqual({ guidelines: { edges: [{ node: { number: 'Evolut_CG_3312' } }, { node: { number: 'Evolut_CG_3340' } }], pageInfo: { hasNextPage: true } } });
  });

  it('serves each population line of a disease section with its own scenarios, and every part of a limit', async () => {
    const { body } = await api.graphql<{ guideline: { currentVersion: { indications: { name: string; populations: { ordinal: number; key: string; groups: string[]; minimumAge: { value: number; unit: string }; scenarios: { key: string }[] }[]; scenarios: { key: string }[] }[]; exclusions: { limits: unknown[] }[] } } }>(
      `{ guideline(number: "Evolut_CG_3340") { currentVersion {
          indications { name populations { ordinal key groups minimumAge { value unit } scenarios { key } } scenarios { key } }
          exclusions { limits { kind amount unit per cap { amount unit } interval { amount unit } qualifier condition alternative } }
      } } }`,
    );
    const version = body.data?.guideline.currentVersion;
    const hodgkin = version?.indications.find((section) => section.name === 'Classical Hodgkin Lymphoma');
    expect(hodgkin?.populations.map((population) => [population.ordinal, population.key, population.groups, population.minimumAge, population.scenarios.length])).toEqual([
      [1, 'POP-1', ['adult'], { value: 18, unit: 'year' }, 3],
      [2, 'POP-1.2', ['pediatric'], { value: 2, unit: 'year' }, 1],
    ]);
    expect(hodgkin?.scenarios).toHaveLength(4);
    expect(version?.exclusions[1]?.limits).toEqual([
      { kind: 'MAX_DOSE', amount: 1.8, unit: 'mg', per: ['kg'], cap: { amount: 180, unit: 'mg' }, interval: { amount: 3, unit: 'week' }, qualifier: null, condition: null, alternative: false },
    ]);
    expect(version?.exclusions[3]?.limits).toEqual([
      { kind: 'MAX_DURATION', amount: 12, unit: 'dose', per: [], cap: null, interval: null, qualifier: null, condition: 'when used in combination with doxorubicin, vinblastine, and dacarbazine', alternative: false },
    ]);
  });

  it('serves "None listed" as the contraindications statement, with no contraindication criteria', async () => {
    const { body } = await api.graphql(`{ guideline(number: "Evolut_CG_3355") { currentVersion { contraindications { key } contraindicationsNone { text span { startLine } } exclusions { text limits { amount unit qualifier alternative } } } } }`);
    const version = (body.data as { guideline: { currentVersion: { contraindications: unknown[]; contraindicationsNone: unknown; exclusions: { text: string; limits: unknown[] }[] } } }).guideline.currentVersion;
    expect(version.contraindications).toEqual([]);
    expect(version.contraindicationsNone).toEqual({ text: 'None listed in the product labeling.', span: { startLine: expect.any(Number) } });
    expect(version.exclusions.find((exclusion) => exclusion.text.includes('24 months'))?.limits).toEqual([
      { amount: 24, unit: 'month', qualifier: null, alternative: false },
      { amount: 12, unit: 'month', qualifier: 'adjuvant', alternative: true },
    ]);
  });

  it('refetches any object by its opaque ID and rejects malformed IDs with BAD_USER_INPUT', async () => {
    const { body } = await api.graphql<{ guideline: { currentVersion: { id: string; exclusions: { id: string }[] } } }>(`{ guideline(number: "Evolut_CG_3258") { currentVersion { id exclusions { id } } } }`);
    const criterionId = body.data?.guideline.currentVersion.exclusions[1]?.id;
    const node = await api.graphql(`query($id: ID!) { node(id: $id) { ... on Criterion { key text version { implementationDate } } } }`, { id: criterionId });
    expect(node.body.data).toEqual({ node: { key: 'EXC-de3884ab31', text: 'Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.', version: { implementationDate: '2026-01' } } });
    const bad = await api.graphql(`{ node(id: "not-an-id!") { id } }`);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('exposes the source text, its hash and every criterion span', async () => {
    const { body } = await api.graphql<{ guideline: { versions: { source: { sha256: string; lines: string[] }; criterion: { span: { startLine: number } } }[] } }>(
      `{ guideline(number: "Evolut_CG_3258") { versions { source { sha256 lines(startLine: 66, endLine: 66) } criterion(key: "EXC-de3884ab31") { span { startLine } } } } }`,
    );
    const january = body.data?.guideline.versions[0];
    expect(january?.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(january?.criterion.span.startLine).toBe(66);
    expect(january?.source.lines).toEqual(['- Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.']);
  });

  it('compares two versions with typed changes, and lists changes between consecutive versions', async () => {
    const { body } = await api.graphql<{ guideline: { versions: { id: string }[]; changes: { summary: { kind: string; count: number }[] }[] } }>(`{ guideline(number: "Evolut_CG_3258") { versions { id } changes { summary { kind count } } } }`);
    const [from, to] = body.data?.guideline.versions.map((version) => version.id) ?? [];
    const comparison = await api.graphql(`query($from: ID!, $to: ID!) { compareVersions(from: $from, to: $to) { changes { kind subject before after } } }`, { from, to });
    const changes = (comparison.body.data as { compareVersions: { changes: { kind: string; subject: string; before: string | null; after: string | null }[] } }).compareVersions.changes;
    expect(changes.filter((change) => change.kind === 'LIMIT_LOOSENED')).toEqual([{ kind: 'LIMIT_LOOSENED', subject: 'EXC-71e0e4f783', before: '4 cycle (induction and/or consolidation)', after: '5 cycle (induction and/or consolidation)' }]);
    expect(body.data?.guideline.changes[0]?.summary).toEqual(expect.arrayContaining([{ kind: 'REFERENCE_REMOVED', count: 1 }, { kind: 'LINE_OF_BUSINESS_NOW_APPLICABLE', count: 1 }]));
  });

  it('searches with ranked, highlighted hits naming version and section', async () => {
    const { body } = await api.graphql<{ search: { edges: { node: { section: string; key: string; snippet: string; version: { brandName: string } } }[] } }>(`{ search(text: "cytokine release syndrome", first: 5) { edges { node { section key snippet version { brandName } } } } }`);
    expect(body.errors).toBeUndefined();
    const hits = body.data?.search.edges.map((edge) => edge.node) ?? [];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ section: 'BOXED_WARNING', key: 'BW-8b99a17fc2', version: { brandName: 'Blincyto' } });
    expect(hits[0]?.snippet).toContain('[[Cytokine]] [[release]] [[syndrome]]');
    const syntax = await api.graphql(`{ search(text: "\\"unbalanced OR NOT (", first: 5) { totalCount } }`);
    expect(syntax.body.errors).toBeUndefined();
  });

  it('evaluates a request by HCPCS code: approved, citing the exact text, with limits and notices', async () => {
    const { body } = await api.graphql<{ evaluateRequest: Record<string, unknown> & { reasons: { criterionKey: string; deciding: boolean; citedText: string }[] } }>(EVALUATE, {
      input: { hcpcsCode: 'J9039', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: approvedFacts },
    });
    expect(body.errors).toBeUndefined();
    const determination = body.data?.evaluateRequest;
    expect(determination).toMatchObject({
      outcome: 'APPROVED', guidelineNumber: 'Evolut_CG_3258', version: { implementationDate: '2026-01' },
      authorizedLimits: [{ kind: 'MAX_DOSE_PER_PERIOD', amount: 28, unit: 'ug/d', billingUnits: 28, billingCode: 'J9039' }, { kind: 'REMAINING_DURATION', amount: 2, unit: '{cycle}' }],
      notices: [{ criterionKey: 'BW-8b99a17fc2' }, { criterionKey: 'BW-8efd44164b' }],
    });
    expect(determination?.reasons.filter((reason) => reason.deciding).map((reason) => reason.criterionKey)).toEqual(['POP-1', 'IND-9bb14e165f']);
    expect(determination?.reasons.find((reason) => reason.criterionKey === 'EXC-de3884ab31')?.citedText).toBe('Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.');
    const readBack = await api.graphql(`query($id: ID!) { determination(id: $id) { outcome reasons { criterionKey } } }`, { id: determination?.['id'] });
    expect((readBack.body.data as { determination: { outcome: string } }).determination.outcome).toBe('APPROVED');
  });

  it('a date of service under the July revision (no reviewed rule set) is NOT_DECIDABLE, never decided with January rules', async () => {
    const { body } = await api.graphql(EVALUATE, { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-08-01', lineOfBusiness: 'COMMERCIAL', facts: approvedFacts } });
    expect(body.data).toMatchObject({ evaluateRequest: { outcome: 'NOT_DECIDABLE', version: { implementationDate: '2026-07' }, reasons: [] } });
  });

  it('a date of service before any version is NO_EFFECTIVE_VERSION', async () => {
    const { body } = await api.graphql(EVALUATE, { input: { drug: 'Blincyto', dateOfService: '2014-05-01', lineOfBusiness: 'COMMERCIAL', facts: [] } });
    expect(body.data).toMatchObject({ evaluateRequest: { outcome: 'NO_EFFECTIVE_VERSION', version: null } });
  });

  it('what-if: the same request against a chosen version', async () => {
    const { body } = await api.graphql<{ guideline: { versions: { id: string }[] } }>(`{ guideline(number: "Evolut_CG_3258") { versions { id } } }`);
    const january = body.data?.guideline.versions[0]?.id;
    const whatIf = await api.graphql(`mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { outcome whatIf version { implementationDate } } }`, {
      input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-08-01', lineOfBusiness: 'COMMERCIAL', facts: approvedFacts, versionId: january },
    });
    expect(whatIf.body.data).toEqual({ evaluateRequest: { outcome: 'APPROVED', whatIf: true, version: { implementationDate: '2026-01' } } });
  });

  it('the same idempotency key returns the same determination; reused with another request it is refused', async () => {
    const input = { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'MEDICAID', facts: approvedFacts, idempotencyKey: 'portal-request-0001' };
    const first = await api.graphql<{ evaluateRequest: { id: string } }>(EVALUATE, { input });
    const before = await rowCounts(api.db.database);
    const again = await api.graphql<{ evaluateRequest: { id: string } }>(EVALUATE, { input });
    expect(again.body.data?.evaluateRequest.id).toBe(first.body.data?.evaluateRequest.id);
    expect(await rowCounts(api.db.database)).toEqual(before);
    const other = await api.graphql(EVALUATE, { input: { ...input, lineOfBusiness: 'COMMERCIAL' } });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an unknown fact', [{ key: 'memberName', value: 'Jane Doe' }], 'facts.memberName'],
    ['a wrong type', [{ key: 'requestedDosePerDayMcg', value: '28' }], 'facts.requestedDosePerDayMcg'],
    ['an out-of-range number', [{ key: 'requestedDosePerDayMcg', value: -5 }], 'facts.requestedDosePerDayMcg'],
    ['a huge number', [{ key: 'requestedDosePerDayMcg', value: 1e308 }], 'facts.requestedDosePerDayMcg'],
    ['an impossible date', [{ key: 'birthDate', value: '2020-02-30' }], 'facts.birthDate'],
    ['an enum value the fact does not allow', [{ key: 'diagnosis', value: 'AML' }], 'facts.diagnosis'],
  ])('%s is a typed BAD_USER_INPUT naming the field, and nothing is stored', async (_name, facts, field) => {
    const before = await rowCounts(api.db.database);
    const { status, body } = await api.graphql(EVALUATE, { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts } });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(body.errors?.[0]?.extensions?.fields)).toContain(field);
    expect(await rowCounts(api.db.database)).toEqual(before);
  });

  it('an impossible date of service is rejected before anything runs', async () => {
    const { body } = await api.graphql(EVALUATE, { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-13-01', lineOfBusiness: 'COMMERCIAL', facts: [] } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('impact analysis re-decides stored determinations against another version and stores nothing', async () => {
    const { body } = await api.graphql<{ guideline: { versions: { id: string }[] } }>(`{ guideline(number: "Evolut_CG_3301") { versions { id } } }`);
    const besponsa = body.data?.guideline.versions[0]?.id;
    const notDecidable = await api.graphql(`{ guideline(number: "Evolut_CG_3258") { versions { id } } }`);
    const july = (notDecidable.body.data as { guideline: { versions: { id: string }[] } }).guideline.versions[1]?.id;
    const refused = await api.graphql(`mutation($id: ID!) { analyzeImpact(versionId: $id) { evaluated } }`, { id: july });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('NOT_DECIDABLE');
    const before = await rowCounts(api.db.database);
    const analysis = await api.graphql(`mutation($id: ID!) { analyzeImpact(versionId: $id) { evaluated changed } }`, { id: besponsa });
    expect(analysis.body.data).toEqual({ analyzeImpact: { evaluated: 0, changed: 0 } });
    expect(await rowCounts(api.db.database)).toEqual(before);
  });

  it('health and readiness endpoints answer', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({ status: 'ready', database: testProvider });
  });

  it('a request body over the limit is refused with 413', async () => {
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(1_100_000) }) });
    expect(response.status).toBe(413);
  });
});
