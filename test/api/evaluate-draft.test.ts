import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraftEvaluator } from '../../src/services/draft-evaluator.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { shippedText } from '../support/documents.ts';
import { hostileDocuments } from '../support/hostile-documents.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

const seed = shippedText('blincyto/Evolut_CG_3258-2026-01.txt');
const rules = shippedText('blincyto/Evolut_CG_3258-2026-01.rules.yaml');
const DRAFT = `mutation($input: DraftEvaluationInput!) { evaluateDraft(input: $input) { outcome diagnostics { code severity line } } }`;
const facts = [
  { key: 'birthDate', value: '1980-05-17' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' },
  { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' }, { key: 'singleAgent', value: true }, { key: 'knownHypersensitivity', value: false },
  { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 28 },
  { key: 'requestedCyclePhase', value: 'INDUCTION' }, { key: 'requestedCycles', value: 2 }, { key: 'priorInductionConsolidationCycles', value: 0 },
];
const input = (document: string) => ({ document, ruleSet: rules, dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts });

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer({ draftDeadlineMs: 1000 });
});
afterAll(async () => api.stop());

describe(`evaluateDraft reads drafts in a worker thread with a hard deadline, on ${testProvider}`, () => {
  it('returns the parse warnings of the draft with the decision', async () => {
    const { body } = await api.graphqlAs('auditor', DRAFT, { input: input(seed) });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ evaluateDraft: { outcome: 'APPROVED', diagnostics: expect.arrayContaining([
      { code: 'PARSE_ORGANIZATION_NAME_MISMATCH', severity: 'warning', line: 35 },
      { code: 'PARSE_DUPLICATE_REFERENCE', severity: 'warning', line: 118 },
    ]) } });
  });

  it('a draft that does not parse is refused with one field per error line', async () => {
    const { body } = await api.graphqlAs('auditor', DRAFT, { input: input(seed.replace('- Treatment exceeds the maximum', 'Treatment exceeds the maximum')) });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'document:67', message: expect.stringContaining('PARSE_UNRECOGNIZED_LINE line 67 of EXCLUSION CRITERIA is not a bullet') }] });
  });

  it('hostile drafts near the size limit are refused or decided within the deadline, and /healthz answers meanwhile', async () => {
    const drafts = hostileDocuments(seed, 480_000).map(({ name, text }) => ({ name, text: text.length > 490_000 ? text.slice(0, text.lastIndexOf('\n', 490_000)) : text }));
    let pending = drafts.length;
    let answeredWhilePending = 0;
    const health = (async () => {
      while (pending > 0) {
        const response = await fetch(`${api.url}/healthz`);
        if (response.ok && pending > 0) answeredWhilePending += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const outcomes = await Promise.all(drafts.map(async ({ name, text }) => {
      const { body } = await api.graphqlAs('auditor', DRAFT, { input: input(text) });
      pending -= 1;
      return [name, body.errors?.[0]?.extensions?.code ?? (body.data as { evaluateDraft: { outcome: string } }).evaluateDraft.outcome] as const;
    }));
    await health;
    console.log(`hostile drafts: ${outcomes.map(([name, code]) => `${name} → ${code}`).join('; ')}; /healthz answered ${answeredWhilePending} times meanwhile`);
    expect(outcomes.filter(([, code]) => !['BAD_USER_INPUT', 'SERVICE_BUSY', 'APPROVED', 'DENIED'].includes(code))).toEqual([]);
    expect(outcomes.filter(([, code]) => code === 'SERVICE_BUSY').length).toBeLessThan(drafts.length);
    expect(answeredWhilePending).toBeGreaterThan(0);
  });
});

describe('the draft deadline', () => {
  it('stops a draft that runs past it with DEADLINE_EXCEEDED, and the pool serves the next one', async () => {
    const tight = createDraftEvaluator({ deadlineMs: 1 });
    const roomy = createDraftEvaluator({ deadlineMs: 10_000 });
    try {
      const error = await tight.evaluate(input(seed)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('DEADLINE_EXCEEDED');
      expect((await roomy.evaluate(input(seed))).outcome).toBe('APPROVED');
    } finally {
      await tight.close();
      await roomy.close();
    }
  });
});
