import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectivePeriods } from '../../src/domain/effective-period.ts';
import { IngestCode, ingestDocument, MAX_DOCUMENT_BYTES } from '../../src/services/ingest-document.ts';
import { saveVersion } from '../../src/store/guideline-writer.ts';
import type { VersionToSave } from '../../src/store/version-batch-writer.ts';
import { saveVersions } from '../../src/store/version-batch-writer.ts';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { toVersionRecords } from '../../src/records/version-records.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { fixtureText, shippedText } from '../support/documents.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, rowCounts, testProvider } from '../support/test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const seed = shippedText('blincyto/Evolut_CG_3258-2026-01.txt');
const revision = fixtureText('blincyto-2026-07.txt');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe(`ingestion on ${testProvider}`, () => {
  it('loads a document once; the same bytes again are unchanged and write nothing', async () => {
    const first = await ingestDocument(db.database, { fileName: 'seed.txt', bytes: bytes(seed) });
    expect(first.status).toBe('loaded');
    const before = await rowCounts(db.database);
    const second = await ingestDocument(db.database, { fileName: 'copy-of-seed.txt', bytes: bytes(seed) });
    expect(second).toMatchObject({ status: 'unchanged', versionId: first.versionId });
    expect(await rowCounts(db.database)).toEqual(before);
  });

  it('a new revision becomes a new version; effective periods follow implementation dates', async () => {
    const result = await ingestDocument(db.database, { fileName: 'revision.txt', bytes: bytes(revision) });
    expect(result.status).toBe('loaded');
    const guideline = await db.database.client.guideline.findUniqueOrThrow({ where: { number: 'Evolut_CG_3258' }, include: { versions: true } });
    const periods = effectivePeriods(guideline.versions).map((v) => [v.implementationMonth, v.period.from.toISOString(), v.period.to?.toISOString() ?? null]);
    expect(periods).toEqual([
      ['2026-01', '2026-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'],
      ['2026-07', '2026-07-01T00:00:00.000Z', null],
    ]);
  });

  it('a different document for a month that already has a version is rejected, not overwritten', async () => {
    const before = await rowCounts(db.database);
    const edited = seed.replace('Known hypersensitivity to blinatumomab', 'Known severe hypersensitivity to blinatumomab');
    const result = await ingestDocument(db.database, { fileName: 'edited.txt', bytes: bytes(edited) });
    expect(result.status).toBe('rejected');
    expect(result.diagnostics.map((d) => d.code)).toContain(IngestCode.VersionConflict);
    expect(await rowCounts(db.database)).toEqual(before);
  });

  const badInputs: [string, Uint8Array, string][] = [
    ['an empty file', new Uint8Array(0), IngestCode.EmptyFile],
    ['a binary file', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]), IngestCode.BinaryFile],
    ['a Latin-1 file', Uint8Array.from([...bytes('Guideline Number: X\n'), 0x43, 0x68, 0x69, 0x6c, 0x64, 0x72, 0x65, 0x6e, 0x92, 0x73]), IngestCode.InvalidEncoding],
    ['a truncated document', bytes(seed.slice(0, seed.indexOf('EXCLUSION CRITERIA') + 30)), 'PARSE_MISSING_SECTION'],
    ['a 50 MB document', bytes(seed.repeat(Math.ceil((50 * 1024 * 1024) / seed.length))), IngestCode.TooLarge],
  ];
  it.each(badInputs)('%s is rejected with a clear error and nothing is written', async (_name, input, code) => {
    const before = await rowCounts(db.database);
    const result = await ingestDocument(db.database, { fileName: 'bad.txt', bytes: input });
    expect(result.status).toBe('rejected');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toContain(code);
    expect(await rowCounts(db.database)).toEqual(before);
  });

  it('a write that fails half-way rolls the whole version back, on the driver path and on Prisma\'s', async () => {
    const before = await rowCounts(db.database);
    const document = parseGuideline(shippedText('besponsa/Evolut_CG_3301-2026-02.txt')).document;
    // A guideline not stored yet, so the batch's first document would really be written.
    const other = parseGuideline(syntheticGuideline(777_001).text).document;
    if (!document || !other) throw new Error('besponsa and the synthetic guideline must parse');
    let n = 0;
    const newId = (): string => `fixed-${(n += 1)}`;
    const item = (name: string, parsed: typeof document, broken: boolean): VersionToSave => ({
      guidelineNumber: parsed.header.guidelineNumber,
      source: { id: `source-${name}`, sha256: `not-a-real-hash-${name}`, text: 'x', byteLength: 1, fileName: 'x.txt' },
      buildRecords: ({ guidelineId }) => {
        const records = toVersionRecords(parsed, [], { versionId: `version-${name}`, guidelineId, sourceDocumentId: `source-${name}`, newId });
        // Two references with the same id: an insert late in the transaction violates the primary key.
        return broken ? { ...records, references: records.references.map((reference) => ({ ...reference, id: `same-id-${name}` })) } : records;
      },
      newGuidelineId: `guideline-${name}`,
      ruleSet: null,
      newRuleSetId: `rules-${name}`,
    });
    // A batch: the first document is sound, the second breaks; neither may remain.
    await expect(saveVersions(db.database, [item('a', other, false), item('b', document, true)], new Date())).rejects.toThrow();
    expect(await rowCounts(db.database)).toEqual(before);
    const viaPrisma = item('c', document, true);
    await expect(saveVersion(db.database.client, viaPrisma.guidelineNumber, viaPrisma.source, viaPrisma.buildRecords, viaPrisma.newGuidelineId, null, new Date(), 'rules-c')).rejects.toThrow();
    expect(await rowCounts(db.database)).toEqual(before);
  });

  it(`a document of ${MAX_DOCUMENT_BYTES} bytes is the largest accepted size`, async () => {
    const padded = `${seed}\n${' '.repeat(MAX_DOCUMENT_BYTES - bytes(seed).byteLength - 1)}`;
    expect(bytes(padded).byteLength).toBe(MAX_DOCUMENT_BYTES);
    const result = await ingestDocument(db.database, { fileName: 'padded.txt', bytes: bytes(padded) });
    expect(result.diagnostics.map((d) => d.code)).not.toContain(IngestCode.TooLarge);
  });
});

