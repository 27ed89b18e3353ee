import type { GuidelineDocument } from '../domain/document.ts';
import { documentFromRecords } from '../records/document-from-records.ts';
import type { VersionRecords } from '../records/version-records.ts';
import type { Client } from './database.ts';

export interface StoredVersion {
  readonly id: string;
  readonly guidelineId: string;
  readonly guidelineNumber: string;
  readonly effectiveFrom: Date;
  readonly document: GuidelineDocument;
  readonly diagnostics: unknown;
  readonly source: { readonly sha256: string; readonly text: string; readonly byteLength: number; readonly fileName: string };
  readonly ruleSet: { readonly name: string; readonly sha256: string; readonly fileName: string; readonly source: string; readonly reviewedBy: string; readonly reviewedOn: string } | null;
  readonly ingestedAt: Date;
}

function groupBy<T extends { versionId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.versionId);
    if (group) group.push(row);
    else groups.set(row.versionId, [row]);
  }
  return groups;
}

/**
 * Reads whole versions, every part included, with a fixed number of queries (one per table)
 * however many versions are asked for: the batch function behind the API's version loader.
 */
export async function readVersions(client: Client, ids: readonly string[]): Promise<Map<string, StoredVersion>> {
  const where = { versionId: { in: [...ids] } };
  const [versions, passages, diseaseSections, populations, criteria, limits, codes, linesOfBusiness, policyHistory, references] = await Promise.all([
    client.guidelineVersion.findMany({ where: { id: { in: [...ids] } }, include: { guideline: { select: { number: true } }, sourceDocument: true, ruleSet: true } }),
    client.passage.findMany({ where }),
    client.diseaseSection.findMany({ where }),
    client.population.findMany({ where }),
    client.criterion.findMany({ where }),
    client.quantitativeLimit.findMany({ where: { criterion: where } }),
    client.billingCode.findMany({ where }),
    client.versionLineOfBusiness.findMany({ where }),
    client.policyHistoryEntry.findMany({ where }),
    client.reference.findMany({ where }),
  ]);
  const criterionVersion = new Map(criteria.map((row) => [row.id, row.versionId]));
  const grouped = {
    passages: groupBy(passages), diseaseSections: groupBy(diseaseSections), populations: groupBy(populations), criteria: groupBy(criteria), codes: groupBy(codes),
    linesOfBusiness: groupBy(linesOfBusiness), policyHistory: groupBy(policyHistory), references: groupBy(references),
    limits: groupBy(limits.map((row) => ({ ...row, versionId: criterionVersion.get(row.criterionId) ?? '' }))),
  };
  const result = new Map<string, StoredVersion>();
  for (const version of versions) {
    const { guideline, sourceDocument, ruleSet, ingestedAt, ...versionRow } = version;
    const records = {
      version: versionRow,
      passages: grouped.passages.get(version.id) ?? [],
      diseaseSections: grouped.diseaseSections.get(version.id) ?? [],
      populations: grouped.populations.get(version.id) ?? [],
      criteria: grouped.criteria.get(version.id) ?? [],
      limits: grouped.limits.get(version.id) ?? [],
      codes: grouped.codes.get(version.id) ?? [],
      linesOfBusiness: grouped.linesOfBusiness.get(version.id) ?? [],
      policyHistory: grouped.policyHistory.get(version.id) ?? [],
      references: grouped.references.get(version.id) ?? [],
      searchEntries: [],
    } as VersionRecords;
    result.set(version.id, {
      id: version.id,
      guidelineId: version.guidelineId,
      guidelineNumber: guideline.number,
      effectiveFrom: version.effectiveFrom,
      document: documentFromRecords(records, guideline.number),
      diagnostics: version.diagnostics,
      source: { sha256: sourceDocument.sha256, text: sourceDocument.text, byteLength: sourceDocument.byteLength, fileName: sourceDocument.fileName },
      ruleSet: ruleSet ? { name: ruleSet.name, sha256: ruleSet.sha256, fileName: ruleSet.fileName, source: ruleSet.source, reviewedBy: ruleSet.reviewedBy, reviewedOn: ruleSet.reviewedOn } : null,
      ingestedAt,
    });
  }
  return result;
}

export async function readVersionDocument(client: Client, versionId: string): Promise<GuidelineDocument | null> {
  return (await readVersions(client, [versionId])).get(versionId)?.document ?? null;
}
