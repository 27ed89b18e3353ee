import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Provider } from '../database.ts';
import { providerOf, sqlitePath } from '../database.ts';
import type { MigrationDriver } from './migration-runner.ts';

/** Arbitrary but fixed: the advisory-lock id our migrations hold on PostgreSQL. */
const MIGRATION_LOCK_ID = 72707369;

/**
 * Migrations run on the native drivers, not through Prisma: Prisma's driver adapters reject
 * multi-statement scripts, and migration scripts are exactly that.
 */
export async function openMigrationDriver(url: string): Promise<MigrationDriver & { close(): Promise<void> }> {
  const provider: Provider = providerOf(url);
  if (provider === 'sqlite') {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const path = sqlitePath(url);
    // The embedded default lives under ./data, created on first start.
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    return {
      provider,
      // The whole run holds SQLite's write lock (BEGIN IMMEDIATE): a second migrator waits for it
      // (busy timeout), then sees the migrations as applied. Each migration is a savepoint inside.
      withLock: async (work) => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work();
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      },
      exec: async (sql) => {
        db.exec(sql);
      },
      query: async <T>(sql: string, params: unknown[] = []) => {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      },
      transaction: async (work) => {
        db.exec('SAVEPOINT migration');
        try {
          await work();
          db.exec('RELEASE migration');
        } catch (error) {
          db.exec('ROLLBACK TO migration');
          db.exec('RELEASE migration');
          throw error;
        }
      },
      close: async () => {
        db.close();
      },
    };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  // A connection lost while idle is reported through the query that needs it; unheard, this
  // event would crash the process.
  client.on('error', () => {});
  await client.connect();
  return {
    provider,
    withLock: async (work) => {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      }
    },
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    transaction: async (work) => {
      await client.query('BEGIN');
      try {
        await work();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    close: () => client.end(),
  };
}
