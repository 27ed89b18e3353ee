import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Provider } from '../database.ts';

export interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file, as Prisma records it in _prisma_migrations.checksum. */
  readonly checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'STORE_MIGRATION_MODIFIED' | 'STORE_MIGRATION_FAILED' | 'STORE_MIGRATION_UNKNOWN' | 'STORE_MIGRATION_PENDING',
    message: string,
  ) {
    super(message);
  }
}

export function migrationsDir(provider: Provider): string {
  return fileURLToPath(new URL(`../../../prisma/${provider}/migrations`, import.meta.url));
}

/** The committed migrations of a provider, in Prisma's layout (<timestamp>_<name>/migration.sql), oldest first. */
export function readMigrations(provider: Provider): MigrationFile[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

/** What a migration driver must offer: raw multi-statement SQL, a transaction and a lock. */
export interface MigrationDriver {
  readonly provider: Provider;
  /** Runs `work` holding an exclusive migration lock (so two starting servers do not race). */
  withLock<T>(work: () => Promise<T>): Promise<T>;
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  transaction(work: () => Promise<void>): Promise<void>;
}

export interface AppliedMigration {
  readonly migration_name: string;
  readonly checksum: string;
  readonly finished_at: unknown;
  readonly rolled_back_at: unknown;
}

const BOOKKEEPING: Record<Provider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
    "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

export interface MigrationReport {
  readonly applied: string[];
  readonly alreadyApplied: string[];
}

/**
 * Applies committed migrations like `prisma migrate deploy`: each in its own transaction, recorded
 * in Prisma's own _prisma_migrations table (so Prisma's CLI can take over on a machine that has its
 * engine). An applied migration whose file changed since is an error, never silently re-run.
 */
export async function applyMigrations(driver: MigrationDriver, migrations: readonly MigrationFile[]): Promise<MigrationReport> {
  return driver.withLock(async () => {
    await driver.exec(BOOKKEEPING[driver.provider]);
    const applied = await appliedMigrations(driver);
    const byName = new Map(applied.map((row) => [row.migration_name, row]));
    const known = new Set(migrations.map((migration) => migration.name));
    for (const row of applied) {
      if (!known.has(row.migration_name)) {
        throw new MigrationError('STORE_MIGRATION_UNKNOWN', `the database has migration ${row.migration_name}, which this code does not know (newer code wrote it?)`);
      }
    }
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const existing = byName.get(migration.name);
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError('STORE_MIGRATION_MODIFIED', `migration ${migration.name} was changed after it was applied`);
        }
        report.alreadyApplied.push(migration.name);
        continue;
      }
      try {
        await driver.transaction(async () => {
          await driver.exec(migration.sql);
          const [id, checksum, name] = placeholders(driver.provider, 3);
          await driver.query(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES (${id}, ${checksum}, CURRENT_TIMESTAMP, ${name}, 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
        });
      } catch (error) {
        throw new MigrationError('STORE_MIGRATION_FAILED', `migration ${migration.name} failed: ${(error as Error).message}`);
      }
      report.applied.push(migration.name);
    }
    return report;
  });
}

export async function appliedMigrations(driver: MigrationDriver): Promise<AppliedMigration[]> {
  return driver.query<AppliedMigration>(
    `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL ORDER BY "migration_name"`,
  );
}

function placeholders(provider: Provider, count: number): string[] {
  return Array.from({ length: count }, (_, index) => (provider === 'postgresql' ? `$${index + 1}` : '?'));
}

/** Names of committed migrations not yet applied: empty means the schema is current (readiness). */
export async function pendingMigrations(driver: MigrationDriver, migrations: readonly MigrationFile[]): Promise<string[]> {
  const tables = await driver.query<{ name: string }>(
    driver.provider === 'sqlite'
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`
      : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'`,
  );
  if (tables.length === 0) return migrations.map((migration) => migration.name);
  const applied = new Set((await appliedMigrations(driver)).filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  return migrations.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name);
}
