import { badInput } from '../domain/errors.ts';
import { epochDay } from '../domain/calendar.ts';
import type { Database } from '../store/database.ts';
import { requestsOfPeriod } from '../store/determination-query.ts';
import { reviewsOfRequestsDecided } from '../store/review-store.ts';

/** One request of the period with the reviews recorded before the period ended, oldest first. */
export interface PeriodRequest {
  readonly guidelineNumber: string;
  readonly lineOfBusiness: string;
  readonly outcome: string;
  readonly expedited: boolean;
  readonly requestedAt: Date;
  readonly reviews: readonly { readonly decision: string; readonly at: Date }[];
}

export interface DecisionTimes {
  readonly decided: number;
  readonly averageHours: number | null;
  readonly medianHours: number | null;
}

export interface MetricsRow {
  readonly group: string | null;
  readonly requests: number;
  readonly decided: number;
  readonly approved: number;
  readonly denied: number;
  readonly approvedAfterReview: number;
  readonly approvedAfterReopenedReview: number;
  readonly deniedAfterReview: number;
  readonly pending: number;
  readonly notDecided: number;
  readonly percentApproved: number | null;
  readonly percentDenied: number | null;
  readonly percentApprovedAfterReview: number | null;
  readonly percentApprovedAfterReopenedReview: number | null;
  readonly standard: DecisionTimes;
  readonly expedited: DecisionTimes;
}

export interface PriorAuthorizationMetrics {
  readonly from: string;
  readonly to: string;
  readonly overall: MetricsRow;
  readonly byLineOfBusiness: readonly MetricsRow[];
  readonly byGuideline: readonly MetricsRow[];
}

const NOT_DECIDED = new Set(['NOT_APPLICABLE', 'NO_EFFECTIVE_VERSION', 'NOT_DECIDABLE']);
const HOUR_MS = 3_600_000;

/** Where one request stands at the end of the period: its final decision and when it was made. */
function finalOf(request: PeriodRequest): { kind: 'approved' | 'denied' | 'pending' | 'notDecided'; reviewed: boolean; reopened: boolean; hours: number | null } {
  const last = request.reviews.at(-1);
  if (last) {
    const hours = (last.at.getTime() - request.requestedAt.getTime()) / HOUR_MS;
    return { kind: last.decision === 'APPROVED' ? 'approved' : 'denied', reviewed: true, reopened: request.reviews.length > 1, hours };
  }
  if (request.outcome === 'APPROVED' || request.outcome === 'DENIED') return { kind: request.outcome === 'APPROVED' ? 'approved' : 'denied', reviewed: false, reopened: false, hours: 0 };
  return { kind: NOT_DECIDED.has(request.outcome) ? 'notDecided' : 'pending', reviewed: false, reopened: false, hours: null };
}

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 100);
const roundHours = (hours: number): number => Math.round(hours * 100) / 100;

function times(hours: number[]): DecisionTimes {
  if (hours.length === 0) return { decided: 0, averageHours: null, medianHours: null };
  const sorted = [...hours].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { decided: hours.length, averageHours: roundHours(hours.reduce((sum, value) => sum + value, 0) / hours.length), medianHours: roundHours(median) };
}

/** The running figures of one group: counts, and the hours to each final decision (for the median). */
class GroupFigures {
  approved = 0; denied = 0; approvedAfterReview = 0; approvedAfterReopenedReview = 0; deniedAfterReview = 0; pending = 0; notDecided = 0; requests = 0;
  readonly standardHours: number[] = [];
  readonly expeditedHours: number[] = [];

  add(request: PeriodRequest): void {
    this.requests += 1;
    const final = finalOf(request);
    if (final.kind === 'pending') this.pending += 1;
    else if (final.kind === 'notDecided') this.notDecided += 1;
    else {
      if (final.kind === 'approved') {
        this.approved += 1;
        if (final.reviewed) this.approvedAfterReview += 1;
        if (final.reopened) this.approvedAfterReopenedReview += 1;
      } else {
        this.denied += 1;
        if (final.reviewed) this.deniedAfterReview += 1;
      }
      (request.expedited ? this.expeditedHours : this.standardHours).push(final.hours as number);
    }
  }

  row(group: string | null): MetricsRow {
    const { approved, denied, approvedAfterReview, approvedAfterReopenedReview, deniedAfterReview, pending, notDecided, requests } = this;
    const decided = approved + denied;
    return {
      group, requests, decided, approved, denied, approvedAfterReview, approvedAfterReopenedReview, deniedAfterReview, pending, notDecided,
      percentApproved: percent(approved, decided), percentDenied: percent(denied, decided),
      percentApprovedAfterReview: percent(approvedAfterReview, decided), percentApprovedAfterReopenedReview: percent(approvedAfterReopenedReview, decided),
      standard: times(this.standardHours), expedited: times(this.expeditedHours),
    };
  }
}

