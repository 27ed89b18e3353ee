import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, OpenOptions, Provider } from '../../src/store/database.ts';
import { providerOf } from '../../src/store/database.ts';
import { prepareDatabase } from '../../src/store/prepare-database.ts';

/**
 * The provider under test follows DATABASE_URL, as in production: unset or file: → SQLite in a temp
 * folder; postgresql:// → a fresh database created on that server for each test file and dropped after.
 */
export const testProvider: Provider = process.env['DATABASE_URL'] ? providerOf(process.env['DATABASE_URL']) : 'sqlite';

export interface TestDatabase {
  readonly url: string;
  readonly database: Database;
  drop(): Promise<void>;
}

export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  return scratchDatabase(testProvider === 'postgresql' ? (process.env['DATABASE_URL'] as string) : null, 'test');
}

/**
 * A fresh, empty database for a test or a benchmark: a SQLite file in a temp folder, or, given a
 * PostgreSQL server URL, a new database on it. `drop` removes it.
 */
export async function scratchDatabase(postgresServer: string | null, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (postgresServer === null) {
    const dir = mkdtempSync(join(tmpdir(), `guidelines-${prefix}-`));
    return { url: `file:${join(dir, `${prefix}.db`)}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = new URL(postgresServer);
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: server.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** A freshly migrated, empty database of the provider under test. */
export async function createTestDatabase(options: OpenOptions = {}): Promise<TestDatabase> {
  const { url, drop } = await createTestDatabaseUrl();
  const { database } = await prepareDatabase(url, options);
  return {
    url,
    database,
    drop: async () => {
      await database.close();
      await drop();
    },
  };
}

/** Row counts of every table: atomicity tests compare them before and after a failed write. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const client = database.client;
  const entries = await Promise.all(
    (['guideline', 'sourceDocument', 'guidelineVersion', 'passage', 'diseaseSection', 'population', 'criterion', 'quantitativeLimit', 'billingCode', 'versionLineOfBusiness', 'policyHistoryEntry', 'reference', 'searchEntry', 'ruleSet', 'determination'] as const).map(
      async (model) => [model, await (client[model] as unknown as { count(): Promise<number> }).count()] as const,
    ),
  );
  return Object.fromEntries(entries);
}
