import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { ingestFiles } from '../../src/services/ingest-files.ts';
import { MAX_RULE_SET_BYTES } from '../../src/services/ingest-document.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { rowCounts, testProvider } from '../support/test-database.ts';

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
const EVALUATE = `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id outcome } }`;
const evaluate = (input: Record<string, unknown>) => api.graphqlAs('evaluator', EVALUATE, { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts, ...input } });

describe(`input that must be refused, not decided (${testProvider})`, () => {
  it('a line of business the guideline does not list is BAD_USER_INPUT naming the ones it lists; a listed, unchecked one is NOT_APPLICABLE', async () => {
    const before = await rowCounts(api.db.database);
    for (const lineOfBusiness of ['GOLD_PLAN', 'COMERCIAL']) {
      const { body } = await evaluate({ lineOfBusiness });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(/not listed by Evolut_CG_3258 \(it lists CHIP, COMMERCIAL, .*MEDICAID/);
    }
    expect(await rowCounts(api.db.database)).toEqual(before);
    expect((await evaluate({ lineOfBusiness: 'CHIP' })).body.data).toMatchObject({ evaluateRequest: { outcome: 'NOT_APPLICABLE' } });
  });

  it('the guidelines(lineOfBusiness:) filter is as strict', async () => {
    const { body } = await api.graphql('{ guidelines(lineOfBusiness: "COMERCIAL") { totalCount } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await api.graphql('{ guidelines(lineOfBusiness: "chip") { totalCount } }')).body.errors).toBeUndefined();
  });

  it('dates out of any sane range are refused whatever the outcome would be, and nothing is stored', async () => {
    const before = await rowCounts(api.db.database);
    const cases: [string, Record<string, unknown>][] = [
      ['a birth date in 1800', { facts: facts.map((fact) => (fact.key === 'birthDate' ? { ...fact, value: '1800-01-01' } : fact)) }],
      ['a date of service in 9999', { dateOfService: '9999-01-01' }],
      // Before the first version: no rule set reads the facts, and still the garbage date is refused.
      ['a birth date after the date of service, before any version', { dateOfService: '2020-01-01', facts: [{ key: 'birthDate', value: '2025-01-01' }] }],
      // Shapes no fact type has, before any version too: refused, never stored as NO_EFFECTIVE_VERSION.
      ['an object as a fact, before any version', { dateOfService: '2020-01-01', facts: [{ key: 'diagnosis', value: { code: 'B_CELL_ALL' } }] }],
      ['a list as a fact, before any version', { dateOfService: '2020-01-01', facts: [{ key: 'requestedCycles', value: [1, 2] }] }],
      ['a number beyond 1e15, before any version', { dateOfService: '2020-01-01', facts: [{ key: 'requestedDosePerDayMcg', value: 1e300 }] }],
      ['a fact given twice, before any version', { dateOfService: '2020-01-01', facts: [{ key: 'singleAgent', value: true }, { key: 'singleAgent', value: false }] }],
    ];
    for (const [name, input] of cases) {
      const { body } = await evaluate(input);
      expect(body.errors?.[0]?.extensions?.code, name).toBe('BAD_USER_INPUT');
    }
    expect(await rowCounts(api.db.database)).toEqual(before);
    // The same shapes, well formed, are stored before any version as NO_EFFECTIVE_VERSION (the refusals above are not a blanket one).
    expect((await evaluate({ dateOfService: '2020-01-01', facts: [{ key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'requestedCycles', value: 2 }, { key: 'singleAgent', value: true }] })).body.data).toMatchObject({ evaluateRequest: { outcome: 'NO_EFFECTIVE_VERSION' } });
  });

  it('an evidence citation is bounded, and only what the rules read is stored', async () => {
    const item = { studyType: 'RANDOMIZED_CONTROLLED_TRIAL', peerReviewedFullArticle: true, citation: 'x'.repeat(100_000) };
    const refused = await evaluate({ evidence: [item] });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/citation is longer than 1000/);
    const accepted = await evaluate({ evidence: [{ ...item, citation: 'Smith J, et al. N Engl J Med. 2024.' }] });
    const id = (accepted.body.data as { evaluateRequest: { id: string } }).evaluateRequest.id;
    const row = await api.db.database.client.determination.findFirst({ orderBy: { sequence: 'desc' }, select: { evidence: true } });
    expect(id).toBeTruthy();
    expect(row?.evidence).toEqual([{ studyType: 'RANDOMIZED_CONTROLLED_TRIAL', peerReviewedFullArticle: true, citation: 'Smith J, et al. N Engl J Med. 2024.' }]);
  });

  it.each([
    ['guideline(number:)', '{ guideline(number: "Evolut_CG_3258\\u0000") { number } }'],
    ['guidelines(drug:)', '{ guidelines(drug: "blin\\u0000cyto") { totalCount } }'],
    ['guidelines(hcpcsCode:)', '{ guidelines(hcpcsCode: "J9039\\u0007") { totalCount } }'],
    ['search(text:)', '{ search(text: "leukemia\\u0000") { totalCount } }'],
  ])('a control character in %s is BAD_USER_INPUT, never an internal error', async (_name, query) => {
    const { body } = await api.graphql(query);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a control character in an idempotency key is BAD_USER_INPUT and nothing is stored', async () => {
    const before = await rowCounts(api.db.database);
    const { body } = await evaluate({ idempotencyKey: 'portal-\u0000-0001' });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowCounts(api.db.database)).toEqual(before);
  });
});

describe(`ingestion refuses what is not a guideline folder's own files (${testProvider})`, () => {
  it('a symbolic link is refused unless asked; a huge rule set is refused unread; only the base name is stored', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    const folder = mkdtempSync(join(tmpdir(), 'ingest-hardening-'));
    try {
      const linked = syntheticGuideline(880_001);
      writeFileSync(join(outside, linked.fileName), linked.text);
      symlinkSync(join(outside, linked.fileName), join(folder, linked.fileName));
      const huge = syntheticGuideline(880_002);
      writeFileSync(join(folder, huge.fileName), huge.text);
      writeFileSync(join(folder, huge.fileName.replace(/\.txt$/, '.rules.yaml')), `# ${'x'.repeat(MAX_RULE_SET_BYTES)}\n`);
      const refused = await ingestFiles(api.db.database, [join(folder, linked.fileName), join(folder, huge.fileName)], () => {}, folder);
      expect(refused.results.map((result) => result.diagnostics.find((d) => d.severity === 'error')?.code)).toEqual(['INGEST_SYMLINK', 'INGEST_RULE_SET_TOO_LARGE']);
      const followed = await ingestFiles(api.db.database, [join(folder, linked.fileName)], () => {}, join(folder, '..', '..'), { followSymlinks: true });
      expect(followed.loaded).toBe(1);
      const stored = await api.db.database.client.sourceDocument.findUnique({ where: { sha256: followed.results[0]?.sha256 as string }, select: { fileName: true } });
      expect(stored?.fileName).toBe(linked.fileName);
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
