import type { Database, OpenOptions } from './database.ts';
import { openDatabase, providerOf } from './database.ts';
import { openMigrationDriver } from './migrations/migration-drivers.ts';
import type { MigrationReport } from './migrations/migration-runner.ts';
import { applyMigrations, readMigrations } from './migrations/migration-runner.ts';

/** Applies the committed migrations of the URL's provider (like `prisma migrate deploy`). */
export async function migrateDatabase(url: string): Promise<MigrationReport> {
  const driver = await openMigrationDriver(url);
  try {
    return await applyMigrations(driver, readMigrations(providerOf(url)));
  } finally {
    await driver.close();
  }
}

/** Migrates, then opens the Prisma client: what every entry point does first. */
export async function prepareDatabase(url: string, options: OpenOptions = {}): Promise<{ database: Database; migrations: MigrationReport }> {
  const migrations = await migrateDatabase(url);
  return { database: await openDatabase(url, options), migrations };
}
