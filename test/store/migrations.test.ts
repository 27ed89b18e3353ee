import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTERNAL_TABLES } from '../../src/store/migrations/external-tables.ts';
import { hasDrift } from '../../src/store/migrations/schema-engine.ts';
import { openMigrationDriver } from '../../src/store/migrations/migration-drivers.ts';
import { applyMigrations, migrationsDir, pendingMigrations, readMigrations } from '../../src/store/migrations/migration-runner.ts';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe(`migrations on ${testProvider}`, () => {
  it('the committed migrations produce exactly the Prisma models (no drift)', async () => {
    const drift = await hasDrift({
      provider: testProvider,
      migrationsDir: migrationsDir(testProvider),
      schemaFiles: [join(repoRoot, 'prisma', testProvider)],
      pg: testProvider === 'postgresql' ? process.env['DATABASE_URL'] : undefined,
      filters: { externalTables: EXTERNAL_TABLES[testProvider] },
    });
    expect(drift).toBe(false);
  });

  it('apply every migration once, record them like Prisma, and apply nothing the second time', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    cleanups.push(drop);
    const migrations = readMigrations(testProvider);
    const driver = await openMigrationDriver(url);
    try {
      expect(await pendingMigrations(driver, migrations)).toEqual(migrations.map((m) => m.name));
      expect((await applyMigrations(driver, migrations)).applied).toEqual(migrations.map((m) => m.name));
      expect(await applyMigrations(driver, migrations)).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
      expect(await pendingMigrations(driver, migrations)).toEqual([]);
      const rows = await driver.query<{ checksum: string }>('SELECT "checksum" FROM "_prisma_migrations" ORDER BY "migration_name"');
      expect(rows.map((row) => row.checksum)).toEqual(migrations.map((m) => m.checksum));
    } finally {
      await driver.close();
    }
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    cleanups.push(drop);
    const migrations = readMigrations(testProvider);
    const driver = await openMigrationDriver(url);
    try {
      await applyMigrations(driver, migrations);
      const tampered = migrations.map((m, i) => (i === 0 ? { ...m, checksum: '0'.repeat(64) } : m));
      await expect(applyMigrations(driver, tampered)).rejects.toMatchObject({ code: 'STORE_MIGRATION_MODIFIED' });
    } finally {
      await driver.close();
    }
  });

  it('a failing migration is rolled back and not recorded', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    cleanups.push(drop);
    const driver = await openMigrationDriver(url);
    try {
      const broken = [{ name: '20990101000000_broken', sql: 'CREATE TABLE "half_done" ("id" INTEGER);\nTHIS IS NOT SQL;', checksum: 'x'.repeat(64) }];
      await expect(applyMigrations(driver, broken)).rejects.toMatchObject({ code: 'STORE_MIGRATION_FAILED' });
      const tables = await driver.query<{ name: string }>(
        testProvider === 'sqlite' ? `SELECT name FROM sqlite_master WHERE name = 'half_done'` : `SELECT table_name AS name FROM information_schema.tables WHERE table_name = 'half_done'`,
      );
      expect(tables).toEqual([]);
      expect(await pendingMigrations(driver, broken)).toEqual(['20990101000000_broken']);
    } finally {
      await driver.close();
    }
  });
});
