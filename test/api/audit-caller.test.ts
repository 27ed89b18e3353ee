import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedContent } from '../../src/store/determination-store.ts';
import { verifyAuditChain } from '../../src/services/verify-audit-chain.ts';
import { verifyWithCheckpoints } from '../../src/services/audit-checkpoints.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

const facts = [
  { key: 'birthDate', value: '1980-05-17' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' },
  { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' }, { key: 'singleAgent', value: true }, { key: 'knownHypersensitivity', value: false },
  { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 28 }, { key: 'requestedCyclePhase', value: 'INDUCTION' },
  { key: 'requestedCycles', value: 2 }, { key: 'priorInductionConsolidationCycles', value: 0 },
];
const EVALUATE = `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id outcome askedBy { apiKeyId role } } }`;
type Answer = { evaluateRequest: { id: string; outcome: string; askedBy: { apiKeyId: string; role: string } | null } };

describe(`the audit trail records who asked, and idempotency keys are the caller's own (${testProvider})`, () => {
  it('a determination names the API key and role that asked; another caller reusing an idempotency key gets a decision of its own', async () => {
    const keys = await api.db.database.client.apiKey.findMany({ select: { id: true, name: true } });
    const idOf = (name: string) => keys.find((key) => key.name === name)?.id;
    const input = { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts, idempotencyKey: 'predictable-0001' };
    const first = await api.graphqlAs<Answer>('evaluator', EVALUATE, { input });
    expect(first.body.data?.evaluateRequest.askedBy).toEqual({ apiKeyId: idOf('test evaluator'), role: 'evaluator' });
    const again = await api.graphqlAs<Answer>('evaluator', EVALUATE, { input });
    expect(again.body.data?.evaluateRequest.id).toBe(first.body.data?.evaluateRequest.id);
    // The same key from another API key: never the first caller's determination, and no squatting.
    const other = await api.graphqlAs<Answer>('admin', EVALUATE, { input });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.evaluateRequest.id).not.toBe(first.body.data?.evaluateRequest.id);
    expect(other.body.data?.evaluateRequest.askedBy).toEqual({ apiKeyId: idOf('test admin'), role: 'admin' });
    const report = await verifyAuditChain(api.db.database.client);
    expect(report.firstProblem).toBeNull();
    expect(report.checked).toBeGreaterThanOrEqual(2);
  });

  it('who asked is covered by the record hash; records from before it was kept hash as they always did', () => {
    const base = {
      id: 'd1', idempotencyKey: null, requestSha256: 'a'.repeat(64), guidelineNumber: 'G', versionId: null, ruleSetSha256: null, dateOfService: '2026-01-01',
      lineOfBusiness: 'COMMERCIAL', outcome: 'APPROVED', whatIf: false, expedited: false, factsUsed: [], evidence: [], result: {}, createdAt: new Date(0), sequence: 1,
    };
    const before = hashedContent({ ...base, callerKeyId: null, callerRole: null });
    expect(Object.keys(before)).not.toContain('callerKeyId');
    expect(hashedContent({ ...base, callerKeyId: 'k1', callerRole: 'evaluator' })).toMatchObject({ callerKeyId: 'k1', callerRole: 'evaluator' });
  });
});

describe(`a server with an audit key anchors the chain (${testProvider})`, () => {
  it('seals each determination it stores, signs the head on shutdown, and both verify', async () => {
    const key = new TextEncoder().encode('x'.repeat(48));
    const keyed = await startTestServer({ auditKey: key });
    try {
      const input = { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts };
      expect((await keyed.graphqlAs<Answer>('evaluator', EVALUATE, { input })).body.data?.evaluateRequest.outcome).toBe('APPROVED');
      // Before any checkpoint covers it, the record carries its own seal.
      expect(await verifyWithCheckpoints(keyed.db.database.client, key, null)).toMatchObject({ problems: [], anchoredThrough: 0, sealed: 1, unsealed: { count: 0 } });
      await keyed.server.stop();
      const report = await verifyWithCheckpoints(keyed.db.database.client, key, null);
      expect(report).toMatchObject({ problems: [], anchoredThrough: 1, unanchored: 0 });
    } finally {
      await keyed.db.drop();
    }
  });
});
