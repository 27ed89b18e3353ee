import type { Resolvers } from '../generated/resolvers-types.ts';
import { DateScalar, DateTimeScalar, JSONScalar, YearMonthScalar } from './scalars.ts';
import { comparisonResolvers, determinationResolvers, impactAnalysisResolvers, searchHitResolvers } from './determination.ts';
import { guidelineResolvers } from './guideline.ts';
import { auditQueryResolvers, determinationReviewResolvers, reviewMutationResolvers, reviewResolvers } from './audit.ts';
import { mutationResolvers, queryResolvers } from './root.ts';
import { continuationResolvers, criterionResolvers, diseaseSectionResolvers, populationResolvers, ruleSetResolvers, sourceResolvers, versionResolvers } from './version.ts';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  YearMonth: YearMonthScalar,
  JSON: JSONScalar,
  Node: {
    __resolveType: (node) => (node as { __typename?: 'Guideline' | 'GuidelineVersion' | 'Criterion' | 'Determination' }).__typename ?? null,
  },
  Query: { ...queryResolvers, ...auditQueryResolvers },
  Mutation: { ...mutationResolvers, ...reviewMutationResolvers },
  Guideline: guidelineResolvers,
  GuidelineVersion: versionResolvers,
  Criterion: criterionResolvers,
  DiseaseSection: diseaseSectionResolvers,
  Population: populationResolvers,
  ContinuationExemption: continuationResolvers,
  SourceDocument: sourceResolvers,
  RuleSetInfo: ruleSetResolvers,
  Determination: { ...determinationResolvers, ...determinationReviewResolvers },
  Review: reviewResolvers,
  ImpactAnalysis: impactAnalysisResolvers,
  SearchHit: searchHitResolvers,
  VersionComparison: comparisonResolvers,
};
