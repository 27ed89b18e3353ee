import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import type { Database } from '../../src/store/database.ts';
import { insertDetermination } from '../../src/store/determination-store.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const determination = (index: number) => ({
  id: `determination-${index}`, idempotencyKey: null, callerKeyId: null, callerRole: null, requestSha256: 'a'.repeat(64), guidelineNumber: 'Evolut_CG_9000', versionId: null, ruleSetSha256: null,
  dateOfService: '2026-06-01', lineOfBusiness: 'COMMERCIAL', outcome: 'NO_EFFECTIVE_VERSION', whatIf: false, expedited: false, factsUsed: [], evidence: [], result: { summary: 'x'.repeat(2000) },
});
const documents = Array.from({ length: 12 }, (_, index) => syntheticGuideline(9_000 + index)).map((document) => ({ fileName: document.fileName, bytes: encode(document.text) }));

/**
 * Ingests documents one transaction each while another "request" reads through the server's Prisma
 * client as fast as it can, and returns every state the reader saw: the number of versions beside
 * the number of their search entries (the first and the last table a version's transaction writes),
 * and the number of determinations, appended to the audit chain between documents.
 */
async function statesSeenWhileWriting(database: Database): Promise<{ seen: Set<string>; committed: Set<string>; reads: number }> {
  const read = async (): Promise<string> => {
    const [row] = await database.client.$queryRawUnsafe<{ versions: number | bigint; entries: number | bigint; determinations: number | bigint }[]>(
      'SELECT (SELECT count(*) FROM "GuidelineVersion") AS versions, (SELECT count(*) FROM "SearchEntry") AS entries, (SELECT count(*) FROM "Determination") AS determinations',
    );
    return `${Number(row?.versions)}/${Number(row?.entries)}/${Number(row?.determinations)}`;
  };
  const committed = new Set([await read()]);
  const seen = new Set<string>();
  let writing = true;
  let reads = 0;
  const reader = (async () => {
    while (writing) {
      seen.add(await read());
      reads += 1;
    }
  })();
  for (const [index, document] of documents.entries()) {
    expect((await ingestDocument(database, document)).status).toBe('loaded');
    committed.add(await read());
    await insertDetermination(database, determination(index), new Date());
    committed.add(await read());
  }
  writing = false;
  await reader;
  return { seen, committed, reads };
}

describe(`no request reads inside another request's transaction (${testProvider})`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.drop());

  it('a reader concurrent with ingestion and audit appends only ever sees committed states', async () => {
    const { seen, committed, reads } = await statesSeenWhileWriting(db.database);
    const uncommitted = [...seen].filter((state) => !committed.has(state));
    console.log(`read isolation (${testProvider}): ${reads} concurrent reads, ${seen.size} distinct states, ${uncommitted.length} uncommitted`);
    // On SQLite each version is written in one synchronous call on a connection of its own, so the
    // reader can only run between documents; on PostgreSQL it runs during them, on other connections.
    expect(reads).toBeGreaterThan(documents.length);
    expect(committed.size).toBe(2 * documents.length + 1);
    expect(uncommitted).toEqual([]);
  });
});
