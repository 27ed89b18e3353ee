import { chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import type { Client, Database } from './database.ts';
import { isUniqueViolation } from './database.ts';
import { whenNotBusy } from './sqlite-busy.ts';

/** A clinical review as stored: append-only, in a hash chain of its own. */
export interface ReviewRow {
  readonly id: string;
  readonly determinationId: string;
  readonly decision: 'APPROVED' | 'DENIED';
  readonly rationale: string;
  readonly criterionKeys: readonly string[];
  readonly reviewer: string;
  readonly reviewerKeyId: string | null;
  readonly reopenReason: string | null;
  readonly createdAt: Date;
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
}

export type NewReview = Omit<ReviewRow, 'createdAt' | 'sequence' | 'previousHash' | 'hash'>;

/** What a review's hash covers: everything but the chain fields themselves. */
export function reviewHashedContent(row: Omit<ReviewRow, 'previousHash' | 'hash'>): Record<string, unknown> {
  return {
    id: row.id, determinationId: row.determinationId, decision: row.decision, rationale: row.rationale, criterionKeys: row.criterionKeys,
    reviewer: row.reviewer, reviewerKeyId: row.reviewerKeyId, reopenReason: row.reopenReason, createdAt: row.createdAt.toISOString(), sequence: row.sequence,
  };
}

/** Arbitrary but fixed, and not the determinations' one: the advisory lock serializing review appends on PostgreSQL. */
const REVIEW_CHAIN_LOCK_ID = 72707372;
const COLUMNS = ['id', 'determinationId', 'decision', 'rationale', 'criterionKeys', 'reviewer', 'reviewerKeyId', 'reopenReason', 'createdAt', 'sequence', 'previousHash', 'hash'] as const;
const INSERT_COLUMNS = COLUMNS.map((column) => `"${column}"`).join(', ');
const HEAD = 'SELECT "sequence", "hash" FROM "DeterminationReview" ORDER BY "sequence" DESC LIMIT 1';

function link(row: NewReview, createdAt: Date, last: { sequence: number; hash: string } | undefined): ReviewRow {
  const sequence = (last?.sequence ?? 0) + 1;
  const previousHash = last?.hash ?? GENESIS_HASH;
  const content = { ...row, createdAt, sequence };
  return { ...content, previousHash, hash: chainHash(reviewHashedContent(content), previousHash) };
}

const appends = new WeakMap<object, (row: NewReview, createdAt: Date) => ReviewRow>();

/**
 * Appends a review to its chain, serialized as determination appends are (SQLite: one synchronous
 * BEGIN IMMEDIATE on the driver's connection; PostgreSQL: an advisory transaction lock), so no other
 * request ever runs inside the transaction. Reviews are rare: no prepared-statement naming on PostgreSQL.
 */
export async function insertReview(database: Database, row: NewReview, createdAt: Date): Promise<ReviewRow> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await appendOnce(database, row, createdAt);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 10) throw error;
    }
  }
}

async function appendOnce(database: Database, row: NewReview, createdAt: Date): Promise<ReviewRow> {
  const { driver } = database;
  if (driver?.provider === 'sqlite') {
    let append = appends.get(driver.connection);
    if (!append) {
      const head = driver.connection.prepare(HEAD);
      const insert = driver.connection.prepare(`INSERT INTO "DeterminationReview" (${INSERT_COLUMNS}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
      const transaction = driver.connection.transaction((next: NewReview, at: Date) => {
        const record = link(next, at, head.get() as { sequence: number; hash: string } | undefined);
        // As Prisma stores them on SQLite: JSON as text, instants as "…+00:00" text.
        insert.run(...COLUMNS.map((column) => (column === 'criterionKeys' ? JSON.stringify(record.criterionKeys) : column === 'createdAt' ? record.createdAt.toISOString().replace('Z', '+00:00') : record[column])));
        return record;
      });
      append = (next, at) => transaction.immediate(next, at);
      appends.set(driver.connection, append);
    }
    const appendHere = append;
    return whenNotBusy(() => appendHere(row, createdAt));
  }
  if (driver?.provider === 'postgresql') {
    const connection = await driver.pool.connect();
    try {
      await connection.query('BEGIN');
      try {
        await connection.query(`SELECT pg_advisory_xact_lock(${REVIEW_CHAIN_LOCK_ID})`);
        const { rows } = await connection.query<{ sequence: number; hash: string }>(HEAD);
        const record = link(row, createdAt, rows[0]);
        await connection.query(
          `INSERT INTO "DeterminationReview" (${INSERT_COLUMNS}) VALUES (${COLUMNS.map((column, index) => (column === 'criterionKeys' ? `$${index + 1}::jsonb` : `$${index + 1}`)).join(', ')})`,
          // TIMESTAMP(3) has no time zone: the instant goes as UTC text.
          COLUMNS.map((column) => (column === 'criterionKeys' ? JSON.stringify(record.criterionKeys) : column === 'createdAt' ? record.createdAt.toISOString().replace('Z', '') : record[column])),
        );
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
  // In-memory SQLite has no second connection: Prisma's transaction.
  return database.client.$transaction(async (tx) => {
    const last = await tx.determinationReview.findFirst({ orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
    const record = link(row, createdAt, last ?? undefined);
    await tx.determinationReview.create({ data: { ...record, criterionKeys: [...record.criterionKeys] }, select: { id: true } });
    return record;
  });
}

/** The reviews of each determination, oldest first. */
export async function reviewsOfDeterminations(client: Client, determinationIds: readonly string[]): Promise<ReviewRow[]> {
  if (determinationIds.length === 0) return [];
  return (await client.determinationReview.findMany({ where: { determinationId: { in: [...determinationIds] } }, orderBy: { sequence: 'asc' } })) as unknown as ReviewRow[];
}

/** Reviews in chain order, a page at a time (for verification). */
export async function reviewsInChainOrder(client: Client, afterSequence: number, take: number): Promise<ReviewRow[]> {
  return (await client.determinationReview.findMany({ where: { sequence: { gt: afterSequence } }, orderBy: { sequence: 'asc' }, take })) as unknown as ReviewRow[];
}

/** Reviews recorded before `before` of determinations decided in [from, before): what the metrics of a period read. */
export async function reviewsOfPeriod(client: Client, from: Date, before: Date): Promise<Pick<ReviewRow, 'determinationId' | 'decision' | 'createdAt' | 'sequence'>[]> {
  return (await client.determinationReview.findMany({
    where: { createdAt: { lt: before }, determination: { createdAt: { gte: from, lt: before }, whatIf: false } },
    select: { determinationId: true, decision: true, createdAt: true, sequence: true },
    orderBy: { sequence: 'asc' },
  })) as Pick<ReviewRow, 'determinationId' | 'decision' | 'createdAt' | 'sequence'>[];
}
