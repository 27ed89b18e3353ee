import type { Change } from '../services/version-comparison.ts';
import type { Criterion, DiseaseSection, ContinuationExemption, Population } from '../domain/document.ts';
import type { Determination, DeterminationOutcome } from '../domain/determination.ts';
import type { VersionEntry } from '../services/version-catalog.ts';
import type { SearchRow } from '../store/search-store.ts';

/** What resolvers pass around: domain objects, never Prisma rows. */
export interface GuidelineModel {
  readonly id: string;
  readonly number: string;
}

export type VersionModel = VersionEntry;

export interface CriterionModel {
  readonly criterion: Criterion;
  readonly version: VersionEntry;
}

export interface DiseaseSectionModel {
  readonly section: DiseaseSection;
  readonly version: VersionEntry;
}

export interface PopulationModel {
  readonly population: Population;
  readonly sectionOrdinal: number;
  readonly version: VersionEntry;
}

export interface ContinuationModel {
  readonly continuation: ContinuationExemption;
  readonly version: VersionEntry;
}

export type DeterminationModel = Determination;

export interface ComparisonModel {
  readonly from: VersionEntry;
  readonly to: VersionEntry;
  readonly changes: readonly Change[];
}

export type SearchHitModel = SearchRow;

export interface SourceModel {
  readonly sha256: string;
  readonly text: string;
  readonly byteLength: number;
  readonly fileName: string;
}

export interface RuleSetModel {
  readonly version: VersionEntry;
}

export interface ImpactItemModel {
  readonly determination: Determination;
  readonly before: DeterminationOutcome;
  readonly after: DeterminationOutcome;
  readonly reasons: Determination['reasons'];
}

export interface ImpactAnalysisModel {
  readonly version: VersionEntry;
  readonly evaluated: number;
  readonly items: readonly ImpactItemModel[];
}
