import { badInput, refuseControlCharacters } from '../../domain/errors.ts';
import { toDetermination } from '../../services/evaluate-request.ts';
import { priorAuthorizationMetrics } from '../../services/prior-authorization-metrics.ts';
import { recordReview } from '../../services/record-review.ts';
import type { DeterminationListing, DeterminationPosition } from '../../store/determination-query.ts';
import { countDeterminations, determinationsPage } from '../../store/determination-query.ts';
import { findDetermination } from '../../store/determination-store.ts';
import type { ReviewRow } from '../../store/review-store.ts';
import type { Determination } from '../../domain/determination.ts';
import type { DeterminationResolvers, MutationResolvers, QueryResolvers, ReviewResolvers } from '../generated/resolvers-types.ts';
import type { Loaders } from '../context.ts';
import { fromGlobalId, toGlobalId } from '../global-id.ts';

const MAX_PAGE = 200;

const encodePosition = (position: DeterminationPosition): string => Buffer.from(`determination:${position.createdAt.toISOString()}|${position.id}`).toString('base64url');

function decodePosition(cursor: string): DeterminationPosition {
  const decoded = /^[A-Za-z0-9_-]{1,300}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^determination:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(decoded);
  const createdAt = match ? new Date(match[1] as string) : null;
  if (!match || !createdAt || Number.isNaN(createdAt.getTime())) throw badInput('after is not a cursor from determinations', [{ field: 'after', message: 'malformed cursor' }]);
  return { createdAt, id: match[2] as string };
}

/** The fields of a determination that live in its stored result. */
const RESULT_FIELDS = ['reasons', 'missingFacts', 'reviewChecklist', 'authorizedLimits', 'derivedFacts', 'notices'] as const;

/**
 * A listed determination: the page's own columns now, and what lives in the stored result (about
 * 10 KB a row) read for the whole page in one query only when a field of it is selected. Those
 * fields are promises here, which GraphQL awaits (the Determination resolvers await them too).
 */
function listedDetermination(row: DeterminationListing, loaders: Loaders): Determination {
  const determination = toDetermination({ ...row, factsUsed: [], evidence: [], result: {} });
  const body = () => loaders.determinationBody.load(row.id).then((stored) => toDetermination({ ...row, ...stored }));
  const lazy: PropertyDescriptorMap = {
    summary: { get: () => loaders.determinationSummary.load(row.id), enumerable: true },
    factsUsed: { get: () => body().then((full) => full.factsUsed), enumerable: true },
    evidence: { get: () => body().then((full) => full.evidence), enumerable: true },
  };
  for (const field of RESULT_FIELDS) lazy[field] = { get: () => body().then((full) => full[field]), enumerable: true };
  return Object.defineProperties({ ...determination }, lazy);
}

export const auditQueryResolvers: Pick<QueryResolvers, 'determinations' | 'priorAuthorizationMetrics'> = {
  determinations: async (_root, { filter, first, after }, context) => {
    const take = first ?? 50;
    if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) throw badInput(`first must be 1 to ${MAX_PAGE}`, [{ field: 'first', message: 'out of range' }]);
    const given = filter ?? {};
    for (const [field, value] of [['guidelineNumber', given.guidelineNumber], ['lineOfBusiness', given.lineOfBusiness], ['apiKeyId', given.apiKeyId]] as const) {
      if (value && value.length > 100) throw badInput(`filter.${field} is at most 100 characters`, [{ field: `filter.${field}`, message: 'too long' }]);
    }
    refuseControlCharacters({ guidelineNumber: given.guidelineNumber, lineOfBusiness: given.lineOfBusiness, apiKeyId: given.apiKeyId });
    if (given.dateOfServiceFrom && given.dateOfServiceTo && given.dateOfServiceTo < given.dateOfServiceFrom) throw badInput('filter.dateOfServiceTo is before filter.dateOfServiceFrom', [{ field: 'filter.dateOfServiceTo', message: 'before from' }]);
    const storeFilter = {
      guidelineNumber: given.guidelineNumber, lineOfBusiness: given.lineOfBusiness?.trim().toUpperCase(), apiKeyId: given.apiKeyId,
      versionId: given.versionId ? (fromGlobalId(given.versionId, 'GuidelineVersion').parts[0] as string) : null,
      outcomes: given.outcomes, finalStatuses: given.finalStatuses, dateOfServiceFrom: given.dateOfServiceFrom, dateOfServiceTo: given.dateOfServiceTo,
      decidedFrom: given.decidedFrom, decidedBefore: given.decidedBefore, whatIf: given.whatIf, expedited: given.expedited,
    };
    const position = after ? decodePosition(after) : null;
    const rows = await determinationsPage(context.database.client, storeFilter, take + 1, position);
    const page = rows.slice(0, take).map((row) => listedDetermination(row, context.loaders));
    let total: Promise<number> | null = null;
    return {
      edges: page.map((node) => ({ node, cursor: encodePosition(node) })),
      pageInfo: {
        hasNextPage: rows.length > take, hasPreviousPage: position !== null,
        startCursor: page[0] ? encodePosition(page[0]) : null, endCursor: page.at(-1) ? encodePosition(page.at(-1) as Determination) : null,
      },
      // Counted only when asked for: a count over a million rows costs more than the page.
      get totalCount() {
        total ??= countDeterminations(context.database.client, storeFilter);
        return total;
      },
    } as never;
  },
  priorAuthorizationMetrics: (_root, { from, to }, context) => priorAuthorizationMetrics(context.database, from, to),
};

export const reviewMutationResolvers: Pick<MutationResolvers, 'recordReview'> = {
  recordReview: async (_root, { input }, context) => {
    const determinationId = fromGlobalId(input.determinationId, 'Determination').parts[0] as string;
    // Stored with the real instant, as determinations are: the time to a final decision is measured between the two.
    await recordReview(context.database, context.catalog, {
      determinationId, decision: input.decision, rationale: input.rationale, criterionKeys: input.criterionKeys, reviewer: input.reviewer,
      reopenReason: input.reopenReason ?? null, reviewerKeyId: context.caller.keyId ?? null,
    }, new Date());
    const row = await findDetermination(context.database.client, determinationId);
    return toDetermination(row as NonNullable<typeof row>);
  },
};

/** Where a determination stands: its outcome, or its latest review's decision. */
function finalStatusOf(outcome: string, reviews: readonly ReviewRow[]): string {
  const last = reviews.at(-1);
  return last ? `${last.decision}_AFTER_REVIEW` : outcome;
}

export const determinationReviewResolvers: Pick<DeterminationResolvers, 'reviews' | 'finalStatus'> = {
  reviews: (determination, _args, context) => context.loaders.reviews.load(determination.id) as never,
  finalStatus: async (determination, _args, context) => finalStatusOf(determination.outcome, await context.loaders.reviews.load(determination.id)) as never,
};

export const reviewResolvers: ReviewResolvers = {
  id: (review) => toGlobalId('Review', (review as unknown as ReviewRow).id),
  reopened: (review) => (review as unknown as ReviewRow).reopenReason !== null,
  reviewerApiKeyId: (review) => (review as unknown as ReviewRow).reviewerKeyId,
};
