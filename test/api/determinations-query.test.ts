import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/api/global-id.ts';
import type { GraphQLResult, TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';
import { mulberry32 } from '../../src/domain/seeded-random.ts';

const EVALUATE = `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id } }`;
const PAGE = `query($filter: DeterminationFilter, $first: Int, $after: String) {
  determinations(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id outcome lineOfBusiness whatIf expedited createdAt } } pageInfo { hasNextPage endCursor } }
}`;

interface Row { id: string; guidelineNumber: string; versionId: string | null; outcome: string; dateOfService: string; lineOfBusiness: string; whatIf: boolean; expedited: boolean; callerKeyId: string | null; createdAt: Date }
let api: TestServer;
let rows: Row[];
beforeAll(async () => {
  api = await startTestServer();
  const random = mulberry32(20261202);
  const versions = await api.db.database.client.guidelineVersion.findMany({ where: { guideline: { number: 'Evolut_CG_3258' } }, select: { id: true } });
  for (let index = 0; index < 36; index += 1) {
    const caller = random() < 0.5 ? 'evaluator' : 'admin';
    const input = {
      guidelineNumber: random() < 0.7 ? 'Evolut_CG_3258' : 'Evolut_CG_3301',
      dateOfService: `2026-0${3 + Math.floor(random() * 6)}-1${Math.floor(random() * 9)}`,
      lineOfBusiness: ['COMMERCIAL', 'MEDICAID', 'CHIP'][Math.floor(random() * 3)],
      expedited: random() < 0.3,
      facts: [] as { key: string; value: unknown }[],
    };
    if (input.guidelineNumber === 'Evolut_CG_3258' && random() < 0.5) input.facts = [{ key: 'requestedDosePerDayMcg', value: 28 }, { key: 'knownHypersensitivity', value: random() < 0.5 }];
    const whatIf = input.guidelineNumber === 'Evolut_CG_3258' && random() < 0.2;
    const { body } = await api.graphqlAs(caller, EVALUATE, { input: { ...input, ...(whatIf ? { versionId: toGlobalId('GuidelineVersion', versions[0]?.id as string) } : {}) } });
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  }
  rows = (await api.db.database.client.determination.findMany()) as Row[];
});
afterAll(async () => api?.stop());

interface Page { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

/** Every page of a filter, through the API, `first` at a time. */
async function allPages(filter: Record<string, unknown>, first: number): Promise<{ ids: string[]; totalCount: number; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  let pages = 0;
  for (;;) {
    const answer: GraphQLResult<{ determinations: Page }> = await api.graphqlAs<{ determinations: Page }>('auditor', PAGE, { filter, first, after });
    if (!answer.body.data) throw new Error(JSON.stringify(answer.body.errors));
    const page: Page = answer.body.data.determinations;
    totalCount = page.totalCount;
    pages += 1;
    ids.push(...page.edges.map((edge) => Buffer.from(edge.node.id, 'base64url').toString().split(':')[1] as string));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, totalCount, pages };
}

const newestFirst = (a: Row, b: Row): number => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe(`determinations(filter) for auditors (${testProvider})`, () => {
  it('pages through every filter exactly as the rows filtered by hand, newest first, with the right totalCount', async () => {
    expect(rows.length).toBe(36);
    const middle = [...rows].sort(newestFirst)[18] as Row;
    const someKey = rows.find((row) => row.callerKeyId)?.callerKeyId as string;
    const someVersion = rows.find((row) => row.versionId)?.versionId as string;
    const filters: [Record<string, unknown>, (row: Row) => boolean][] = [
      [{}, () => true],
      [{ guidelineNumber: 'Evolut_CG_3301' }, (row) => row.guidelineNumber === 'Evolut_CG_3301'],
      [{ versionId: toGlobalId('GuidelineVersion', someVersion) }, (row) => row.versionId === someVersion],
      [{ outcomes: ['INCOMPLETE', 'NOT_APPLICABLE'] }, (row) => ['INCOMPLETE', 'NOT_APPLICABLE'].includes(row.outcome)],
      [{ dateOfServiceFrom: '2026-05-01', dateOfServiceTo: '2026-06-15' }, (row) => row.dateOfService >= '2026-05-01' && row.dateOfService <= '2026-06-15'],
      [{ decidedFrom: middle.createdAt.toISOString() }, (row) => row.createdAt.getTime() >= middle.createdAt.getTime()],
      [{ decidedBefore: middle.createdAt.toISOString() }, (row) => row.createdAt.getTime() < middle.createdAt.getTime()],
      [{ lineOfBusiness: 'medicaid' }, (row) => row.lineOfBusiness === 'MEDICAID'],
      [{ whatIf: true }, (row) => row.whatIf],
      [{ whatIf: false, expedited: true }, (row) => !row.whatIf && row.expedited],
      [{ apiKeyId: someKey, lineOfBusiness: 'CHIP' }, (row) => row.callerKeyId === someKey && row.lineOfBusiness === 'CHIP'],
    ];
    let nonEmpty = 0;
    for (const [filter, keep] of filters) {
      const expected = rows.filter(keep).sort(newestFirst).map((row) => row.id);
      const { ids, totalCount, pages } = await allPages(filter, 4);
      expect(ids, JSON.stringify(filter)).toEqual(expected);
      expect(totalCount, JSON.stringify(filter)).toBe(expected.length);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 4)));
      if (expected.length > 0 && expected.length < rows.length) nonEmpty += 1;
    }
    // The filters above select something and not everything, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThanOrEqual(8);
  });

  it('a listed determination reads its stored result only when asked, and then exactly as `determination(id)` does', async () => {
    const FIELDS = `id outcome summary reasons { criterionKey result citedText explanation deciding } missingFacts { key type question } reviewChecklist { criterionKey result }
      authorizedLimits { kind amount exactAmount unit billingUnits } notices { kind text } factsUsed { key value } derivedFacts { key value } finalStatus`;
    // One approval with its limits (the generated log above has none).
    const approved = await api.graphqlAs<{ evaluateRequest: { id: string } }>('evaluator', EVALUATE, { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: [
      { key: 'birthDate', value: '1980-05-17' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' }, { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' },
      { key: 'knownHypersensitivity', value: false }, { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 28 }, { key: 'requestedCyclePhase', value: 'INDUCTION' },
      { key: 'requestedCycles', value: 2 }, { key: 'priorInductionConsolidationCycles', value: 0 }, { key: 'isContinuationRequest', value: false }, { key: 'singleAgent', value: true },
    ] } });
    expect(approved.body.errors).toBeUndefined();
    const nodes: (Record<string, unknown> & { id: string })[] = [];
    for (let after: string | null = null; ;) {
      const listed: GraphQLResult<{ determinations: Page & { edges: { node: Record<string, unknown> & { id: string } }[] } }> = await api.graphqlAs('auditor', `query($after: String) {
        determinations(first: 10, after: $after) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`, { after });
      if (!listed.body.data) throw new Error(JSON.stringify(listed.body.errors));
      nodes.push(...listed.body.data.determinations.edges.map((edge) => edge.node));
      if (!listed.body.data.determinations.pageInfo.hasNextPage) break;
      after = listed.body.data.determinations.pageInfo.endCursor;
    }
    expect(nodes).toHaveLength(rows.length + 1);
    // Something of every kind is compared: decisions with reasons, approvals with limits, requests lacking facts.
    expect(nodes.filter((node) => (node['reasons'] as unknown[]).length > 0).length).toBeGreaterThan(0);
    expect(nodes.filter((node) => (node['authorizedLimits'] as unknown[]).length > 0).length).toBeGreaterThan(0);
    expect(nodes.filter((node) => (node['missingFacts'] as unknown[]).length > 0).length).toBeGreaterThan(0);
    for (const node of nodes) {
      const one = await api.graphqlAs<{ determination: Record<string, unknown> }>('auditor', `query($id: ID!) { determination(id: $id) { ${FIELDS} } }`, { id: node.id });
      expect(node).toEqual(one.body.data?.determination);
    }
  });

  it('refuses a malformed cursor, a page size out of range and a reversed date range', async () => {
    const codes = async (variables: Record<string, unknown>) => (await api.graphqlAs('auditor', PAGE, variables)).body.errors?.map((error) => error.extensions?.code);
    expect(await codes({ after: 'bm90LWEtY3Vyc29y' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ first: 201 })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ filter: { dateOfServiceFrom: '2026-05-02', dateOfServiceTo: '2026-05-01' } })).toEqual(['BAD_USER_INPUT']);
  });
});
