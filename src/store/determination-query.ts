import type { Client, Database } from './database.ts';
import type { DeterminationRow } from './determination-store.ts';

/** A determination as a page lists it: everything but the stored facts, evidence and result (about 10 KB a row), which are read only when asked for. */
export type DeterminationListing = Omit<DeterminationRow, 'factsUsed' | 'evidence' | 'result'>;

/** What a page leaves out, read for the determinations whose fields need it. */
export type DeterminationBody = Pick<DeterminationRow, 'id' | 'factsUsed' | 'evidence' | 'result'>;

/** An auditor's filters; every one given must match. Instants are [from, before); days are inclusive. */
export interface DeterminationFilter {
  readonly guidelineNumber?: string | null;
  readonly versionId?: string | null;
  readonly outcomes?: readonly string[] | null;
  /** Where each stands after review: an outcome nobody reviewed, or `<DECISION>_AFTER_REVIEW` of the latest review. */
  readonly finalStatuses?: readonly string[] | null;
  readonly dateOfServiceFrom?: string | null;
  readonly dateOfServiceTo?: string | null;
  readonly decidedFrom?: Date | null;
  readonly decidedBefore?: Date | null;
  readonly lineOfBusiness?: string | null;
  readonly whatIf?: boolean | null;
  readonly expedited?: boolean | null;
  readonly apiKeyId?: string | null;
}