describe(`a rule set's own cases gate its ingestion, on ${testProvider}`, () => {
  const rules = shippedText('blincyto/Evolut_CG_3258-2026-01.rules.yaml');
  const cases = shippedText('blincyto/Evolut_CG_3258-2026-01.cases.yaml');

  it('a rule set whose case fails is refused, naming the case at its line in the cases file, and nothing is written', async () => {
    const wrong = cases.replace('authorizedLimits: { MAX_DOSE_PER_PERIOD: 28, REMAINING_DURATION: 2 }', 'authorizedLimits: { MAX_DOSE_PER_PERIOD: 30, REMAINING_DURATION: 2 }');
    const fresh = await createTestDatabase();
    try {
      const before = await rowCounts(fresh.database);
      const result = await ingestDocument(fresh.database, { fileName: 'seed.txt', bytes: bytes(seed), ruleSet: { fileName: 'seed.rules.yaml', text: rules, cases: { fileName: 'seed.cases.yaml', text: wrong } } });
      expect(result.status).toBe('rejected');
      const caseLine = wrong.slice(0, wrong.indexOf('  - name: relapsed/refractory single agent is approved')).split('\n').length;
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({
        code: 'RULES_CASE_FAILED', file: 'seed.cases.yaml', line: caseLine,
        message: 'case "relapsed/refractory single agent is approved with the authorized limits and boxed warnings" fails: authorized MAX_DOSE_PER_PERIOD 28, expected 30',
      })]);
      expect(await rowCounts(fresh.database)).toEqual(before);
      const passing = await ingestDocument(fresh.database, { fileName: 'seed.txt', bytes: bytes(seed), ruleSet: { fileName: 'seed.rules.yaml', text: rules, cases: { fileName: 'seed.cases.yaml', text: cases } } });
      expect(passing).toMatchObject({ status: 'loaded', decidable: true });
    } finally {
      await fresh.drop();
    }
  });
});
