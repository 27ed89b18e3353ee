import { chainHash, GENESIS_HASH, recordSeal } from '../domain/audit-chain.ts';
import type { Client, Database, Provider } from './database.ts';
import { isUniqueViolation } from './database.ts';
import type { ChainTable } from './chain-append.ts';
import { appendToChain } from './chain-append.ts';

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
  /** The record's seal under the audit key (see `recordSeal`); null when appended without the key. */
  readonly seal: string | null;
}

/**
 * The fields a record's hash covers: everything but the chain fields themselves. Who asked is
 * covered when it was recorded; records from before it was kept hash as they always did.
 */
export function hashedContent(row: Omit<DeterminationRow, 'previousHash' | 'hash' | 'seal'>): Record<string, unknown> {
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

const COLUMNS = ['id', 'idempotencyKey', 'callerKeyId', 'callerRole', 'requestSha256', 'guidelineNumber', 'versionId', 'ruleSetSha256', 'dateOfService', 'lineOfBusiness', 'outcome', 'whatIf', 'expedited', 'factsUsed', 'evidence', 'result', 'createdAt', 'sequence', 'previousHash', 'hash', 'seal'] as const;
const HEAD = 'SELECT "sequence", "hash" FROM "Determination" WHERE "sequence" IS NOT NULL ORDER BY "sequence" DESC LIMIT 1';

export type NewDetermination = Omit<DeterminationRow, 'createdAt' | 'sequence' | 'previousHash' | 'hash' | 'seal'>;
/** What is appended: the record, and the audit key to seal it with (never stored). */
type Append = { readonly row: NewDetermination; readonly sealKey: Uint8Array | null };

/** The next link of the chain after `last`: sequence, previous hash, this record's hash, and its seal when a key is held. */
function link({ row, sealKey }: Append, createdAt: Date, last: { sequence: number; hash: string } | undefined): DeterminationRow {
  const sequence = (last?.sequence ?? 0) + 1;
  const previousHash = last?.hash ?? GENESIS_HASH;
  const content = { ...row, createdAt, sequence };
  const hash = chainHash(hashedContent(content), previousHash);
  return { ...content, previousHash, hash, seal: sealKey ? recordSeal(sealKey, hash) : null };
}

/**
 * Appends a determination to the hash chain. Append-only: there is no update or delete here, and
 * the database refuses both. Appends are serialized (see `appendToChain`: the hot path goes to the
 * driver under Prisma's adapter, with prepared statements, and the row is never read back), and
 * the unique sequence number is the backstop.
 */
export async function insertDetermination(database: Database, row: NewDetermination, createdAt: Date, sealKey: Uint8Array | null = null): Promise<DeterminationRow> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await appendToChain(database, determinationChain(database), { row, sealKey }, createdAt);
    } catch (error) {
      const sequenceTaken = isUniqueViolation(error) && !(row.idempotencyKey !== null && (await findDeterminationByIdempotencyKey(database.client, row.callerKeyId, row.idempotencyKey)));
      if (!sequenceTaken || attempt >= 10) throw error;
    }
  }
}

const chains = new WeakMap<Database, ChainTable<Append, DeterminationRow>>();

function determinationChain(database: Database): ChainTable<Append, DeterminationRow> {
  let chain = chains.get(database);
  if (!chain) {
    chain = {
      table: 'Determination', columns: COLUMNS, jsonColumns: new Set(['factsUsed', 'evidence', 'result']), booleanColumns: new Set(['whatIf', 'expedited']),
      head: HEAD, lockId: CHAIN_LOCK_ID, statementPrefix: 'determination', link,
      appendWithPrisma: (row, createdAt) => appendWithPrisma(database.client, database.provider, row, createdAt),
    };
    chains.set(database, chain);
  }
  return chain;
}

async function appendWithPrisma(client: Client, provider: Provider, row: Append, createdAt: Date): Promise<DeterminationRow> {
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
