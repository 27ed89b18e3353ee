import type { Client } from './database.ts';
import type { DeterminationRow } from './determination-store.ts';

/** An auditor's filters; every one given must match. Instants are [from, before); days are inclusive. */
export interface DeterminationFilter {
  readonly guidelineNumber?: string | null;
  readonly versionId?: string | null;
  readonly outcomes?: readonly string[] | null;
  readonly dateOfServiceFrom?: string | null;
  readonly dateOfServiceTo?: string | null;
  readonly decidedFrom?: Date | null;
  readonly decidedBefore?: Date | null;
  readonly lineOfBusiness?: string | null;
  readonly whatIf?: boolean | null;
  readonly expedited?: boolean | null;
  readonly apiKeyId?: string | null;
}

/** Where a page starts: after this determination in newest-first order. */
export interface DeterminationPosition {
  readonly createdAt: Date;
  readonly id: string;
}

function where(filter: DeterminationFilter): Record<string, unknown> {
  const conditions: Record<string, unknown>[] = [];
  if (filter.guidelineNumber) conditions.push({ guidelineNumber: filter.guidelineNumber });
  if (filter.versionId) conditions.push({ versionId: filter.versionId });
  if (filter.outcomes && filter.outcomes.length > 0) conditions.push({ outcome: { in: [...filter.outcomes] } });
  if (filter.dateOfServiceFrom) conditions.push({ dateOfService: { gte: filter.dateOfServiceFrom } });
  if (filter.dateOfServiceTo) conditions.push({ dateOfService: { lte: filter.dateOfServiceTo } });
  if (filter.decidedFrom) conditions.push({ createdAt: { gte: filter.decidedFrom } });
  if (filter.decidedBefore) conditions.push({ createdAt: { lt: filter.decidedBefore } });
  if (filter.lineOfBusiness) conditions.push({ lineOfBusiness: filter.lineOfBusiness });
  if (filter.whatIf !== null && filter.whatIf !== undefined) conditions.push({ whatIf: filter.whatIf });
  if (filter.expedited !== null && filter.expedited !== undefined) conditions.push({ expedited: filter.expedited });
  if (filter.apiKeyId) conditions.push({ callerKeyId: filter.apiKeyId });
  return { AND: conditions };
}

/**
 * A page of determinations, newest decision first (ties by id), read by keyset from `after`: the
 * cost of a page does not grow with how deep it is. `take + 1` rows tell whether another page follows.
 */
export async function determinationsPage(client: Client, filter: DeterminationFilter, take: number, after: DeterminationPosition | null): Promise<DeterminationRow[]> {
  const base = where(filter);
  // The bound on createdAt alone lets the planner range-scan the index; the OR then only breaks ties
  // (alone, the OR made both databases scan: 160 ms for a page deep in a million rows).
  const keyset = after ? [{ createdAt: { lte: after.createdAt } }, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] : null;
  return (await client.determination.findMany({
    where: keyset ? { AND: [base, ...keyset] } : base,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
  })) as DeterminationRow[];
}

export async function countDeterminations(client: Client, filter: DeterminationFilter): Promise<number> {
  return client.determination.count({ where: where(filter) });
}

/** What the prior-authorization metrics read of the real requests (not what-if) decided in [from, before). */
export async function requestsOfPeriod(client: Client, from: Date, before: Date): Promise<Pick<DeterminationRow, 'id' | 'guidelineNumber' | 'lineOfBusiness' | 'outcome' | 'expedited' | 'createdAt'>[]> {
  return client.determination.findMany({
    where: { whatIf: false, createdAt: { gte: from, lt: before } },
    select: { id: true, guidelineNumber: true, lineOfBusiness: true, outcome: true, expedited: true, createdAt: true },
  });
}
