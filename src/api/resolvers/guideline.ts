import { GraphQLError } from 'graphql';
import type { GuidelineResolvers } from '../generated/resolvers-types.ts';
import { changeHistory } from '../../services/version-comparison.ts';
import { dateOf, startOfDay } from '../../domain/calendar.ts';
import { versionInEffect } from '../../domain/effective-period.ts';
import { toGlobalId } from '../global-id.ts';
import type { ApiContext } from '../context.ts';
import type { VersionEntry } from '../../services/version-catalog.ts';

async function allVersions(guidelineId: string, context: ApiContext): Promise<VersionEntry[]> {
  const summaries = await context.loaders.versionsOfGuideline.load(guidelineId);
  const entries = await context.loaders.version.loadMany(summaries.map((summary) => summary.id));
  return entries.filter((entry): entry is VersionEntry => entry !== null && !(entry instanceof Error));
}

/** Names come from the latest version's summary: no need to assemble whole versions for them. */
async function latestSummary(guidelineId: string, context: ApiContext) {
  return (await context.loaders.versionsOfGuideline.load(guidelineId)).at(-1) ?? null;
}

export const guidelineResolvers: GuidelineResolvers = {
  id: (guideline) => toGlobalId('Guideline', guideline.id),
  number: (guideline) => guideline.number,
  brandName: async (guideline, _args, context) => (await latestSummary(guideline.id, context))?.brandName ?? '',
  genericName: async (guideline, _args, context) => (await latestSummary(guideline.id, context))?.genericName ?? '',
  versions: (guideline, _args, context) => allVersions(guideline.id, context),
  currentVersion: async (guideline, _args, context) => {
    const summaries = await context.loaders.versionsOfGuideline.load(guideline.id);
    const current = versionInEffect(summaries, context.now);
    return current ? context.loaders.version.load(current.id) : null;
  },
  version: async (guideline, { asOf }, context) => {
    const summaries = await context.loaders.versionsOfGuideline.load(guideline.id);
    const found = versionInEffect(summaries, startOfDay(asOf) as Date);
    if (!found) {
      const first = summaries[0] ? dateOf(summaries[0].effectiveFrom) : undefined;
      throw new GraphQLError(`no version of ${guideline.number} was in effect on ${asOf}${first ? `; the first took effect on ${first}` : ''}`, { extensions: { code: 'NO_EFFECTIVE_VERSION' } });
    }
    return context.loaders.version.load(found.id);
  },
  changes: async (guideline, _args, context) => changeHistory(await allVersions(guideline.id, context)),
};
