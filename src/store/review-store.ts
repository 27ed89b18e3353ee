import { chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import { badInput } from '../domain/errors.ts';
import type { ChainHead, ChainTable } from './chain-append.ts';
import { appendToChain } from './chain-append.ts';
import type { Client, Database } from './database.ts';
import { isUniqueViolation } from './database.ts';

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
  /** The review this one reopens (the determination's latest when it was recorded); null for a first review. */
  readonly reopensId: string | null;
  readonly createdAt: Date;
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
}

export type NewReview = Omit<ReviewRow, 'createdAt' | 'sequence' | 'previousHash' | 'hash'>;

/**
 * What a review's hash covers: everything but the chain fields themselves, and `reopensId`, which
 * the chain order determines (it was filled in for reviews recorded before it existed) and which
 * `audit:verify` checks against that order instead.
 */
export function reviewHashedContent(row: Omit<ReviewRow, 'previousHash' | 'hash'>): Record<string, unknown> {
  return {
    id: row.id, determinationId: row.determinationId, decision: row.decision, rationale: row.rationale, criterionKeys: row.criterionKeys,
    reviewer: row.reviewer, reviewerKeyId: row.reviewerKeyId, reopenReason: row.reopenReason, createdAt: row.createdAt.toISOString(), sequence: row.sequence,
  };
}

/** Arbitrary but fixed, and not the determinations' one: the advisory lock serializing review appends on PostgreSQL. */
const REVIEW_CHAIN_LOCK_ID = 72707372;
const COLUMNS = ['id', 'determinationId', 'decision', 'rationale', 'criterionKeys', 'reviewer', 'reviewerKeyId', 'reopenReason', 'reopensId', 'createdAt', 'sequence', 'previousHash', 'hash'] as const;
const HEAD = 'SELECT "sequence", "hash" FROM "DeterminationReview" ORDER BY "sequence" DESC LIMIT 1';
const LATEST_OF_DETERMINATION = 'SELECT "id" FROM "DeterminationReview" WHERE "determinationId" = ? ORDER BY "sequence" DESC LIMIT 1';

function link(row: NewReview, createdAt: Date, last: ChainHead): ReviewRow {
  const sequence = (last?.sequence ?? 0) + 1;
  const previousHash = last?.hash ?? GENESIS_HASH;
  const content = { ...row, createdAt, sequence };
  return { ...content, previousHash, hash: chainHash(reviewHashedContent(content), previousHash) };
}

const chains = new WeakMap<Database, ChainTable<NewReview, ReviewRow>>();

function reviewChain(database: Database): ChainTable<NewReview, ReviewRow> {
  let chain = chains.get(database);
  if (!chain) {
    chain = {
      // Reviews are rare: no prepared-statement naming on PostgreSQL.
      table: 'DeterminationReview', columns: COLUMNS, jsonColumns: new Set(['criterionKeys']), booleanColumns: new Set(), head: HEAD, lockId: REVIEW_CHAIN_LOCK_ID, link,
      precondition: { sql: LATEST_OF_DETERMINATION, params: (row) => [row.determinationId], check: (rows, row) => stillLatest(rows[0]?.id as string | undefined, row) },
      appendWithPrisma: (row, createdAt) => database.client.$transaction(async (tx) => {
        const latest = await tx.determinationReview.findFirst({ where: { determinationId: row.determinationId }, orderBy: { sequence: 'desc' }, select: { id: true } });
        stillLatest(latest?.id, row);
        const last = await tx.determinationReview.findFirst({ orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
        const record = link(row, createdAt, last ?? undefined);
        await tx.determinationReview.create({ data: { ...record, criterionKeys: [...record.criterionKeys] }, select: { id: true } });
        return record;
      }),
    };
    chains.set(database, chain);
  }
  return chain;
}

/**
 * A review reopens the determination's latest review (or is its first): checked under the chain's
 * lock, so two reviewers recording at once cannot both be "the first", nor both reopen one review.
 */
function stillLatest(latestId: string | undefined, row: NewReview): void {
  if ((latestId ?? null) === row.reopensId) return;
  throw badInput('the determination was reviewed meanwhile by someone else: read its reviews and reopen the latest if needed', [{ field: 'determinationId', message: 'reviewed meanwhile' }]);
}

/**
 * Appends a review to its chain, serialized as determination appends are (`appendToChain`), with
 * the check that it reopens the determination's latest review made inside the same lock.
 */
export async function insertReview(database: Database, row: NewReview, createdAt: Date): Promise<ReviewRow> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await appendToChain(database, reviewChain(database), row, createdAt);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 10) throw error;
    }
  }
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

/**
 * The reviews recorded before `before` of the real requests decided in [from, through]: what a
 * page of a period's metrics reads (the page's first and last instants; reviews are few).
 */
export async function reviewsOfRequestsDecided(client: Client, from: Date, through: Date, before: Date): Promise<Pick<ReviewRow, 'determinationId' | 'decision' | 'createdAt' | 'sequence'>[]> {
  return (await client.determinationReview.findMany({
    where: { createdAt: { lt: before }, determination: { whatIf: false, createdAt: { gte: from, lte: through } } },
    select: { determinationId: true, decision: true, createdAt: true, sequence: true },
    orderBy: { sequence: 'asc' },
  })) as Pick<ReviewRow, 'determinationId' | 'decision' | 'createdAt' | 'sequence'>[];
}
