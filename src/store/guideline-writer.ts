import type { Client } from './database.ts';
import type { VersionRecords } from '../records/version-records.ts';
import { isUniqueViolation } from './database.ts';

export interface SourceDocumentInput {
  readonly id: string;
  readonly sha256: string;
  readonly text: string;
  readonly byteLength: number;
  readonly fileName: string;
}

export interface RuleSetInput {
  readonly name: string;
  readonly sha256: string;
  readonly fileName: string;
  readonly source: string;
  readonly reviewedBy: string;
  readonly reviewedOn: string;
}

export type SaveOutcome =
  | { readonly status: 'loaded'; readonly versionId: string }
  | { readonly status: 'unchanged'; readonly versionId: string | null }
  | { readonly status: 'rules-attached'; readonly versionId: string }
  | { readonly status: 'conflict'; readonly versionId: string; readonly message: string };

/**
 * Writes one guideline version and everything under it in a single transaction, through Prisma:
 * the path for a database without a driver connection of its own (in-memory SQLite); everything
 * else goes through `saveVersions`, which keeps these outcomes and rows. Versions are
 * append-only: an identical document is "unchanged"; a different document for a month that already
 * has a version is a conflict, never an overwrite.
 */
export async function saveVersion(
  client: Client,
  guidelineNumber: string,
  source: SourceDocumentInput,
  buildRecords: (ids: { guidelineId: string }) => VersionRecords,
  newGuidelineId: string,
  ruleSet: RuleSetInput | null,
  at: Date,
  newRuleSetId: string,
): Promise<SaveOutcome> {
  const once = () => saveVersionOnce(client, guidelineNumber, source, buildRecords, newGuidelineId, ruleSet, at, newRuleSetId);
  try {
    return await once();
  } catch (error) {
    // Two ingestions of one document raced: the loser's unique insert fails; it then finds the winner's rows.
    if (isUniqueViolation(error)) return once();
    throw error;
  }
}

async function saveVersionOnce(
  client: Client,
  guidelineNumber: string,
  source: SourceDocumentInput,
  buildRecords: (ids: { guidelineId: string }) => VersionRecords,
  newGuidelineId: string,
  ruleSet: RuleSetInput | null,
  at: Date,
  newRuleSetId: string,
): Promise<SaveOutcome> {
  return client.$transaction(async (tx) => {
    const existingSource = await tx.sourceDocument.findUnique({
      where: { sha256: source.sha256 },
      select: { version: { select: { id: true, ruleSet: { select: { sha256: true } } } } },
    });
    const existing = existingSource?.version;
    if (existingSource) {
      // The document is already published; a reviewed rule set may still be attached to it, once.
      if (!existing || !ruleSet || existing.ruleSet?.sha256 === ruleSet.sha256) return { status: 'unchanged', versionId: existing?.id ?? null };
      if (existing.ruleSet) {
        return { status: 'conflict', versionId: existing.id, message: `${guidelineNumber}: this version already has a different rule set; rule sets are never replaced` };
      }
      await tx.ruleSet.create({ data: { id: newRuleSetId, ...ruleSet, versionId: existing.id, attachedAt: at } });
      return { status: 'rules-attached', versionId: existing.id };
    }
    const guideline =
      (await tx.guideline.findUnique({ where: { number: guidelineNumber }, select: { id: true } })) ??
      (await tx.guideline.create({ data: { id: newGuidelineId, number: guidelineNumber, createdAt: at }, select: { id: true } }));
    const records = buildRecords({ guidelineId: guideline.id });
    const sameMonth = await tx.guidelineVersion.findUnique({
      where: { guidelineId_implementationMonth: { guidelineId: guideline.id, implementationMonth: records.version.implementationMonth } },
      select: { id: true },
    });
    if (sameMonth) {
      return {
        status: 'conflict',
        versionId: sameMonth.id,
        message: `${guidelineNumber} already has a different published version implemented ${records.version.implementationMonth}; published versions never change`,
      };
    }
    await tx.sourceDocument.create({ data: { ...source, receivedAt: at } });
    // Rows with JSON columns are typed `unknown` in src/records (it must not import Prisma): cast here.
    await tx.guidelineVersion.create({ data: { ...records.version, ingestedAt: at } as never });
    await tx.passage.createMany({ data: records.passages });
    await tx.diseaseSection.createMany({ data: records.diseaseSections });
    await tx.population.createMany({ data: records.populations as never });
    // Parents before children: criteria are ordered so every parentId row precedes its children.
    await tx.criterion.createMany({ data: records.criteria });
    await tx.quantitativeLimit.createMany({ data: records.limits as never });
    await tx.billingCode.createMany({ data: records.codes });
    await tx.versionLineOfBusiness.createMany({ data: records.linesOfBusiness });
    await tx.policyHistoryEntry.createMany({ data: records.policyHistory as never });
    await tx.reference.createMany({ data: records.references });
    await tx.searchEntry.createMany({ data: records.searchEntries });
    if (ruleSet) await tx.ruleSet.create({ data: { id: newRuleSetId, ...ruleSet, versionId: records.version.id, attachedAt: at } });
    return { status: 'loaded', versionId: records.version.id };
  });
}
