import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShippedGuidelines } from '../../src/services/load-shipped-guidelines.ts';
import { VersionCatalog } from '../../src/services/version-catalog.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await loadShippedGuidelines(db.database);
});
afterAll(async () => db.drop());

describe(`the version catalog, cleared while it loads, on ${testProvider}`, () => {
  it('a clear() while misses load never drops the entries that were cached when the load began', async () => {
    const ids = (await db.database.client.guidelineVersion.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 2 })).map((row) => row.id);
    expect(ids).toHaveLength(2);
    const catalog = new VersionCatalog(db.database.client, 1000, true);
    await catalog.get(ids[1] as string);
    // The first id is a miss, the second a hit; the catalog changes (clear) while the miss loads.
    const loading = catalog.getMany(ids);
    catalog.clear();
    const entries = await loading;
    expect(entries.map((entry) => entry?.id)).toEqual(ids);
    // Nothing loaded before the clear is kept after it.
    expect(catalog.size).toBe(0);
  });
});
