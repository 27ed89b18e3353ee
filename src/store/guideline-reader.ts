import type { Client } from './database.ts';

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

export interface GuidelineFilter {
  readonly drug?: string | null;
  readonly hcpcsCode?: string | null;
  readonly lineOfBusiness?: string | null;
  /** Only the version in effect on this instant counts; without it, any version may match. */
  readonly effectiveOn?: Date | null;
}

/** Ids of the versions in effect at an instant: the latest started version of each guideline. */
export async function versionIdsInEffect(client: Client, at: Date): Promise<string[]> {
  const started = await client.guidelineVersion.findMany({ where: { effectiveFrom: { lte: at } }, select: { id: true, guidelineId: true, effectiveFrom: true } });
  const latest = new Map<string, { id: string; effectiveFrom: Date }>();
  for (const version of started) {
    const current = latest.get(version.guidelineId);
    if (!current || current.effectiveFrom < version.effectiveFrom) latest.set(version.guidelineId, version);
  }
  return [...latest.values()].map((version) => version.id);
}

/** Guideline ids that have a matching version (the one in effect when `effectiveOn` is given). */
export async function matchingGuidelineIds(client: Client, filter: GuidelineFilter): Promise<string[] | null> {
  const noFilter = !filter.drug && !filter.hcpcsCode && !filter.lineOfBusiness && !filter.effectiveOn;
  if (noFilter) return null;
  const inEffect = filter.effectiveOn ? await versionIdsInEffect(client, filter.effectiveOn) : undefined;
  const drug = filter.drug?.trim().toLowerCase();
  const matches = await client.guidelineVersion.findMany({
    where: {
      ...(inEffect ? { id: { in: inEffect } } : {}),
      ...(drug ? { OR: [{ brandNameKey: drug }, { genericNameKey: drug }] } : {}),
      ...(filter.hcpcsCode ? { codes: { some: { code: filter.hcpcsCode.trim().toUpperCase() } } } : {}),
      ...(filter.lineOfBusiness ? { linesOfBusiness: { some: { code: filter.lineOfBusiness.trim().toUpperCase(), applicable: true } } } : {}),
    },
    select: { guidelineId: true },
    distinct: ['guidelineId'],
  });
  return matches.map((row) => row.guidelineId);
}

export async function pageOfGuidelines(client: Client, ids: readonly string[] | null, afterNumber: string | null, take: number): Promise<{ rows: GuidelineRow[]; totalCount: number }> {
  const where = ids === null ? {} : { id: { in: [...ids] } };
  const [rows, totalCount] = await Promise.all([
    client.guideline.findMany({ where: { ...where, ...(afterNumber !== null ? { number: { gt: afterNumber } } : {}) }, orderBy: { number: 'asc' }, take, select: { id: true, number: true } }),
    client.guideline.count({ where }),
  ]);
  return { rows, totalCount };
}
