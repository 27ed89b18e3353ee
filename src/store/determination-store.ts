import { chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import type { Client, Database, Provider } from './database.ts';
import { isUniqueViolation } from './database.ts';
import { whenNotBusy } from './sqlite-busy.ts';

export interface DeterminationRow {
  readonly id: string;
  readonly idempotencyKey: string | null;
  /** Who asked: the API key's id and role (null for records from before they were kept). */
  readonly callerKeyId: string | null;
  readonly callerRole: string | null;
  readonly requestSha256: string;
  readonly guidelineNumber: string;
  readonly versionId: string | null;
  readonly ruleSetSha256: string | null;
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly outcome: string;
  readonly whatIf: boolean;
  /** Asked for as urgent (expedited review). */
  readonly expedited: boolean;
  readonly factsUsed: unknown;
  readonly evidence: unknown;
  readonly result: unknown;
  readonly createdAt: Date;
  readonly sequence: number | null;
  readonly previousHash: string | null;
  readonly hash: string | null;
}

/**
 * The fields a record's hash covers: everything but the chain fields themselves. Who asked is
 * covered when it was recorded; records from before it was kept hash as they always did.
 */
export function hashedContent(row: Omit<DeterminationRow, 'previousHash' | 'hash'>): Record<string, unknown> {
  const caller = row.callerKeyId === null && row.callerRole === null ? {} : { callerKeyId: row.callerKeyId, callerRole: row.callerRole };
  // Covered when set: records from before the flag existed (all standard) hash as they always did.
  const urgency = row.expedited ? { expedited: true } : {};
  return {
    ...caller,
    ...urgency,
    id: row.id, idempotencyKey: row.idempotencyKey, requestSha256: row.requestSha256, guidelineNumber: row.guidelineNumber,
    versionId: row.versionId, ruleSetSha256: row.ruleSetSha256, dateOfService: row.dateOfService, lineOfBusiness: row.lineOfBusiness,
    outcome: row.outcome, whatIf: row.whatIf, factsUsed: row.factsUsed, evidence: row.evidence, result: row.result,
    createdAt: row.createdAt.toISOString(), sequence: row.sequence,
  };
}

/** Arbitrary but fixed: the advisory lock that serializes appends to the chain on PostgreSQL. */
const CHAIN_LOCK_ID = 72707370;

const COLUMNS = ['id', 'idempotencyKey', 'callerKeyId', 'callerRole', 'requestSha256', 'guidelineNumber', 'versionId', 'ruleSetSha256', 'dateOfService', 'lineOfBusiness', 'outcome', 'whatIf', 'expedited', 'factsUsed', 'evidence', 'result', 'createdAt', 'sequence', 'previousHash', 'hash'] as const;
const INSERT_COLUMNS = COLUMNS.map((column) => `"${column}"`).join(', ');
const HEAD = 'SELECT "sequence", "hash" FROM "Determination" WHERE "sequence" IS NOT NULL ORDER BY "sequence" DESC LIMIT 1';

type NewDetermination = Omit<DeterminationRow, 'createdAt' | 'sequence' | 'previousHash' | 'hash'>;

/** The next link of the chain after `last`: sequence, previous hash and this record's hash. */
function link(row: NewDetermination, createdAt: Date, last: { sequence: number; hash: string } | undefined): DeterminationRow {
  const sequence = (last?.sequence ?? 0) + 1;
  const previousHash = last?.hash ?? GENESIS_HASH;
  const content = { ...row, createdAt, sequence };
  return { ...content, previousHash, hash: chainHash(hashedContent(content), previousHash) };
}

/** Column values as Prisma stores them on SQLite: JSON as text, booleans as 0/1, instants as "…+00:00" text. */
function sqliteValues(record: DeterminationRow): unknown[] {
  return COLUMNS.map((column) => {
    const value = record[column];
    if (column === 'factsUsed' || column === 'evidence' || column === 'result') return JSON.stringify(value);
    if (column === 'whatIf' || column === 'expedited') return value ? 1 : 0;
    if (column === 'createdAt') return (value as Date).toISOString().replace('Z', '+00:00');
    return value;
  });
}

/** The prepared append of each SQLite connection (its statements are prepared once). */
const appends = new WeakMap<object, (row: NewDetermination, createdAt: Date) => DeterminationRow>();

/**
 * Appends a determination to the hash chain. Append-only: there is no update or delete here, and
 * the database refuses both. Appends are serialized (PostgreSQL: an advisory transaction lock;
 * SQLite: BEGIN IMMEDIATE, one writer at a time), and the unique sequence number is the backstop.
 *
 * The hot path goes to the driver under Prisma's adapter: on SQLite one synchronous transaction on
 * a connection of its own (so no other request's query ever runs inside it, and nothing
 * uncommitted is seen), on PostgreSQL one pooled connection; prepared statements, and the inserted
 * row is never read back.
 */
export async function insertDetermination(database: Database, row: NewDetermination, createdAt: Date): Promise<DeterminationRow> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await appendOnce(database, row, createdAt);
    } catch (error) {
      const sequenceTaken = isUniqueViolation(error) && !(row.idempotencyKey !== null && (await findDeterminationByIdempotencyKey(database.client, row.callerKeyId, row.idempotencyKey)));
      if (!sequenceTaken || attempt >= 10) throw error;
    }
  }
}

