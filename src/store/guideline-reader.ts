import type { Client, Database, Provider } from './database.ts';

export interface GuidelineRow {
  readonly id: string;
  readonly number: string;
}

export interface VersionSummary {
  readonly id: string;
  readonly guidelineId: string;
  readonly effectiveFrom: Date;
  readonly implementationMonth: string;
  readonly brandName: string;
  readonly genericName: string;
}

const summarySelect = { id: true, guidelineId: true, effectiveFrom: true, implementationMonth: true, brandName: true, genericName: true } as const;

export async function findGuidelinesByNumbers(client: Client, numbers: readonly string[]): Promise<GuidelineRow[]> {
  return client.guideline.findMany({ where: { number: { in: [...numbers] } }, select: { id: true, number: true } });
}

export async function findGuidelinesByIds(client: Client, ids: readonly string[]): Promise<GuidelineRow[]> {
  return client.guideline.findMany({ where: { id: { in: [...ids] } }, select: { id: true, number: true } });
}

/** Summaries of every version of the given guidelines, in one query. */
export async function versionSummaries(client: Client, guidelineIds: readonly string[]): Promise<VersionSummary[]> {
  return client.guidelineVersion.findMany({ where: { guidelineId: { in: [...guidelineIds] } }, select: summarySelect, orderBy: { effectiveFrom: 'asc' } });
}

/** Every line-of-business code some stored version lists, sorted. */
export async function lineOfBusinessCodes(client: Client): Promise<string[]> {
  const rows = await client.versionLineOfBusiness.findMany({ distinct: ['code'], select: { code: true }, orderBy: { code: 'asc' } });
  return rows.map((row) => row.code);
}

export interface GuidelineFilter {
  /** Exact brand or generic name, case-insensitive (what a request names: never a guess). */
  readonly drug?: string | null;
  /** A name a person is typing: the start of the brand or generic name or of one of its words, case-insensitive. */
  readonly drugPrefix?: string | null;
  readonly hcpcsCode?: string | null;
  readonly lineOfBusiness?: string | null;
  /** Only the version in effect on this instant counts; without it, any version may match. */
  readonly effectiveOn?: Date | null;
}

/**
 * How an instant is bound in raw SQL: PostgreSQL takes the Date; SQLite compares the text Prisma
 * stores ("2026-01-01T00:00:00.000+00:00"), so the parameter is written the same way.
 */
function instant(provider: Provider, at: Date): Date | string {
  return provider === 'sqlite' ? at.toISOString().replace('Z', '+00:00') : at;
}

/**
 * A SQL condition on the version aliased `alias`: it is the one in effect at `at` (started, and no
 * later version of its guideline started by then). Evaluated in the database, whatever the number
 * of guidelines: never a list of ids read into the process and sent back (SQLite allows 999 parameters).
 */
export function inEffectCondition(provider: Provider, alias: string, at: Date, parameter: (value: unknown) => string): string {
  const bound = parameter(instant(provider, at));
  const again = parameter(instant(provider, at));
  return `${alias}."effectiveFrom" <= ${bound} AND NOT EXISTS (SELECT 1 FROM "GuidelineVersion" later WHERE later."guidelineId" = ${alias}."guidelineId" AND later."effectiveFrom" > ${alias}."effectiveFrom" AND later."effectiveFrom" <= ${again})`;
}

/** Numbered ($1, $2…) on PostgreSQL, ? on SQLite; the values in order. */
export function parameters(provider: Provider): { add: (value: unknown) => string; values: unknown[] } {
  const values: unknown[] = [];
  return { values, add: (value) => (values.push(value), provider === 'postgresql' ? `$${values.length}` : '?') };
}

