import { afterAll, describe, expect, it } from 'vitest';
import { openMigrationDriver } from '../../src/store/migrations/migration-drivers.ts';
import { applyMigrations, readMigrations } from '../../src/store/migrations/migration-runner.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/**
 * Reviews recorded before a review named the one it reopens must be linked by the migration that
 * added the link, as the chain order says (the latest review of a determination is the one nothing
 * reopens), and stay append-only.
 */
describe(`the review-reopens migration on ${testProvider}`, () => {
  it('links each stored review to the previous review of its determination, and keeps reviews append-only', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    cleanups.push(drop);
    const migrations = readMigrations(testProvider);
    const at = migrations.findIndex((migration) => migration.name.endsWith('_review_reopens'));
    expect(at).toBeGreaterThan(0);
    const driver = await openMigrationDriver(url);
    try {
      await applyMigrations(driver, migrations.slice(0, at));
      const flag = testProvider === 'sqlite' ? '0' : 'false';
      await driver.exec(`
        INSERT INTO "Determination" ("id", "requestSha256", "guidelineNumber", "dateOfService", "lineOfBusiness", "outcome", "whatIf", "factsUsed", "evidence", "result")
          VALUES ('d1', 'a', 'G', '2026-01-01', 'COMMERCIAL', 'PENDED', ${flag}, '[]', '[]', '{}'), ('d2', 'b', 'G', '2026-01-01', 'COMMERCIAL', 'PENDED', ${flag}, '[]', '[]', '{}');
        INSERT INTO "DeterminationReview" ("id", "determinationId", "decision", "rationale", "criterionKeys", "reviewer", "reopenReason", "sequence", "previousHash", "hash")
          VALUES ('r1', 'd1', 'DENIED', 'r', '[]', 'A', NULL, 1, 'x', 'h1'), ('r2', 'd2', 'APPROVED', 'r', '[]', 'A', NULL, 2, 'h1', 'h2'),
                 ('r3', 'd1', 'APPROVED', 'r', '[]', 'B', 'appeal', 3, 'h2', 'h3'), ('r4', 'd1', 'DENIED', 'r', '[]', 'C', 'second appeal', 4, 'h3', 'h4');
      `);
      expect((await applyMigrations(driver, migrations)).applied).toEqual(migrations.slice(at).map((migration) => migration.name));
      const links = await driver.query<{ id: string; reopensId: string | null; hash: string }>('SELECT "id", "reopensId", "hash" FROM "DeterminationReview" ORDER BY "sequence"');
      expect(links).toEqual([{ id: 'r1', reopensId: null, hash: 'h1' }, { id: 'r2', reopensId: null, hash: 'h2' }, { id: 'r3', reopensId: 'r1', hash: 'h3' }, { id: 'r4', reopensId: 'r3', hash: 'h4' }]);
      for (const statement of ['UPDATE "DeterminationReview" SET "reopensId" = NULL', 'DELETE FROM "DeterminationReview"']) {
        await expect(driver.exec(statement), statement).rejects.toThrow(/append-only|immutable/);
      }
      // One review reopens at most one: a second link to r1 is refused.
      await expect(driver.exec(`INSERT INTO "DeterminationReview" ("id", "determinationId", "decision", "rationale", "criterionKeys", "reviewer", "reopensId", "sequence", "previousHash", "hash")
        VALUES ('r5', 'd1', 'DENIED', 'r', '[]', 'D', 'r1', 5, 'h4', 'h5')`)).rejects.toThrow();
    } finally {
      await driver.close();
    }
  });
});
