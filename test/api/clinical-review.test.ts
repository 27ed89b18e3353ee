import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain, verifyReviewChain } from '../../src/services/verify-audit-chain.ts';
import { sqlitePath } from '../../src/store/database.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

const RELAPSED_ADULT = [
  { key: 'birthDate', value: '1980-05-17' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' },
  { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' }, { key: 'knownHypersensitivity', value: false },
  { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 28 },
  { key: 'requestedCyclePhase', value: 'INDUCTION' }, { key: 'requestedCycles', value: 2 }, { key: 'priorInductionConsolidationCycles', value: 0 },
  { key: 'isContinuationRequest', value: false },
];
const EVALUATE = `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id outcome expedited finalStatus reviews { id } } }`;
const REVIEW = `mutation($input: RecordReviewInput!) { recordReview(input: $input) { id outcome finalStatus expedited reviews { decision rationale criterionKeys reviewer reviewerApiKeyId reopenReason reopened } } }`;

interface Decided { id: string; outcome: string; expedited: boolean; finalStatus: string; reviews: Record<string, unknown>[] }
let api: TestServer;
const decide = async (singleAgent: boolean, expedited = false): Promise<Decided> => {
  const { body } = await api.graphqlAs<{ evaluateRequest: Decided }>('evaluator', EVALUATE, {
    input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', expedited, facts: [...RELAPSED_ADULT, { key: 'singleAgent', value: singleAgent }] },
  });
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.evaluateRequest;
};
const review = (input: Record<string, unknown>) => api.graphqlAs<{ recordReview: Decided & { reviews: Record<string, unknown>[] } }>('reviewer', REVIEW, { input });

beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api?.stop());

describe(`clinical review of pended determinations (${testProvider})`, () => {
  it('records a review append-only: the determination is unchanged, its final status follows the review', async () => {
    const pended = await decide(false, true);
    expect(pended).toMatchObject({ outcome: 'PENDED', expedited: true, finalStatus: 'PENDED', reviews: [] });
    const before = await api.db.database.client.determination.findUniqueOrThrow({ where: { id: Buffer.from(pended.id, 'base64url').toString().split(':')[1] as string } });
    const { body } = await review({ determinationId: pended.id, decision: 'APPROVED', rationale: 'Combination use supported by the submitted phase 2 study.', criterionKeys: ['EXC-03cfe7e660'], reviewer: 'Dr. A. Reviewer' });
    expect(body.errors).toBeUndefined();
    expect(body.data?.recordReview).toMatchObject({ outcome: 'PENDED', finalStatus: 'APPROVED_AFTER_REVIEW', expedited: true });
    expect(body.data?.recordReview.reviews).toEqual([{ decision: 'APPROVED', rationale: 'Combination use supported by the submitted phase 2 study.', criterionKeys: ['EXC-03cfe7e660'], reviewer: 'Dr. A. Reviewer', reviewerApiKeyId: expect.any(String), reopenReason: null, reopened: false }]);
    const after = await api.db.database.client.determination.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toEqual(before);

    // A second review reopens the first, and only with a reason.
    const silent = await review({ determinationId: pended.id, decision: 'DENIED', rationale: 'Second look.', criterionKeys: ['EXC-03cfe7e660'], reviewer: 'Dr. B' });
    expect(silent.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(silent.body.errors?.[0]?.message).toContain('reopenReason');
    const reopened = await review({ determinationId: pended.id, decision: 'DENIED', rationale: 'The study enrolled no adults.', criterionKeys: ['EXC-03cfe7e660'], reviewer: 'Dr. B', reopenReason: 'Appeal by the plan medical director' });
    expect(reopened.body.data?.recordReview.finalStatus).toBe('DENIED_AFTER_REVIEW');
    expect(reopened.body.data?.recordReview.reviews.map((item: Record<string, unknown>) => [item['decision'], item['reopened']])).toEqual([['APPROVED', false], ['DENIED', true]]);
    expect(await verifyReviewChain(api.db.database.client)).toEqual({ checked: 2, firstProblem: null, unchained: 0 });
    expect((await verifyAuditChain(api.db.database.client)).firstProblem).toBeNull();
  });

  it('refuses what is not a review of a waiting request, storing nothing', async () => {
    const approved = await decide(true);
    expect(approved.outcome).toBe('APPROVED');
    const pended = await decide(false);
    const count = await api.db.database.client.determinationReview.count();
    const base = { decision: 'DENIED', rationale: 'r', criterionKeys: ['EXC-03cfe7e660'], reviewer: 'Dr. C' };
    const refusals = {
      approved: await review({ ...base, determinationId: approved.id }),
      unknownCriterion: await review({ ...base, determinationId: pended.id, criterionKeys: ['IND-0000000000'] }),
      noCriterion: await review({ ...base, determinationId: pended.id, criterionKeys: [] }),
      emptyRationale: await review({ ...base, determinationId: pended.id, rationale: '   ' }),
      reopenWithoutReview: await review({ ...base, determinationId: pended.id, reopenReason: 'nothing to reopen' }),
      unknownDetermination: await review({ ...base, determinationId: Buffer.from('Determination:00000000-0000-0000-0000-000000000000').toString('base64url') }),
    };
    expect(Object.fromEntries(Object.entries(refusals).map(([name, answer]) => [name, answer.body.errors?.[0]?.extensions?.code]))).toEqual({
      approved: 'BAD_USER_INPUT', unknownCriterion: 'BAD_USER_INPUT', noCriterion: 'BAD_USER_INPUT', emptyRationale: 'BAD_USER_INPUT', reopenWithoutReview: 'BAD_USER_INPUT', unknownDetermination: 'NOT_FOUND',
    });
    expect(await api.db.database.client.determinationReview.count()).toBe(count);
    // An evaluator decides but does not review.
    const asEvaluator = await api.graphqlAs('evaluator', REVIEW, { input: { ...base, determinationId: pended.id } });
    expect(asEvaluator.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('filters by final status: the worklist is what nobody reviewed yet, a reopened review counts by its latest decision', async () => {
    const reviewedTwice = await decide(false);
    const base = { rationale: 'r', criterionKeys: ['EXC-03cfe7e660'], reviewer: 'Dr. D' };
    await review({ ...base, determinationId: reviewedTwice.id, decision: 'DENIED' });
    expect((await review({ ...base, determinationId: reviewedTwice.id, decision: 'APPROVED', reopenReason: 'new evidence' })).body.data?.recordReview.finalStatus).toBe('APPROVED_AFTER_REVIEW');
    const reviewedOnce = await decide(false);
    await review({ ...base, determinationId: reviewedOnce.id, decision: 'DENIED' });
    const waiting = await decide(false);
    const approved = await decide(true);
    const mine = new Set([reviewedTwice.id, reviewedOnce.id, waiting.id, approved.id]);
    const matching = async (finalStatuses: string[]) => {
      const { body } = await api.graphqlAs<{ determinations: { edges: { node: { id: string; finalStatus: string } }[] } }>('reviewer', `query($filter: DeterminationFilter) {
        determinations(filter: $filter, first: 200) { edges { node { id finalStatus } } } }`, { filter: { finalStatuses } });
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      const nodes = body.data.determinations.edges.map((edge) => edge.node);
      // Whatever else this file stored, every node's own final status is one asked for.
      expect(nodes.every((node) => finalStatuses.includes(node.finalStatus))).toBe(true);
      return nodes.filter((node) => mine.has(node.id)).map((node) => node.id).sort();
    };
    expect(await matching(['PENDED', 'INCOMPLETE'])).toEqual([waiting.id]);
    expect(await matching(['APPROVED_AFTER_REVIEW'])).toEqual([reviewedTwice.id]);
    expect(await matching(['DENIED_AFTER_REVIEW'])).toEqual([reviewedOnce.id]);
    expect(await matching(['APPROVED'])).toEqual([approved.id]);
    expect(await matching(['APPROVED', 'APPROVED_AFTER_REVIEW'])).toEqual([reviewedTwice.id, approved.id].sort());
  });

  it('two reviewers at once: one review is recorded, the other is told it was reviewed meanwhile', async () => {
    for (let round = 0; round < 3; round += 1) {
      const pended = await decide(false);
      const base = { determinationId: pended.id, rationale: 'r', criterionKeys: ['EXC-03cfe7e660'] };
      const answers = await Promise.all([review({ ...base, decision: 'APPROVED', reviewer: 'Dr. E' }), review({ ...base, decision: 'DENIED', reviewer: 'Dr. F' })]);
      expect(answers.filter((answer) => answer.body.errors === undefined)).toHaveLength(1);
      expect(answers.filter((answer) => answer.body.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')).toHaveLength(1);
      const id = Buffer.from(pended.id, 'base64url').toString().split(':')[1] as string;
      expect(await api.db.database.client.determinationReview.count({ where: { determinationId: id } })).toBe(1);
    }
    expect((await verifyReviewChain(api.db.database.client)).firstProblem).toBeNull();
  });

  it('a review edited in the database, or relinked to another review, is found by the review chain', async () => {
    const tamper = async (sql: string) => {
      if (testProvider === 'sqlite') {
        const raw = new Database(sqlitePath(api.db.url));
        expect(() => raw.exec(sql)).toThrow(/append-only/);
        raw.exec('DROP TRIGGER IF EXISTS "DeterminationReview_no_update"');
        raw.exec(sql);
        raw.close();
      } else {
        const client = new pg.Client({ connectionString: api.db.url });
        await client.connect();
        await expect(client.query(sql)).rejects.toThrow();
        await client.query('ALTER TABLE "DeterminationReview" DISABLE TRIGGER "DeterminationReview_immutable"');
        await client.query(sql);
        await client.query('ALTER TABLE "DeterminationReview" ENABLE TRIGGER "DeterminationReview_immutable"');
        await client.end();
      }
    };
    // The reopening review (sequence 2) made to look like a first review: the latest review of its determination would change.
    await tamper(`UPDATE "DeterminationReview" SET "reopensId" = NULL WHERE "sequence" = 2`);
    expect((await verifyReviewChain(api.db.database.client)).firstProblem).toMatchObject({ sequence: 2, reason: 'REOPENS_WRONG_REVIEW' });
    if (testProvider === 'sqlite') {
      const raw = new Database(sqlitePath(api.db.url));
      raw.exec(`CREATE TRIGGER "DeterminationReview_no_update" BEFORE UPDATE ON "DeterminationReview" BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on DeterminationReview refused'); END`);
      raw.close();
    }
    await tamper(`UPDATE "DeterminationReview" SET "decision" = 'APPROVED' WHERE "sequence" = 2`);
    expect((await verifyReviewChain(api.db.database.client)).firstProblem).toMatchObject({ sequence: 2, reason: 'CONTENT_CHANGED' });
  });
});
