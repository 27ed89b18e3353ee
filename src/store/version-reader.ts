import type { GuidelineDocument } from '../domain/document.ts';
import { documentFromRecords } from '../records/document-from-records.ts';
import type { VersionRecords } from '../records/version-records.ts';
import type { Client } from './database.ts';

/** Reads every row of one version back (one query per table, whatever the version's size). */
export async function readVersionRecords(client: Client, versionId: string): Promise<{ records: VersionRecords; guidelineNumber: string } | null> {
  const version = await client.guidelineVersion.findUnique({ where: { id: versionId }, include: { guideline: { select: { number: true } } } });
  if (!version) return null;
  const where = { versionId };
  const [passages, diseaseSections, criteria, codes, linesOfBusiness, policyHistory, references] = await Promise.all([
    client.passage.findMany({ where }),
    client.diseaseSection.findMany({ where }),
    client.criterion.findMany({ where }),
    client.billingCode.findMany({ where }),
    client.versionLineOfBusiness.findMany({ where }),
    client.policyHistoryEntry.findMany({ where }),
    client.reference.findMany({ where }),
  ]);
  const limits = await client.quantitativeLimit.findMany({ where: { criterion: { versionId } } });
  const { guideline, ingestedAt: _ingestedAt, ...versionRow } = version;
  return {
    guidelineNumber: guideline.number,
    records: { version: versionRow, passages, diseaseSections, criteria, limits, codes, linesOfBusiness, policyHistory, references } as VersionRecords,
  };
}

export async function readVersionDocument(client: Client, versionId: string): Promise<GuidelineDocument | null> {
  const found = await readVersionRecords(client, versionId);
  return found ? documentFromRecords(found.records, found.guidelineNumber) : null;
}
