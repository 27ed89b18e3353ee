import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import { readVersionDocument } from '../../src/store/version-reader.ts';
import { allDocuments } from '../support/documents.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const encoder = new TextEncoder();

describe(`persistence round trip on ${testProvider}`, () => {
  for (const source of allDocuments()) {
    it(`${source.name}: ingest then read back equals the parsed tree`, async () => {
      const parsed = parseGuideline(source.text);
      const result = await ingestDocument(db.database, { fileName: source.name, bytes: encoder.encode(source.text) });
      expect(result.status).toBe('loaded');
      const stored = await readVersionDocument(db.database.client, result.versionId as string);
      expect(stored).toEqual(parsed.document);
      const sourceRow = await db.database.client.guidelineVersion.findUniqueOrThrow({ where: { id: result.versionId as string }, select: { sourceDocument: true } });
      expect(sourceRow.sourceDocument.text).toBe(source.text);
      expect(sourceRow.sourceDocument.sha256).toBe(result.sha256);
    });
  }

  it('the database refuses to change or delete a published version', async () => {
    const version = await db.database.client.guidelineVersion.findFirstOrThrow();
    await expect(db.database.client.guidelineVersion.update({ where: { id: version.id }, data: { title: 'edited' } })).rejects.toThrow();
    await expect(db.database.client.criterion.deleteMany({ where: { versionId: version.id } })).rejects.toThrow();
    expect(await db.database.client.criterion.count({ where: { versionId: version.id } })).toBeGreaterThan(0);
    const again = await db.database.client.guidelineVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(again.title).toBe(version.title);
  });
});