/** The figures for one group of requests (pure: the known-answer tests call it directly). */
export function metricsRow(group: string | null, requests: readonly PeriodRequest[]): MetricsRow {
  const figures = new GroupFigures();
  for (const request of requests) figures.add(request);
  return figures.row(group);
}

/** Overall, per line of business and per guideline, fed one request at a time: only counts and hours are kept. */
class PeriodFigures {
  readonly #overall = new GroupFigures();
  readonly #byLineOfBusiness = new Map<string, GroupFigures>();
  readonly #byGuideline = new Map<string, GroupFigures>();

  add(request: PeriodRequest): void {
    this.#overall.add(request);
    for (const [groups, key] of [[this.#byLineOfBusiness, request.lineOfBusiness], [this.#byGuideline, request.guidelineNumber]] as const) {
      let figures = groups.get(key);
      if (!figures) groups.set(key, (figures = new GroupFigures()));
      figures.add(request);
    }
  }

  metrics(from: string, to: string): PriorAuthorizationMetrics {
    const rows = (groups: Map<string, GroupFigures>) => [...groups.keys()].sort().map((key) => (groups.get(key) as GroupFigures).row(key));
    return { from, to, overall: this.#overall.row(null), byLineOfBusiness: rows(this.#byLineOfBusiness), byGuideline: rows(this.#byGuideline) };
  }
}

export function computeMetrics(from: string, to: string, requests: readonly PeriodRequest[]): PriorAuthorizationMetrics {
  const figures = new PeriodFigures();
  for (const request of requests) figures.add(request);
  return figures.metrics(from, to);
}

/** The period's bounds: from 00:00 UTC of `from` to 24:00 UTC of `to`, at most ten years. */
export function periodBounds(from: string, to: string): { start: Date; end: Date } {
  const first = epochDay(from);
  const last = epochDay(to);
  if (first === null || last === null) throw badInput('from and to must be dates YYYY-MM-DD', [{ field: first === null ? 'from' : 'to', message: 'not a date' }]);
  if (last < first) throw badInput(`to (${to}) is before from (${from})`, [{ field: 'to', message: 'before from' }]);
  if (last - first > 3660) throw badInput('a period of at most ten years', [{ field: 'to', message: 'period too long' }]);
  return { start: new Date(first * 86_400_000), end: new Date((last + 1) * 86_400_000) };
}

/** Requests read a page at a time: a year of a million requests never sits in memory, only its counts and hours. */
const PAGE = 10_000;

/**
 * CMS-0057-F figures for requests decided in the period, as they stood when it ended: reviews
 * recorded later do not change a past period's figures. What-if determinations are not requests.
 */
export async function priorAuthorizationMetrics(database: Database, from: string, to: string, pageSize = PAGE): Promise<PriorAuthorizationMetrics> {
  const { start, end } = periodBounds(from, to);
  const figures = new PeriodFigures();
  for (let after: { createdAt: Date; id: string } | null = null; ;) {
    const rows = await requestsOfPeriod(database, start, end, pageSize, after);
    if (rows.length === 0) break;
    const reviewsOf = new Map<string, { decision: string; at: Date }[]>();
    // The page's span of instants: a review of a request just outside it (a tie at an edge) finds no entry below and is left for its own page.
    const pageIds = new Set(rows.map((row) => row.id));
    for (const review of await reviewsOfRequestsDecided(database.client, (rows[0] as (typeof rows)[number]).createdAt, (rows.at(-1) as (typeof rows)[number]).createdAt, end)) {
      if (!pageIds.has(review.determinationId)) continue;
      const list = reviewsOf.get(review.determinationId);
      const entry = { decision: review.decision, at: review.createdAt };
      if (list) list.push(entry);
      else reviewsOf.set(review.determinationId, [entry]);
    }
    for (const row of rows) {
      figures.add({ guidelineNumber: row.guidelineNumber, lineOfBusiness: row.lineOfBusiness, outcome: row.outcome, expedited: row.expedited, requestedAt: row.createdAt, reviews: reviewsOf.get(row.id) ?? [] });
    }
    if (rows.length < pageSize) break;
    const last = rows.at(-1) as (typeof rows)[number];
    after = { createdAt: last.createdAt, id: last.id };
  }
  return figures.metrics(from, to);
}
