import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { PrismaClient } from './generated/sqlite/client.ts';

export type Provider = 'sqlite' | 'postgresql';

/**
 * The application is typed against the SQLite client. The PostgreSQL client is a superset of it,
 * so it is cast once here; a PostgreSQL-only query feature then fails to compile in shared code.
 */
export type Client = PrismaClient;

/**
 * The driver under Prisma's adapter, for the few hot writes where Prisma's per-statement cost
 * dominates (the audit-chain append). SQLite: a second connection of its own, so a transaction on
 * it never hosts another request's queries; PostgreSQL: the very pool the adapter uses.
 */
export type Driver = { readonly provider: 'sqlite'; readonly connection: BetterSqlite3.Database } | { readonly provider: 'postgresql'; readonly pool: pg.Pool } | null;

export interface Database {
  readonly provider: Provider;
  readonly client: Client;
  /** Null for an in-memory SQLite database (a second connection would see another database). */
  readonly driver: Driver;
  /** Connection target, without credentials; safe to log. */
  readonly description: string;
  close(): Promise<void>;
}

/** Prisma's code for a unique-constraint violation (e.g. two writers racing on one key). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: string }).code;
  // Prisma's P2002; and from the driver itself: better-sqlite3's constraint code, PostgreSQL's SQLSTATE 23505.
  return code === 'P2002' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Whether the database answers (readiness). */
export async function ping(database: Database): Promise<void> {
  await database.client.$queryRawUnsafe('SELECT 1');
}

export const DEFAULT_DATABASE_URL = 'file:./data/guidelines.db';

export class DatabaseUrlError extends Error {
  readonly code = 'STORE_BAD_DATABASE_URL';
}

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new DatabaseUrlError('DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)');
}

/** Absolute path of a SQLite file: URL, relative to the working directory. */
export function sqlitePath(url: string): string {
  const path = url.slice('file:'.length).replace(/\?.*$/, '');
  return path === ':memory:' ? path : resolve(path);
}

export function describeUrl(url: string): string {
  if (providerOf(url) === 'sqlite') return `sqlite ${sqlitePath(url)}`;
  const parsed = new URL(url);
  return `postgresql ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

export interface OpenOptions {
  /** Called with every SQL statement Prisma sends (text only, never parameters): for statement-count tests. */
  readonly onQuery?: (sql: string) => void;
}

/** Opens the database named by the URL; the unused provider's driver is never loaded. */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const log = options.onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {};
  const listen = (client: Client): void => {
    if (options.onQuery) client.$on('query' as never, ((event: { query: string }) => options.onQuery?.(event.query)) as never);
  };
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const [{ PrismaBetterSqlite3 }, { PrismaClient: SqliteClient }] = await Promise.all([
      import('@prisma/adapter-better-sqlite3'),
      import('./generated/sqlite/client.ts'),
    ]);
    const client = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: path, timeout: 5000 }), ...log });
    listen(client);
    // WAL lets readers proceed while a writer ingests; the busy timeout above makes writers queue.
    await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await client.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    // With WAL, NORMAL keeps the database consistent on power loss and skips an fsync per commit.
    await client.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    let connection: BetterSqlite3.Database | null = null;
    if (path !== ':memory:') {
      const { default: Sqlite } = await import('better-sqlite3');
      // No busy wait inside the driver: it would block the event loop (and with it a transaction of
      // this process holding the lock); the store retries a busy append asynchronously instead.
      connection = new Sqlite(path, { timeout: 0 });
      connection.pragma('journal_mode = WAL');
      connection.pragma('foreign_keys = ON');
      connection.pragma('synchronous = NORMAL');
    }
    return {
      provider, client, driver: connection ? { provider, connection } : null, description: describeUrl(url),
      close: async () => {
        connection?.close();
        await client.$disconnect();
      },
    };
  }
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('./generated/postgresql/client.ts'),
  ]);
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (a restart, an administrator) emits an error on the pool;
  // unheard, it would end the process. The pool drops that connection, and the next query opens a
  // new one or fails to the request that made it, which is reported there.
  pool.on('error', () => {});
  const client = new PostgresClient({ adapter: new PrismaPg(pool), ...log }) as unknown as Client;
  listen(client);
  return {
    provider, client, driver: { provider, pool }, description: describeUrl(url),
    close: async () => {
      await client.$disconnect();
      // The pool was handed to the adapter, not created by it: it is ended here, once.
      if (!pool.ended) await pool.end();
    },
  };
}
