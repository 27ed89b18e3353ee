import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import type { IngestInput, IngestResult } from '../../src/services/ingest-document.ts';
import { ingestDocument, ingestDocuments } from '../../src/services/ingest-document.ts';
import { expandDocumentPaths, ruleSetBeside } from '../../src/services/ingest-files.ts';
import type { Database } from '../../src/store/database.ts';
import { fixtureText, guidelinesDir, repoRoot } from '../support/documents.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const TABLES = [
  'Guideline', 'SourceDocument', 'GuidelineVersion', 'Passage', 'DiseaseSection', 'Population', 'Criterion', 'QuantitativeLimit',
  'BillingCode', 'VersionLineOfBusiness', 'PolicyHistoryEntry', 'Reference', 'SearchEntry', 'RuleSet',
] as const;

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * A corpus with every outcome: the shipped guidelines with their rule sets and cases, a revision,
 * synthetic documents, an exact copy (unchanged), a document first without and then with its rule
 * set (rules attached), an edited document for a month already published (conflict), a copy within
 * the same batch, and a document that does not parse.
 */
function corpus(): IngestInput[] {
  const shipped = expandDocumentPaths([guidelinesDir]).map((path) => ({ fileName: relative(repoRoot, path), bytes: readFileSync(path), ruleSet: ruleSetBeside(path, repoRoot) }));
  const synthetic = Array.from({ length: 40 }, (_, index) => syntheticGuideline(index)).map((document) => ({ fileName: document.fileName, bytes: encode(document.text) }));
  const blincyto = shipped.find((input) => input.fileName.includes('3258')) as IngestInput;
  const seedText = new TextDecoder().decode(blincyto.bytes);
  return [
    { ...blincyto, ruleSet: undefined },
    ...synthetic.slice(0, 20),
    { fileName: 'revision.txt', bytes: encode(fixtureText('blincyto-2026-07.txt')) },
    ...shipped,
    synthetic[3] as IngestInput,
    ...synthetic.slice(20),
    { fileName: 'copy.txt', bytes: (synthetic[25] as IngestInput).bytes },
    { fileName: 'edited.txt', bytes: encode(seedText.replace('Blinatumomab', 'Blinatumomab (edited)')) },
    { fileName: 'broken.txt', bytes: encode('not a guideline\n') },
  ];
}

/** Per document a counter of its own, so both writers give every row the same id. */
function deterministicIds(): (sha256: string) => () => string {
  const seen = new Map<string, number>();
  return (sha256) => {
    const occurrence = (seen.get(sha256) ?? 0) + 1;
    seen.set(sha256, occurrence);
    let n = 0;
    return () => `${sha256.slice(0, 16)}-${occurrence}-${(n += 1)}`;
  };
}

/** Every stored value with its storage type: SQLite's quote() tells 3 from 3.0 from '3'; PostgreSQL's JSON keeps its types. */
async function storedRows(database: Database, table: string): Promise<string[]> {
  const client = database.client;
  if (testProvider === 'sqlite') {
    const columns = (await client.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${table}')`)).map((column) => column.name);
    const rows = await client.$queryRawUnsafe<{ row: string }[]>(`SELECT ${columns.map((column) => `quote("${column}")`).join(` || '|' || `)} AS row FROM "${table}" ORDER BY "id"`);
    return rows.map((row) => row.row);
  }
  const rows = await client.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table}" t ORDER BY "id"`);
  return rows.map((row) => row.row);
}

const summary = (results: readonly IngestResult[]) => results.map((result) => [result.fileName, result.status, result.versionId, result.decidable, result.diagnostics.map((d) => d.code)]);

describe(`batched ingestion stores the very rows of one Prisma transaction per document (${testProvider})`, () => {
  let viaPrisma: TestDatabase;
  let batched: TestDatabase;
  const at = new Date('2026-12-02T10:11:12.345Z');
  beforeAll(async () => {
    [viaPrisma, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([viaPrisma.drop(), batched.drop()]);
  });

  it('gives every document the same outcome and every table the same rows, value for value', async () => {
    const inputs = corpus();
    // Prisma's path is the one a database without a driver connection takes: forced here on a file.
    const prismaOnly: Database = { ...viaPrisma.database, driver: null };
    const prismaIds = deterministicIds();
    const one: IngestResult[] = [];
    for (const input of inputs) one.push(await ingestDocument(prismaOnly, input, { idsFor: prismaIds, at }));

    const batchIds = deterministicIds();
    const middle = 30;
    const batches = [
      ...(await ingestDocuments(batched.database, inputs.slice(0, middle), { idsFor: batchIds, at })),
      ...(await ingestDocuments(batched.database, inputs.slice(middle), { idsFor: batchIds, at })),
    ];
    expect(summary(batches)).toEqual(summary(one));
    const statuses = new Set(one.map((result) => result.status));
    expect([...statuses].sort()).toEqual(['loaded', 'rejected', 'rules-attached', 'unchanged']);
    expect(one.some((result) => result.diagnostics.some((d) => d.code === 'INGEST_VERSION_CONFLICT'))).toBe(true);

    let compared = 0;
    for (const table of TABLES) {
      const expected = await storedRows(viaPrisma.database, table);
      expect(expected.length, table).toBeGreaterThan(0);
      expect(await storedRows(batched.database, table), table).toEqual(expected);
      compared += expected.length;
    }
    console.log(`batch writer: ${inputs.length} documents, ${compared} rows in ${TABLES.length} tables identical to Prisma's (${testProvider})`);
  });

  it('finds the same documents by full-text search, so the search index was updated with the rows', async () => {
    const hits = async (database: Database): Promise<number> => {
      const sql = testProvider === 'sqlite'
        ? `SELECT count(*) AS n FROM "SearchEntry_fts" WHERE "SearchEntry_fts" MATCH 'leukemia'`
        : `SELECT count(*)::int AS n FROM "SearchEntry" WHERE to_tsvector('english', "text") @@ plainto_tsquery('english', 'leukemia')`;
      return Number((await database.client.$queryRawUnsafe<{ n: number | bigint }[]>(sql))[0]?.n);
    };
    const expected = await hits(viaPrisma.database);
    expect(expected).toBeGreaterThan(0);
    expect(await hits(batched.database)).toBe(expected);
  });
});
