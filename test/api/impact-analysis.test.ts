import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableKey } from '../../src/document/stable-key.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import { fixtureText } from '../support/documents.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { rowCounts, testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

const facts = (prior: number) => [
  { key: 'birthDate', value: '2010-01-01' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' },
  { key: 'treatmentSetting', value: 'CONSOLIDATION_AFTER_INDUCTION' }, { key: 'completedStandardInductionChemotherapy', value: true },
  { key: 'mrdStatusAtEndOfInduction', value: 'NEGATIVE' }, { key: 'knownHypersensitivity', value: false },
  { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 15 },
  { key: 'requestedCyclePhase', value: 'CONSOLIDATION' }, { key: 'requestedCycles', value: 1 }, { key: 'priorInductionConsolidationCycles', value: prior },
];
const evaluate = (prior: number) => api.graphql<{ evaluateRequest: { outcome: string } }>(
  `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { outcome } }`,
  { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-04-01', lineOfBusiness: 'COMMERCIAL', facts: facts(prior) } },
);

describe(`impact analysis of a revision before it goes live, on ${testProvider}`, () => {
  it('a reviewed rule set can be attached to a stored revision later, once', async () => {
    const document = { fileName: 'blincyto-2026-07.txt', bytes: new TextEncoder().encode(fixtureText('blincyto-2026-07.txt')) };
    expect((await ingestDocument(api.db.database, document)).status).toBe('loaded');
    const underJuly = () => api.graphql<{ evaluateRequest: { outcome: string } }>(
      `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { outcome } }`,
      { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-08-03', lineOfBusiness: 'COMMERCIAL', facts: facts(4) } },
    );
    expect((await underJuly()).body.data?.evaluateRequest.outcome).toBe('NOT_DECIDABLE');
    const ruleSet = { fileName: 'blincyto-2026-07.rules.yaml', text: fixtureText('blincyto-2026-07.rules.yaml') };
    expect((await ingestDocument(api.db.database, { ...document, ruleSet })).status).toBe('rules-attached');
    // The running server sees the attached rule set at once (5 cycles allowed under July).
    expect((await underJuly()).body.data?.evaluateRequest.outcome).toBe('APPROVED');
    expect((await ingestDocument(api.db.database, { ...document, ruleSet })).status).toBe('unchanged');
    const edited = { ...ruleSet, text: ruleSet.text.replace('reviewedBy: Policy', 'reviewedBy: Someone else, Policy') };
    const refused = await ingestDocument(api.db.database, { ...document, ruleSet: edited });
    expect(refused.status).toBe('rejected');
  });

  it('reports which stored outcomes the July revision would change, and why', async () => {
    expect((await evaluate(3)).body.data?.evaluateRequest.outcome).toBe('APPROVED');
    expect((await evaluate(4)).body.data?.evaluateRequest.outcome).toBe('DENIED');
    const versions = await api.graphql<{ guideline: { versions: { id: string; implementationDate: string }[] } }>(`{ guideline(number: "Evolut_CG_3258") { versions { id implementationDate } } }`);
    const july = versions.body.data?.guideline.versions.find((version) => version.implementationDate === '2026-07')?.id;
    const before = await rowCounts(api.db.database);
    const { body } = await api.graphql(`mutation($id: ID!) { analyzeImpact(versionId: $id) { evaluated changed items { before after determination { factsUsed { key value } } reasons { criterionKey result } } } }`, { id: july });
    expect(body.errors).toBeUndefined();
    const analysis = (body.data as { analyzeImpact: { evaluated: number; changed: number; items: { before: string; after: string; determination: { factsUsed: { key: string; value: unknown }[] }; reasons: { criterionKey: string }[] }[] } }).analyzeImpact;
    // Three decided requests are stored (two under January, one under July); the NOT_DECIDABLE one is not re-decided.
    expect(analysis.evaluated).toBe(3);
    expect(analysis.changed).toBe(1);
    expect(analysis.items[0]).toMatchObject({ before: 'DENIED', after: 'APPROVED' });
    expect(analysis.items[0]?.determination.factsUsed).toContainEqual({ key: 'priorInductionConsolidationCycles', value: 4 });
    expect(analysis.items[0]?.reasons.map((reason) => reason.criterionKey)).toContain('IND-43569f7515');
    expect(await rowCounts(api.db.database)).toEqual(before);
  });

  it('what-if against an unpublished document and rule set decides without storing anything', async () => {
    const before = await rowCounts(api.db.database);
    const draft = `mutation($input: DraftEvaluationInput!) { evaluateDraft(input: $input) { outcome reasons { criterionKey deciding } authorizedLimits { kind amount } } }`;
    const input = {
      document: fixtureText('blincyto-2026-07.txt').replace('5 cycles when used as induction', '6 cycles when used as induction'),
      ruleSet: fixtureText('blincyto-2026-07.rules.yaml'),
      dateOfService: '2026-08-03', lineOfBusiness: 'COMMERCIAL', facts: facts(4),
    };
    // The draft changed the text (6 cycles) but not the rule set: the rule set no longer binds.
    const refused = await api.graphql(draft, { input });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(refused.body.errors?.[0]?.extensions?.fields)).toContain('RULES_');
    const sixCycles = 'Treatment exceeds the maximum duration limit of 6 cycles when used as induction and/or consolidation therapy.';
    const reviewed = {
      ...input,
      ruleSet: input.ruleSet
        .replaceAll('Treatment exceeds the maximum duration limit of 5 cycles when used as induction and/or consolidation therapy.', sixCycles)
        .replaceAll('EXC-71e0e4f783', stableKey('EXCLUSION', '', sixCycles))
        .replace('limit: { kind: MAX_DURATION, amount: 5,', 'limit: { kind: MAX_DURATION, amount: 6,'),
    };
    const decided = await api.graphql(draft, { input: reviewed });
    expect(decided.body.errors).toBeUndefined();
    expect((decided.body.data as { evaluateDraft: unknown }).evaluateDraft).toMatchObject({
      outcome: 'APPROVED',
      authorizedLimits: expect.arrayContaining([{ kind: 'REMAINING_DURATION', amount: 1 }]),
    });
    expect(await rowCounts(api.db.database)).toEqual(before);
  });
});
