import { chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import type { Client } from '../store/database.ts';
import { countUnchainedDeterminations, determinationsInChainOrder, hashedContent } from '../store/determination-store.ts';
import type { DeterminationRow } from '../store/determination-store.ts';
import type { ReviewRow } from '../store/review-store.ts';
import { reviewHashedContent, reviewsInChainOrder } from '../store/review-store.ts';

export interface ChainProblem {
  readonly sequence: number;
  readonly id: string;
  readonly reason: 'CONTENT_CHANGED' | 'LINK_BROKEN' | 'RECORD_MISSING' | 'UNCHAINED_RECORD'
    /** A review that does not reopen its determination's previous review (reviews only). */
    | 'REOPENS_WRONG_REVIEW';
}

export interface ChainReport {
  readonly checked: number;
  /** The first record that does not verify; null when the whole chain does. */
  readonly firstProblem: ChainProblem | null;
  readonly unchained: number;
}

interface ChainedRecord {
  readonly id: string;
  readonly sequence: number | null;
  readonly previousHash: string | null;
  readonly hash: string | null;
}

/**
 * Walks a chain in order and recomputes every hash: an edited record fails its own hash, a deleted
 * or inserted one breaks the sequence or the link to its predecessor. `check` adds what a chain
 * knows of its own records (null when the record is sound).
 */
async function walkChain<Row extends ChainedRecord>(
  pageAfter: (sequence: number) => Promise<readonly Row[]>,
  contentOf: (row: Row) => Record<string, unknown>,
  pageSize: number,
  check: (row: Row) => ChainProblem['reason'] | null = () => null,
): Promise<{ checked: number; firstProblem: ChainProblem | null }> {
  let previousHash = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  for (;;) {
    const page = await pageAfter(expected - 1);
    for (const row of page) {
      const problem = (reason: ChainProblem['reason'], sequence = row.sequence ?? 0) => ({ checked, firstProblem: { sequence, id: row.id, reason } });
      if (row.sequence !== expected) return problem('RECORD_MISSING', expected);
      if (row.previousHash !== previousHash) return problem('LINK_BROKEN');
      if (chainHash(contentOf(row), previousHash) !== row.hash) return problem('CONTENT_CHANGED');
      const reason = check(row);
      if (reason) return problem(reason);
      previousHash = row.hash;
      expected += 1;
      checked += 1;
    }
    if (page.length < pageSize) break;
  }
  return { checked, firstProblem: null };
}

/** The determinations' chain; a record without a place in it was inserted around it and is counted whatever else is found. */
export async function verifyAuditChain(client: Client, pageSize = 500): Promise<ChainReport> {
  const unchained = await countUnchainedDeterminations(client);
  const walked = await walkChain<DeterminationRow>((sequence) => determinationsInChainOrder(client, sequence, pageSize), hashedContent, pageSize);
  return { ...walked, firstProblem: walked.firstProblem ?? (unchained > 0 ? { sequence: 0, id: '', reason: 'UNCHAINED_RECORD' } : null), unchained };
}

/**
 * The review chain (its sequence is unique and never null). Each review must reopen exactly the
 * review of its determination before it in chain order (`reopensId` is not hashed: the order
 * decides it), so a rewritten link cannot change which review is a determination's latest.
 */
export async function verifyReviewChain(client: Client, pageSize = 500): Promise<ChainReport> {
  const latestOf = new Map<string, string>();
  const walked = await walkChain<ReviewRow>((sequence) => reviewsInChainOrder(client, sequence, pageSize), reviewHashedContent, pageSize, (review) => {
    if (review.reopensId !== (latestOf.get(review.determinationId) ?? null)) return 'REOPENS_WRONG_REVIEW';
    latestOf.set(review.determinationId, review.id);
    return null;
  });
  return { ...walked, unchained: 0 };
}