async function appendOnce(database: Database, row: NewDetermination, createdAt: Date): Promise<DeterminationRow> {
  const { driver } = database;
  if (driver?.provider === 'sqlite') {
    let append = appends.get(driver.connection);
    if (!append) {
      const head = driver.connection.prepare(HEAD);
      const insert = driver.connection.prepare(`INSERT INTO "Determination" (${INSERT_COLUMNS}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
      const transaction = driver.connection.transaction((next: NewDetermination, at: Date) => {
        const record = link(next, at, head.get() as { sequence: number; hash: string } | undefined);
        insert.run(...sqliteValues(record));
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
        await connection.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_ID})`);
        const { rows } = await connection.query<{ sequence: number; hash: string }>({ name: 'determination-head', text: HEAD });
        const record = link(row, createdAt, rows[0]);
        await connection.query({
          name: 'determination-insert',
          text: `INSERT INTO "Determination" (${INSERT_COLUMNS}) VALUES (${COLUMNS.map((column, index) => (['factsUsed', 'evidence', 'result'].includes(column) ? `$${index + 1}::jsonb` : `$${index + 1}`)).join(', ')})`,
          // TIMESTAMP(3) has no time zone: the instant goes as UTC text (pg would send a Date in the process's local zone).
          values: COLUMNS.map((column) => (['factsUsed', 'evidence', 'result'].includes(column) ? JSON.stringify(record[column]) : column === 'createdAt' ? record.createdAt.toISOString().replace('Z', '') : record[column])),
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
  // In-memory SQLite has no second connection: Prisma's transaction, as before.
  return appendWithPrisma(database.client, database.provider, row, createdAt);
}

async function appendWithPrisma(client: Client, provider: Provider, row: NewDetermination, createdAt: Date): Promise<DeterminationRow> {
  return client.$transaction(async (tx) => {
    if (provider === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_ID})`);
    const last = await tx.determination.findFirst({ where: { sequence: { not: null } }, orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
    const record = link(row, createdAt, last ? { sequence: last.sequence as number, hash: last.hash as string } : undefined);
    await tx.determination.create({ data: record as never, select: { id: true } });
    return record;
  });
}

export async function countUnchainedDeterminations(client: Client): Promise<number> {
  return client.determination.count({ where: { sequence: null } });
}

/** Determinations in chain order, a page at a time (for verification). */
export async function determinationsInChainOrder(client: Client, afterSequence: number, take: number): Promise<DeterminationRow[]> {
  return (await client.determination.findMany({ where: { sequence: { gt: afterSequence } }, orderBy: { sequence: 'asc' }, take })) as DeterminationRow[];
}

export async function findDetermination(client: Client, id: string): Promise<DeterminationRow | null> {
  return (await client.determination.findUnique({ where: { id } })) as DeterminationRow | null;
}

/** The determination a caller stored under an idempotency key (keys are scoped to the API key that sent them). */
export async function findDeterminationByIdempotencyKey(client: Client, callerKeyId: string | null, key: string): Promise<DeterminationRow | null> {
  return (await client.determination.findFirst({ where: { callerKeyId, idempotencyKey: key } })) as DeterminationRow | null;
}

export async function recentDeterminations(client: Client, guidelineNumber: string, limit: number): Promise<DeterminationRow[]> {
  return (await client.determination.findMany({
    where: { guidelineNumber, whatIf: false, versionId: { not: null } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
  })) as DeterminationRow[];
}
