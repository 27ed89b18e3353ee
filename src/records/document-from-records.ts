import type {
  Criterion, CriterionKind, GuidelineDocument, Heading, MinimumAge, Paragraph, Population, SourceSpan, TableOfContentsEntry, YearMonth,
} from '../domain/document.ts';
import type { CriterionRow, LimitRow, PassageRow, PopulationRow, VersionRecords } from './version-records.ts';

function yearMonth(value: string): YearMonth {
  const [year = 0, month = 0] = value.split('-').map(Number);
  return { year, month };
}

function span(row: { startLine: number; endLine: number }): SourceSpan {
  return { startLine: row.startLine, endLine: row.endLine };
}

const byOrdinal = <T extends { ordinal: number }>(a: T, b: T): number => a.ordinal - b.ordinal;

interface HeaderSpans {
  title: SourceSpan;
  number: SourceSpan;
  organization: SourceSpan;
  dates: SourceSpan;
}

/** Rebuilds the parsed tree from stored rows: the inverse of toVersionRecords (the round-trip tests hold it to that). */
export function documentFromRecords(records: Omit<VersionRecords, 'version'> & { version: VersionRecords['version'] }, guidelineNumber: string): GuidelineDocument {
  const { version } = records;
  const headerSpans = version.headerSpans as HeaderSpans;
  const passages = (section: PassageRow['section']): Paragraph[] =>
    records.passages.filter((row) => row.section === section).sort(byOrdinal).map((row) => ({ text: row.text, span: span(row) }));

  const limitsByCriterion = new Map<string, LimitRow[]>();
  for (const limit of records.limits) limitsByCriterion.set(limit.criterionId, [...(limitsByCriterion.get(limit.criterionId) ?? []), limit]);
  const childrenByParent = new Map<string, CriterionRow[]>();
  for (const row of records.criteria) if (row.parentId) childrenByParent.set(row.parentId, [...(childrenByParent.get(row.parentId) ?? []), row]);

  const toCriterion = (row: CriterionRow): Criterion => ({
    key: row.key,
    kind: row.kind,
    ordinal: row.ordinal,
    text: row.text,
    connective: row.connective === 'AND' || row.connective === 'OR' ? row.connective : null,
    limits: (limitsByCriterion.get(row.id) ?? []).sort(byOrdinal).map((limit) => ({
      kind: limit.kind, amount: limit.amount, unit: limit.unit, per: limit.per as string[],
      cap: limit.capAmount === null || limit.capUnit === null ? null : { amount: limit.capAmount, unit: limit.capUnit },
      interval: limit.intervalAmount === null || limit.intervalUnit === null ? null : { amount: limit.intervalAmount, unit: limit.intervalUnit },
      qualifier: limit.qualifier, condition: limit.condition, alternative: limit.alternative, sourceText: limit.sourceText,
    })),
    children: (childrenByParent.get(row.id) ?? []).sort(byOrdinal).map(toCriterion),
    span: span(row),
  });
  const topLevel = (kind: CriterionKind, diseaseSectionId: string | null = null, populationOrdinal: number | null = null): Criterion[] =>
    records.criteria
      .filter((row) => row.kind === kind && row.parentId === null && row.diseaseSectionId === diseaseSectionId && row.populationOrdinal === populationOrdinal)
      .sort(byOrdinal)
      .map(toCriterion);
  const populationsOf = (diseaseSectionId: string): Population[] =>
    records.populations
      .filter((row) => row.diseaseSectionId === diseaseSectionId)
      .sort(byOrdinal)
      .map((row) => populationOf(row, topLevel('INDICATION_SCENARIO', diseaseSectionId, row.ordinal)));

  return {
    header: {
      title: version.title,
      titleSpan: headerSpans.title,
      organization: version.organization,
      brandName: version.brandName,
      genericName: version.genericName,
      guidelineNumber,
      numberLineCells: version.numberLineCells as string[],
      numberSpan: headerSpans.number,
      organizationNote: version.organizationNote,
      copyright: version.copyright,
      organizationSpan: headerSpans.organization,
      originalDate: yearMonth(version.originalMonth),
      lastRevisedDate: yearMonth(version.lastRevisedMonth),
      implementationDate: yearMonth(version.implementationMonth),
      datesSpan: headerSpans.dates,
    },
    tableOfContents: version.tableOfContents as TableOfContentsEntry[],
    headings: version.headings as Heading[],
    statement: {
      paragraphs: passages('STATEMENT'),
      evidenceIntro: version.evidenceIntro,
      evidenceSources: passages('EVIDENCE_SOURCE'),
      evidenceSpan: { startLine: version.evidenceStartLine, endLine: version.evidenceEndLine },
    },
    continuation:
      version.continuationPreamble === null
        ? null
        : {
            preamble: version.continuationPreamble,
            conditions: topLevel('CONTINUATION_CONDITION'),
            span: { startLine: version.continuationStartLine ?? 0, endLine: version.continuationEndLine ?? 0 },
          },
    indications: [...records.diseaseSections].sort(byOrdinal).map((section) => ({
      ordinal: section.ordinal,
      heading: section.heading,
      name: section.name,
      abbreviation: section.abbreviation,
      qualifier: section.qualifier,
      populations: populationsOf(section.id),
      span: span(section),
    })),
    contraindications: topLevel('CONTRAINDICATION'),
    contraindicationsNone: passages('CONTRAINDICATIONS_NONE')[0] ?? null,
    boxedWarnings: topLevel('BOXED_WARNING'),
    warnings: topLevel('WARNING'),
    exclusions: topLevel('EXCLUSION'),
    codes: [...records.codes].sort(byOrdinal).map((code) => ({
      ordinal: code.ordinal,
      system: code.system as GuidelineDocument['codes'][number]['system'],
      code: code.code,
      description: code.description,
      billingUnit: code.unitAmount === null || code.unit === null ? null : { amount: code.unitAmount, unit: code.unit, text: code.unitText ?? '' },
      span: span(code),
    })),
    linesOfBusiness: [...records.linesOfBusiness].sort(byOrdinal).map((line) => ({
      ordinal: line.ordinal, code: line.code, label: line.label, applicable: line.applicable, span: span(line),
    })),
    policyHistory: [...records.policyHistory].sort(byOrdinal).map((row) => ({
      ordinal: row.ordinal, date: yearMonth(row.month), items: row.items as string[], span: span(row),
    })),
    approval:
      version.approvalCommittee === null
        ? null
        : { committee: version.approvalCommittee, span: { startLine: version.approvalStartLine ?? 0, endLine: version.approvalEndLine ?? 0 } },
    disclaimer: passages('DISCLAIMER'),
    references: [...records.references].sort(byOrdinal).map((reference) => ({
      ordinal: reference.ordinal, citation: reference.citation, authors: reference.authors, title: reference.title, journal: reference.journal,
      publication: reference.publication, year: reference.year, doi: reference.doi, url: reference.url, duplicateOf: reference.duplicateOfOrdinal,
      span: span(reference),
    })),
    unrecognized: passages('UNRECOGNIZED'),
  };
}

function populationOf(row: PopulationRow, scenarios: Criterion[]): Population {
  const minimumAge: MinimumAge | null =
    row.minimumAgeValue === null ? null : { value: row.minimumAgeValue, unit: row.minimumAgeUnit as MinimumAge['unit'], text: row.minimumAgeText ?? '' };
  return {
    ordinal: row.ordinal,
    text: row.text,
    groups: row.groups as Population['groups'],
    minimumAge,
    markers: row.markers as string[],
    condition: row.condition,
    scenarios,
    span: span(row),
  };
}
