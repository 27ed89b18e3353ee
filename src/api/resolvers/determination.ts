import type { DeterminationResolvers, ImpactAnalysisResolvers, SearchHitResolvers, VersionComparisonResolvers } from '../generated/resolvers-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { toGlobalId } from '../global-id.ts';
import { countByKind } from '../../services/version-comparison.ts';

export const determinationResolvers: DeterminationResolvers = {
  id: (determination) => toGlobalId('Determination', determination.id),
  version: (determination, _args, context) => (determination.versionId ? context.loaders.version.load(determination.versionId) : null),
  // Determinations stored before exact arithmetic have no exact amount: their amounts were whole or plain decimals.
  // Awaited: a listed determination reads these from its stored result only when they are selected.
  authorizedLimits: async (determination) => (await determination.authorizedLimits).map((limit) => ({ ...limit, exactAmount: limit.exactAmount ?? String(limit.amount) })),
  derivedFacts: async (determination) => (await determination.derivedFacts) ?? [],
  factsUsed: async (determination) => determination.factsUsed,
};

export const impactAnalysisResolvers: ImpactAnalysisResolvers = {
  changed: (analysis) => analysis.items.length,
};

export const searchHitResolvers: SearchHitResolvers = {
  version: async (hit, _args, context) => {
    const version = await context.loaders.version.load(hit.versionId);
    if (!version) throw new DomainError('NOT_FOUND', 'version of a search hit not found');
    return version;
  },
};

export const comparisonResolvers: VersionComparisonResolvers = {
  changes: (comparison) => comparison.changes,
  summary: (comparison) => countByKind(comparison.changes),
};
