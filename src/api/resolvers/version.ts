import type { Criterion, CriterionKind, Diagnostic } from '../../domain/document.ts';
import { allCriteria } from '../../domain/criteria.ts';
import { dateOf } from '../../domain/calendar.ts';
import { formatYearMonth } from '../../domain/document.ts';
import { populationKey } from '../../domain/population-key.ts';
import type { CriterionResolvers, DiseaseSectionResolvers, PopulationResolvers, ContinuationExemptionResolvers, GuidelineVersionResolvers, RuleSetInfoResolvers, SourceDocumentResolvers } from '../generated/resolvers-types.ts';
import { requirementOf } from '../../services/evaluate-request.ts';
import type { VersionEntry } from '../../services/version-catalog.ts';
import { toGlobalId } from '../global-id.ts';
import type { CriterionModel } from '../models.ts';
import { DomainError } from '../../domain/errors.ts';

const wrap = (version: VersionEntry, criteria: readonly Criterion[]): CriterionModel[] => criteria.map((criterion) => ({ criterion, version }));

export const versionResolvers: GuidelineVersionResolvers = {
  id: (version) => toGlobalId('GuidelineVersion', version.id),
  guideline: async (version, _args, context) => {
    const guideline = await context.loaders.guideline.load(version.guidelineId);
    if (!guideline) throw new DomainError('NOT_FOUND', 'guideline of this version not found');
    return guideline;
  },
  title: (version) => version.document.header.title,
  organization: (version) => version.document.header.organization,
  brandName: (version) => version.document.header.brandName,
  genericName: (version) => version.document.header.genericName,
  organizationNote: (version) => version.document.header.organizationNote,
  copyright: (version) => version.document.header.copyright,
  numberLineCells: (version) => [...version.document.header.numberLineCells],
  originalDate: (version) => formatYearMonth(version.document.header.originalDate),
  lastRevisedDate: (version) => formatYearMonth(version.document.header.lastRevisedDate),
  implementationDate: (version) => formatYearMonth(version.document.header.implementationDate),
  effectiveFrom: (version) => dateOf(version.effectiveFrom),
  effectiveTo: async (version, _args, context) => {
    const summaries = await context.loaders.versionsOfGuideline.load(version.guidelineId);
    const next = summaries.find((summary) => summary.effectiveFrom > version.effectiveFrom);
    return next ? dateOf(next.effectiveFrom) : null;
  },
  statement: (version) => [...version.document.statement.paragraphs],
  evidenceIntro: (version) => version.document.statement.evidenceIntro,
  evidenceSources: (version) => [...version.document.statement.evidenceSources],
  continuation: (version) => (version.document.continuation ? { continuation: version.document.continuation, version } : null),
  indications: (version) => version.document.indications.map((section) => ({ section, version })),
  contraindications: (version) => wrap(version, version.document.contraindications),
  contraindicationsNone: (version) => version.document.contraindicationsNone,
  boxedWarnings: (version) => wrap(version, version.document.boxedWarnings),
  warnings: (version) => wrap(version, version.document.warnings),
  exclusions: (version) => wrap(version, version.document.exclusions),
  criteria: (version, { kinds }) => wrap(version, allCriteria(version.document).filter((criterion) => !kinds || kinds.includes(criterion.kind as CriterionKind))),
  criterion: (version, { key }) => {
    const criterion = allCriteria(version.document).find((candidate) => candidate.key === key);
    return criterion ? { criterion, version } : null;
  },
  codes: (version) => [...version.document.codes],
  linesOfBusiness: (version) => [...version.document.linesOfBusiness],
  policyHistory: (version) => version.document.policyHistory.map((row) => ({ date: formatYearMonth(row.date), items: [...row.items], span: row.span })),
  approval: (version) => (version.document.approval ? { text: version.document.approval.committee, span: version.document.approval.span } : null),
  disclaimer: (version) => [...version.document.disclaimer],
  references: (version) => version.document.references.map((reference) => ({ ...reference })),
  source: (version) => version.source,
  // Stored as JSON: the parser's warnings, written from the Diagnostic type.
  diagnostics: (version) => version.diagnostics as readonly Diagnostic[],
  decidable: (version) => version.compiledRuleSet !== null,
  ruleSet: (version) => (version.ruleSet ? { version } : null),
  requirements: (version) => (version.compiledRuleSet ? version.compiledRuleSet.facts.map(requirementOf) : []),
};

export const criterionResolvers: CriterionResolvers = {
  id: ({ criterion, version }) => toGlobalId('Criterion', version.id, criterion.key),
  key: ({ criterion }) => criterion.key,
  kind: ({ criterion }) => criterion.kind,
  ordinal: ({ criterion }) => criterion.ordinal,
  text: ({ criterion }) => criterion.text,
  connective: ({ criterion }) => criterion.connective,
  limits: ({ criterion }) => criterion.limits.map((limit) => ({ ...limit, per: [...limit.per] })),
  children: ({ criterion, version }) => wrap(version, criterion.children),
  span: ({ criterion }) => criterion.span,
  version: ({ version }) => version,
};

export const diseaseSectionResolvers: DiseaseSectionResolvers = {
  ordinal: ({ section }) => section.ordinal,
  heading: ({ section }) => section.heading,
  name: ({ section }) => section.name,
  abbreviation: ({ section }) => section.abbreviation,
  qualifier: ({ section }) => section.qualifier,
  populations: ({ section, version }) => section.populations.map((population) => ({ population, sectionOrdinal: section.ordinal, version })),
  population: ({ section, version }) => {
    const [first] = section.populations;
    return first ? { population: first, sectionOrdinal: section.ordinal, version } : null;
  },
  scenarios: ({ section, version }) => wrap(version, section.populations.flatMap((population) => population.scenarios)),
  span: ({ section }) => section.span,
};

export const populationResolvers: PopulationResolvers = {
  ordinal: ({ population }) => population.ordinal,
  key: ({ population, sectionOrdinal }) => populationKey(sectionOrdinal, population.ordinal),
  text: ({ population }) => population.text,
  groups: ({ population }) => [...population.groups],
  minimumAge: ({ population }) => population.minimumAge,
  markers: ({ population }) => [...population.markers],
  condition: ({ population }) => population.condition,
  scenarios: ({ population, version }) => wrap(version, population.scenarios),
  span: ({ population }) => population.span,
};

export const continuationResolvers: ContinuationExemptionResolvers = {
  preamble: ({ continuation }) => continuation.preamble,
  conditions: ({ continuation, version }) => wrap(version, continuation.conditions),
  span: ({ continuation }) => continuation.span,
};

export const sourceResolvers: SourceDocumentResolvers = {
  lines: (source, { startLine, endLine }) => {
    if (startLine < 1 || endLine < startLine || endLine - startLine > 10_000) throw new DomainError('BAD_USER_INPUT', 'lines: need 1 ≤ startLine ≤ endLine, at most 10000 lines', [{ field: 'startLine', message: 'bad range' }]);
    return source.text.split(/\r\n|\r|\n/).slice(startLine - 1, endLine);
  },
};

export const ruleSetResolvers: RuleSetInfoResolvers = {
  name: ({ version }) => version.ruleSet?.name ?? '',
  sha256: ({ version }) => version.ruleSet?.sha256 ?? '',
  reviewedBy: ({ version }) => version.ruleSet?.reviewedBy ?? '',
  reviewedOn: ({ version }) => version.ruleSet?.reviewedOn ?? '',
  interpretations: ({ version }) => (version.ruleSetSource?.interpretations ?? []).map((item) => ({ ...item, criterionKeys: [...item.criterionKeys] })),
};
