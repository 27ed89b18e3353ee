import type { Database } from './database.ts';
import { whenNotBusy } from './sqlite-busy.ts';

/** The head of a chain: its last record's sequence and hash (none for an empty chain). */
export type ChainHead = { readonly sequence: number; readonly hash: string } | undefined;

/**
 * A condition on the chain's table, checked inside the append's lock, after the head is read and
 * before the insert: what the record depends on cannot change between the check and the write.
 */
export interface ChainPrecondition<New> {
  /** One SELECT with `?` placeholders (numbered for PostgreSQL here). */
  readonly sql: string;
  readonly params: (row: New) => unknown[];
  /** Throws (a typed error) when the rows read refuse the append; nothing is written then. */
  readonly check: (rows: readonly Record<string, unknown>[], row: New) => void;
}

/** One append-only, hash-chained table, as its own store module describes it. */
export interface ChainTable<New, Row> {
  readonly table: string;
  /** Every inserted column, in order. */
  readonly columns: readonly (keyof Row & string)[];
  readonly jsonColumns: ReadonlySet<string>;
  readonly booleanColumns: ReadonlySet<string>;
  /** `SELECT "sequence", "hash" …` of the chain's last record. */
  readonly head: string;
  /** The PostgreSQL advisory transaction lock that serializes this chain's appends. */
  readonly lockId: number;
  /** Names the PostgreSQL statements so they are prepared once per connection (hot chains only). */
  readonly statementPrefix?: string;
  readonly link: (row: New, createdAt: Date, last: ChainHead) => Row;
  readonly precondition?: ChainPrecondition<New>;
  /** In-memory SQLite has no second connection: Prisma's transaction does the same work there. */
  readonly appendWithPrisma: (row: New, createdAt: Date) => Promise<Row>;
}

/** The prepared append of each chain on each SQLite connection (statements prepared once). */
const sqliteAppends = new WeakMap<object, Map<string, (row: never, createdAt: Date) => unknown>>();

/** A column's value as Prisma stores it on SQLite: JSON as text, booleans as 0/1, instants as "…+00:00" text. */
function sqliteValue(table: ChainTable<never, never>, column: string, value: unknown): unknown {
  if (table.jsonColumns.has(column)) return JSON.stringify(value);
  if (table.booleanColumns.has(column)) return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  return value;
}

/** As PostgreSQL receives it: JSON as text cast to jsonb; TIMESTAMP(3) has no zone, so instants go as UTC text (pg would send the process's local zone). */
function postgresValue(table: ChainTable<never, never>, column: string, value: unknown): unknown {
  if (table.jsonColumns.has(column)) return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString().replace('Z', '');
  return value;
}

const numbered = (sql: string): string => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

/**
 * Appends one record to a hash chain. Appends are serialized (SQLite: one synchronous BEGIN
 * IMMEDIATE on the driver's own connection, so no other request's query ever runs inside the
 * transaction and nothing uncommitted is seen; PostgreSQL: an advisory transaction lock on one
 * pooled connection); the chain's unique sequence is the backstop. The record is never read back.
 */
export async function appendToChain<New, Row>(database: Database, table: ChainTable<New, Row>, row: New, createdAt: Date): Promise<Row> {
  const { driver } = database;
  const untyped = table as unknown as ChainTable<never, never>;
  if (driver?.provider === 'sqlite') {
    let prepared = sqliteAppends.get(driver.connection);
    if (!prepared) sqliteAppends.set(driver.connection, (prepared = new Map()));
    let append = prepared.get(table.table) as ((row: New, createdAt: Date) => Row) | undefined;
    if (!append) {
      const head = driver.connection.prepare(table.head);
      const insert = driver.connection.prepare(`INSERT INTO "${table.table}" (${table.columns.map((column) => `"${column}"`).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
      const condition = table.precondition;
      const precondition = condition ? driver.connection.prepare(condition.sql) : null;
      const transaction = driver.connection.transaction((next: New, at: Date) => {
        if (condition && precondition) condition.check(precondition.all(...condition.params(next)) as Record<string, unknown>[], next);
        const record = table.link(next, at, head.get() as ChainHead);
        insert.run(...table.columns.map((column) => sqliteValue(untyped, column, record[column])));
        return record;
      });
      append = (next, at) => transaction.immediate(next, at);
      prepared.set(table.table, append as (row: never, createdAt: Date) => unknown);
    }
    const appendHere = append;
    return whenNotBusy(() => appendHere(row, createdAt));
  }
  if (driver?.provider === 'postgresql') {
    const named = (suffix: string, text: string) => (table.statementPrefix ? { name: `${table.statementPrefix}-${suffix}`, text } : { text });
    const connection = await driver.pool.connect();
    try {
      await connection.query('BEGIN');
      try {
        await connection.query(`SELECT pg_advisory_xact_lock(${table.lockId})`);
        if (table.precondition) {
          const { rows } = await connection.query({ ...named('precondition', numbered(table.precondition.sql)), values: table.precondition.params(row) });
          table.precondition.check(rows, row);
        }
        const { rows } = await connection.query<{ sequence: number; hash: string }>(named('head', table.head));
        const record = table.link(row, createdAt, rows[0]);
        await connection.query({
          ...named('insert', `INSERT INTO "${table.table}" (${table.columns.map((column) => `"${column}"`).join(', ')}) VALUES (${table.columns.map((column, index) => (table.jsonColumns.has(column) ? `$${index + 1}::jsonb` : `$${index + 1}`)).join(', ')})`),
          values: table.columns.map((column) => postgresValue(untyped, column, record[column])),
        });
        await connection.query('COMMIT');
        return record;
      } catch (error) {
        await connection.query('ROLLBACK');
        throw error;
      }
    } finally {
      connection.release();
    }
  }
  return table.appendWithPrisma(row, createdAt);
}
