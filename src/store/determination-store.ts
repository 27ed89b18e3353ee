import { chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import type { Client, Provider } from './database.ts';
import { isUniqueViolation } from './database.ts';

export interface DeterminationRow {
  readonly id: string;
  readonly idempotencyKey: string | null;
  readonly requestSha256: string;
  readonly guidelineNumber: string;
  readonly versionId: string | null;
  readonly ruleSetSha256: string | null;
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly outcome: string;
  readonly whatIf: boolean;
  readonly factsUsed: unknown;
  readonly evidence: unknown;
  readonly result: unknown;
  readonly createdAt: Date;
  readonly sequence: number | null;
  readonly previousHash: string | null;
  readonly hash: string | null;
}

/** The fields a record's hash covers: everything but the chain fields themselves. */
export function hashedContent(row: Omit<DeterminationRow, 'previousHash' | 'hash'>): Record<string, unknown> {
  return {
    id: row.id, idempotencyKey: row.idempotencyKey, requestSha256: row.requestSha256, guidelineNumber: row.guidelineNumber,
    versionId: row.versionId, ruleSetSha256: row.ruleSetSha256, dateOfService: row.dateOfService, lineOfBusiness: row.lineOfBusiness,
    outcome: row.outcome, whatIf: row.whatIf, factsUsed: row.factsUsed, evidence: row.evidence, result: row.result,
    createdAt: row.createdAt.toISOString(), sequence: row.sequence,
  };
}

/** Arbitrary but fixed: the advisory lock that serializes appends to the chain on PostgreSQL. */
const CHAIN_LOCK_ID = 72707370;

/**
 * Appends a determination to the hash chain. Append-only: there is no update or delete here, and
 * the database refuses both. Appends are serialized (PostgreSQL: an advisory transaction lock;
 * SQLite: one writer at a time), and the unique sequence number is the backstop.
 */
export async function insertDetermination(client: Client, provider: Provider, row: Omit<DeterminationRow, 'createdAt' | 'sequence' | 'previousHash' | 'hash'>, createdAt: Date): Promise<DeterminationRow> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.$transaction(async (tx) => {
        if (provider === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_ID})`);
        const last = await tx.determination.findFirst({ where: { sequence: { not: null } }, orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
        const sequence = (last?.sequence ?? 0) + 1;
        const previousHash = last?.hash ?? GENESIS_HASH;
        const content = { ...row, createdAt, sequence };
        const hash = chainHash(hashedContent(content), previousHash);
        return (await tx.determination.create({ data: { ...content, previousHash, hash } as never })) as DeterminationRow;
      });
    } catch (error) {
      const sequenceTaken = isUniqueViolation(error) && !(row.idempotencyKey !== null && (await findDeterminationByIdempotencyKey(client, row.idempotencyKey)));
      if (!sequenceTaken || attempt >= 10) throw error;
    }
  }
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

export async function findDeterminationByIdempotencyKey(client: Client, key: string): Promise<DeterminationRow | null> {
  return (await client.determination.findUnique({ where: { idempotencyKey: key } })) as DeterminationRow | null;
}

export async function recentDeterminations(client: Client, guidelineNumber: string, limit: number): Promise<DeterminationRow[]> {
  return (await client.determination.findMany({
    where: { guidelineNumber, whatIf: false, versionId: { not: null } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
  })) as DeterminationRow[];
}