/** The guidelines with a matching version (the one in effect when `effectiveOn` is given), a page at a time, and how many match. */
export async function pageOfMatchingGuidelines(client: Client, provider: Provider, filter: GuidelineFilter, afterNumber: string | null, take: number): Promise<{ rows: GuidelineRow[]; totalCount: number }> {
  const noFilter = !filter.drug && !filter.drugPrefix && !filter.hcpcsCode && !filter.lineOfBusiness && !filter.effectiveOn;
  if (noFilter) return pageOfGuidelines(client, null, afterNumber, take);
  const where = (bind: ReturnType<typeof parameters>): string => {
    const conditions: string[] = [];
    const drug = filter.drug?.trim().toLowerCase();
    if (drug) conditions.push(`(v."brandNameKey" = ${bind.add(drug)} OR v."genericNameKey" = ${bind.add(drug)})`);
    const typed = filter.drugPrefix?.trim().toLowerCase();
    if (typed) {
      // LIKE's own wildcards in what was typed are literal characters.
      const literal = typed.replace(/[\\%_]/g, (character) => `\\${character}`);
      const [start, word] = [`${literal}%`, `% ${literal}%`];
      conditions.push(`(v."brandNameKey" LIKE ${bind.add(start)} ESCAPE '\\' OR v."genericNameKey" LIKE ${bind.add(start)} ESCAPE '\\' OR v."brandNameKey" LIKE ${bind.add(word)} ESCAPE '\\' OR v."genericNameKey" LIKE ${bind.add(word)} ESCAPE '\\')`);
    }
    if (filter.hcpcsCode) conditions.push(`EXISTS (SELECT 1 FROM "BillingCode" c WHERE c."versionId" = v."id" AND c."code" = ${bind.add(filter.hcpcsCode.trim().toUpperCase())})`);
    if (filter.lineOfBusiness) conditions.push(`EXISTS (SELECT 1 FROM "VersionLineOfBusiness" l WHERE l."versionId" = v."id" AND l."code" = ${bind.add(filter.lineOfBusiness.trim().toUpperCase())} AND l."applicable" = ${bind.add(true)})`);
    if (filter.effectiveOn) conditions.push(inEffectCondition(provider, 'v', filter.effectiveOn, bind.add));
    return `EXISTS (SELECT 1 FROM "GuidelineVersion" v WHERE v."guidelineId" = g."id" AND ${conditions.join(' AND ')})`;
  };
  const page = parameters(provider);
  const pageWhere = where(page);
  const after = afterNumber !== null ? ` AND g."number" > ${page.add(afterNumber)}` : '';
  const limit = page.add(take);
  const count = parameters(provider);
  const countWhere = where(count);
  const [rows, counted] = await Promise.all([
    client.$queryRawUnsafe<GuidelineRow[]>(`SELECT g."id" AS "id", g."number" AS "number" FROM "Guideline" g WHERE ${pageWhere}${after} ORDER BY g."number" ASC LIMIT ${limit}`, ...page.values),
    client.$queryRawUnsafe<{ total: number | bigint }[]>(`SELECT COUNT(*) AS "total" FROM "Guideline" g WHERE ${countWhere}`, ...count.values),
  ]);
  return { rows: rows.map((row) => ({ id: row.id, number: row.number })), totalCount: Number(counted[0]?.total ?? 0) };
}

export async function pageOfGuidelines(client: Client, ids: readonly string[] | null, afterNumber: string | null, take: number): Promise<{ rows: GuidelineRow[]; totalCount: number }> {
  const where = ids === null ? {} : { id: { in: [...ids] } };
  const [rows, totalCount] = await Promise.all([
    client.guideline.findMany({ where: { ...where, ...(afterNumber !== null ? { number: { gt: afterNumber } } : {}) }, orderBy: { number: 'asc' }, take, select: { id: true, number: true } }),
    client.guideline.count({ where }),
  ]);
  return { rows, totalCount };
}

const COUNTS = 'SELECT (SELECT COUNT(*) FROM "GuidelineVersion") AS "versions", (SELECT COUNT(*) FROM "RuleSet") AS "ruleSets"';

/**
 * How many versions and rule sets are stored: both only grow (versions are immutable, rule sets
 * attached once). Polled often, so it goes to the driver when there is one (one cheap statement,
 * off Prisma's query engine and its statement log).
 */
export async function catalogCounts(database: Database): Promise<{ versions: number; ruleSets: number }> {
  const { driver } = database;
  let row: { versions: number | bigint | string; ruleSets: number | bigint | string } | undefined;
  if (driver?.provider === 'sqlite') row = driver.connection.prepare(COUNTS).get() as typeof row;
  else if (driver?.provider === 'postgresql') row = (await driver.pool.query<NonNullable<typeof row>>(COUNTS)).rows[0];
  else row = (await database.client.$queryRawUnsafe<NonNullable<typeof row>[]>(COUNTS))[0];
  return { versions: Number(row?.versions ?? 0), ruleSets: Number(row?.ruleSets ?? 0) };
}
