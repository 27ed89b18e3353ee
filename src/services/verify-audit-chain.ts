import { chainHash, GENESIS_HASH } from '../domain/audit-chain.ts';
import type { Client } from '../store/database.ts';
import { countUnchainedDeterminations, determinationsInChainOrder, hashedContent } from '../store/determination-store.ts';
import { reviewHashedContent, reviewsInChainOrder } from '../store/review-store.ts';

export interface ChainProblem {
  readonly sequence: number;
  readonly id: string;
  readonly reason: 'CONTENT_CHANGED' | 'LINK_BROKEN' | 'RECORD_MISSING' | 'UNCHAINED_RECORD';
}

export interface ChainReport {
  readonly checked: number;
  /** The first record that does not verify; null when the whole chain does. */
  readonly firstProblem: ChainProblem | null;
  readonly unchained: number;
}

/**
 * Walks the determinations in chain order and recomputes every hash: an edited record fails its
 * own hash, a deleted or inserted one breaks the sequence or the link to its predecessor.
 */
export async function verifyAuditChain(client: Client, pageSize = 500): Promise<ChainReport> {
  // A record without a place in the chain was inserted around it; counted whatever else is found.
  const unchained = await countUnchainedDeterminations(client);
  let previousHash = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  for (;;) {
    const page = await determinationsInChainOrder(client, expected - 1, pageSize);
    for (const row of page) {
      const problem = (reason: ChainProblem['reason']): ChainReport => ({ checked, firstProblem: { sequence: row.sequence ?? 0, id: row.id, reason }, unchained });
      if (row.sequence !== expected) return { ...problem('RECORD_MISSING'), firstProblem: { sequence: expected, id: row.id, reason: 'RECORD_MISSING' } };
      if (row.previousHash !== previousHash) return problem('LINK_BROKEN');
      if (chainHash(hashedContent(row), previousHash) !== row.hash) return problem('CONTENT_CHANGED');
      previousHash = row.hash;
      expected += 1;
      checked += 1;
    }
    if (page.length < pageSize) break;
  }
  return { checked, firstProblem: unchained > 0 ? { sequence: 0, id: '', reason: 'UNCHAINED_RECORD' } : null, unchained };
}

/**
 * The review chain, walked the same way: an edited review fails its hash, a deleted or inserted one
 * breaks the sequence or the link (the table's sequence is unique and never null).
 */
export async function verifyReviewChain(client: Client, pageSize = 500): Promise<ChainReport> {
  let previousHash = GENESIS_HASH;
  let expected = 1;
  let checked = 0;
  for (;;) {
    const page = await reviewsInChainOrder(client, expected - 1, pageSize);
    for (const row of page) {
      const problem = (reason: ChainProblem['reason'], sequence = row.sequence): ChainReport => ({ checked, firstProblem: { sequence, id: row.id, reason }, unchained: 0 });
      if (row.sequence !== expected) return problem('RECORD_MISSING', expected);
      if (row.previousHash !== previousHash) return problem('LINK_BROKEN');
      if (chainHash(reviewHashedContent(row), previousHash) !== row.hash) return problem('CONTENT_CHANGED');
      previousHash = row.hash;
      expected += 1;
      checked += 1;
    }
    if (page.length < pageSize) break;
  }
  return { checked, firstProblem: null, unchained: 0 };
}
