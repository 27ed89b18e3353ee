import { randomUUID } from 'node:crypto';
import { allCriteria } from '../domain/criteria.ts';
import { badInput, DomainError, refuseControlCharacters } from '../domain/errors.ts';
import type { Database } from '../store/database.ts';
import { findDetermination } from '../store/determination-store.ts';
import type { ReviewRow } from '../store/review-store.ts';
import { insertReview, reviewsOfDeterminations } from '../store/review-store.ts';
import type { VersionCatalog } from './version-catalog.ts';

export interface ReviewInput {
  readonly determinationId: string;
  readonly decision: 'APPROVED' | 'DENIED';
  readonly rationale: string;
  readonly criterionKeys: readonly string[];
  readonly reviewer: string;
  readonly reopenReason?: string | null;
  /** The API key the review is recorded with. */
  readonly reviewerKeyId: string | null;
}

/** Only these wait for a person: a PENDED request, or an INCOMPLETE one whose missing facts were sent to the reviewer later. */
const REVIEWABLE = new Set(['PENDED', 'INCOMPLETE']);

/**
 * Records a clinical reviewer's decision: checked, then appended to the review chain. The
 * determination is never changed; its final status is its latest review's decision. A decision
 * must rest on criteria of the version the determination applied, named by their stable keys.
 */
export async function recordReview(database: Database, catalog: VersionCatalog, input: ReviewInput, now: Date): Promise<ReviewRow> {
  refuseControlCharacters({ determinationId: input.determinationId, reviewer: input.reviewer, reopenReason: input.reopenReason });
  const rationale = input.rationale.trim();
  if (rationale === '' || rationale.length > 4000) throw badInput('rationale must be 1 to 4,000 characters', [{ field: 'rationale', message: 'empty or too long' }]);
  // Line breaks belong in a rationale; other control characters do not.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(rationale)) throw badInput('rationale contains a control character', [{ field: 'rationale', message: 'contains a control character' }]);
  const reviewer = input.reviewer.trim();
  if (reviewer === '' || reviewer.length > 200) throw badInput('reviewer must be 1 to 200 characters', [{ field: 'reviewer', message: 'empty or too long' }]);
  const determination = await findDetermination(database.client, input.determinationId);
  if (!determination) throw new DomainError('NOT_FOUND', `no determination ${input.determinationId}`, [{ field: 'determinationId', message: 'unknown determination' }]);
  if (determination.whatIf) throw badInput('a what-if determination is not a request and is not reviewed', [{ field: 'determinationId', message: 'what-if' }]);
  if (!REVIEWABLE.has(determination.outcome)) {
    throw badInput(`only PENDED or INCOMPLETE determinations are reviewed; this one is ${determination.outcome}`, [{ field: 'determinationId', message: `outcome ${determination.outcome}` }]);
  }
  const earlier = await reviewsOfDeterminations(database.client, [determination.id]);
  const reopenReason = input.reopenReason?.trim() || null;
  if (earlier.length > 0 && reopenReason === null) {
    throw badInput(`this determination was reviewed before (${earlier.at(-1)?.decision} by ${earlier.at(-1)?.reviewer}); a second review needs a reopenReason`, [{ field: 'reopenReason', message: 'required to reopen' }]);
  }
  if (earlier.length === 0 && reopenReason !== null) throw badInput('reopenReason is only for a determination reviewed before', [{ field: 'reopenReason', message: 'nothing to reopen' }]);
  if (reopenReason !== null && reopenReason.length > 2000) throw badInput('reopenReason must be at most 2,000 characters', [{ field: 'reopenReason', message: 'too long' }]);
  const version = determination.versionId ? await catalog.get(determination.versionId) : null;
  if (!version) throw badInput('the determination has no guideline version to review against', [{ field: 'determinationId', message: 'no version' }]);
  const known = new Set(allCriteria(version.document).map((criterion) => criterion.key));
  const keys = [...new Set(input.criterionKeys)];
  if (keys.length === 0) throw badInput('a review names at least one criterion it rests on (criterionKeys)', [{ field: 'criterionKeys', message: 'empty' }]);
  const unknown = keys.filter((key) => !known.has(key));
  if (unknown.length > 0) throw badInput(`not criteria of the version applied: ${unknown.slice(0, 5).join(', ')}`, [{ field: 'criterionKeys', message: 'unknown criterion key' }]);
  return insertReview(database, {
    id: randomUUID(), determinationId: determination.id, decision: input.decision, rationale, criterionKeys: keys, reviewer, reviewerKeyId: input.reviewerKeyId, reopenReason,
    // The store checks, under the chain's lock, that this is still the latest review: two reviewers at once cannot both decide first.
    reopensId: earlier.at(-1)?.id ?? null,
  }, now);
}