/** The latest review is the one no review reopens; an unreviewed determination stands at its outcome. */
function finalStatusCondition(status: string): Record<string, unknown> {
  const reviewed = /^(APPROVED|DENIED)_AFTER_REVIEW$/.exec(status);
  return reviewed ? { reviews: { some: { decision: reviewed[1], reopenedBy: { is: null } } } } : { outcome: status, reviews: { none: {} } };
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
  if (filter.finalStatuses && filter.finalStatuses.length > 0) conditions.push({ OR: filter.finalStatuses.map(finalStatusCondition) });
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
export async function determinationsPage(client: Client, filter: DeterminationFilter, take: number, after: DeterminationPosition | null): Promise<DeterminationListing[]> {
  const base = where(filter);
  // The bound on createdAt alone lets the planner range-scan the index; the OR then only breaks ties
  // (alone, the OR made both databases scan: 160 ms for a page deep in a million rows).
  const keyset = after ? [{ createdAt: { lte: after.createdAt } }, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] : null;
  return (await client.determination.findMany({
    where: keyset ? { AND: [base, ...keyset] } : base,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
    omit: { factsUsed: true, evidence: true, result: true },
  })) as DeterminationListing[];
}

/** The stored facts, evidence and result of these determinations (any order; unknown ids are absent). */
export async function determinationBodies(client: Client, ids: readonly string[]): Promise<DeterminationBody[]> {
  if (ids.length === 0) return [];
  return (await client.determination.findMany({ where: { id: { in: [...ids] } }, select: { id: true, factsUsed: true, evidence: true, result: true } })) as DeterminationBody[];
}

/**
 * The one-sentence summaries of these determinations, taken out of the stored result by the
 * database (a page of summaries costs what the page does, not 50 results parsed in JavaScript).
 * At most a page of ids at a time.
 */
export async function determinationSummaries(database: Database, ids: readonly string[]): Promise<{ id: string; summary: string | null }[]> {
  if (ids.length === 0) return [];
  if (ids.length > 500) throw new RangeError('at most 500 summaries at a time');
  const { driver } = database;
  type Summary = { id: string; summary: string | null };
  if (database.provider === 'postgresql') {
    const text = `SELECT "id", "result"->>'summary' AS "summary" FROM "Determination" WHERE "id" = ANY($1)`;
    return driver?.provider === 'postgresql' ? (await driver.pool.query<Summary>({ name: 'determination-summaries', text, values: [[...ids]] })).rows : database.client.$queryRawUnsafe<Summary[]>(text, [...ids]);
  }
  const sql = `SELECT "id", json_extract("result", '$.summary') AS "summary" FROM "Determination" WHERE "id" IN (${ids.map(() => '?').join(', ')})`;
  if (driver?.provider === 'sqlite') return driver.connection.prepare(sql).all(...ids) as Summary[];
  // In-memory SQLite: the same statement through Prisma.
  return database.client.$queryRawUnsafe<Summary[]>(sql, ...ids);
}

export async function countDeterminations(client: Client, filter: DeterminationFilter): Promise<number> {
  return client.determination.count({ where: where(filter) });
}

export type PeriodRequestRow = Pick<DeterminationRow, 'id' | 'guidelineNumber' | 'lineOfBusiness' | 'outcome' | 'expedited' | 'createdAt'>;

/**
 * What the prior-authorization metrics read of the real requests (not what-if) decided in
 * [from, before): a page of `take` in decided-at order, after `after` (keyset, as pages above).
 * A year can hold a million requests: on the driver (rows as arrays, six columns), Prisma only
 * for an in-memory database.
 */
export async function requestsOfPeriod(database: Database, from: Date, before: Date, take: number, after: DeterminationPosition | null): Promise<PeriodRequestRow[]> {
  const { driver } = database;
  const columns = '"id", "guidelineNumber", "lineOfBusiness", "outcome", "expedited", "createdAt"';
  const keyset = after ? ' AND "createdAt" >= ? AND ("createdAt" > ? OR ("createdAt" = ? AND "id" > ?))' : '';
  const order = ' ORDER BY "createdAt", "id" LIMIT ?';
  if (driver?.provider === 'sqlite') {
    // Instants as Prisma stores them on SQLite ("…+00:00" text, which sorts as time does); booleans as 0/1.
    const at = (instant: Date) => instant.toISOString().replace('Z', '+00:00');
    const statement = driver.connection.prepare(`SELECT ${columns} FROM "Determination" WHERE "whatIf" = 0 AND "createdAt" >= ? AND "createdAt" < ?${keyset}${order}`).raw();
    const params = [at(from), at(before), ...(after ? [at(after.createdAt), at(after.createdAt), at(after.createdAt), after.id] : []), take];
    return (statement.all(...params) as [string, string, string, string, number, string][]).map(([id, guidelineNumber, lineOfBusiness, outcome, expedited, createdAt]) => ({
      id, guidelineNumber, lineOfBusiness, outcome, expedited: expedited === 1, createdAt: new Date(createdAt),
    }));
  }
  if (driver?.provider === 'postgresql') {
    // TIMESTAMP(3) has no zone: instants go as UTC text and come back as epoch milliseconds (pg would read them in the process's zone).
    const at = (instant: Date) => instant.toISOString().replace('Z', '');
    let index = 0;
    const numbered = (sql: string) => sql.replace(/\?/g, () => `$${++index}`);
    const text = numbered(`SELECT "id", "guidelineNumber", "lineOfBusiness", "outcome", "expedited", (EXTRACT(EPOCH FROM "createdAt") * 1000)::float8 AS "createdAt" FROM "Determination" WHERE "whatIf" = false AND "createdAt" >= ? AND "createdAt" < ?${keyset}${order}`);
    const params = [at(from), at(before), ...(after ? [at(after.createdAt), at(after.createdAt), at(after.createdAt), after.id] : []), take];
    const { rows } = await driver.pool.query<{ id: string; guidelineNumber: string; lineOfBusiness: string; outcome: string; expedited: boolean; createdAt: number }>({ name: `period-requests-${after ? 'after' : 'first'}`, text, values: params });
    return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
  }
  const keysetWhere = after ? [{ createdAt: { gte: after.createdAt } }, { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] : [];
  return database.client.determination.findMany({
    where: { AND: [{ whatIf: false, createdAt: { gte: from, lt: before } }, ...keysetWhere] },
    select: { id: true, guidelineNumber: true, lineOfBusiness: true, outcome: true, expedited: true, createdAt: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
  });
}
