import type { Criterion, GuidelineDocument, Paragraph } from '../domain/document.ts';
import { formatYearMonth } from '../domain/document.ts';
import { populationKey } from '../domain/population-key.ts';

/**
 * Flat rows for one guideline version, ready to insert table by table. Pure: ids come from the
 * caller, so the same document always maps to the same rows.
 */
export interface VersionRecords {
  readonly version: VersionRow;
  readonly passages: PassageRow[];
  readonly diseaseSections: DiseaseSectionRow[];
  readonly populations: PopulationRow[];
  readonly criteria: CriterionRow[];
  readonly limits: LimitRow[];
  readonly codes: CodeRow[];
  readonly linesOfBusiness: LineOfBusinessRow[];
  readonly policyHistory: HistoryRow[];
  readonly references: ReferenceRow[];
  /** Derived from the rows above: one searchable passage each (never read back into the tree). */
  readonly searchEntries: SearchEntryRow[];
}

export interface SearchEntryRow { id: string; versionId: string; section: string; key: string; text: string }

type Json = unknown;

export interface VersionRow {
  id: string; guidelineId: string; sourceDocumentId: string; parserVersion: string;
  title: string; organization: string; brandName: string; genericName: string; brandNameKey: string; genericNameKey: string;
  numberLineCells: Json; organizationNote: string; copyright: string;
  originalMonth: string; lastRevisedMonth: string; implementationMonth: string; effectiveFrom: Date;
  headerSpans: Json; tableOfContents: Json; headings: Json;
  evidenceIntro: string; evidenceStartLine: number; evidenceEndLine: number;
  continuationPreamble: string | null; continuationStartLine: number | null; continuationEndLine: number | null;
  approvalCommittee: string | null; approvalStartLine: number | null; approvalEndLine: number | null;
  diagnostics: Json;
}
export interface PassageRow {
  id: string; versionId: string; section: 'STATEMENT' | 'EVIDENCE_SOURCE' | 'DISCLAIMER' | 'UNRECOGNIZED' | 'CONTRAINDICATIONS_NONE'; ordinal: number; text: string; startLine: number; endLine: number;
}
export interface DiseaseSectionRow {
  id: string; versionId: string; ordinal: number; heading: string; name: string; abbreviation: string | null; qualifier: string | null;
  startLine: number; endLine: number;
}
export interface PopulationRow {
  id: string; versionId: string; diseaseSectionId: string; ordinal: number; text: string; groups: Json; minimumAgeValue: number | null;
  minimumAgeUnit: string | null; minimumAgeText: string | null; markers: Json; condition: string | null; startLine: number; endLine: number;
}
export interface CriterionRow {
  id: string; versionId: string; key: string; kind: Criterion['kind']; ordinal: number; text: string; connective: string | null;
  parentId: string | null; diseaseSectionId: string | null; populationOrdinal: number | null; startLine: number; endLine: number;
}
export interface LimitRow {
  id: string; criterionId: string; ordinal: number; kind: 'MAX_DOSE' | 'MAX_DURATION'; amount: number; unit: string; per: Json;
  capAmount: number | null; capUnit: string | null; intervalAmount: number | null; intervalUnit: string | null;
  qualifier: string | null; condition: string | null; alternative: boolean; sourceText: string;
}
export interface CodeRow { id: string; versionId: string; ordinal: number; system: string; code: string; description: string; unitAmount: number | null; unit: string | null; unitText: string | null; startLine: number; endLine: number }
export interface LineOfBusinessRow { id: string; versionId: string; ordinal: number; code: string; label: string; applicable: boolean; startLine: number; endLine: number }
export interface HistoryRow { id: string; versionId: string; ordinal: number; month: string; items: Json; startLine: number; endLine: number }
export interface ReferenceRow {
  id: string; versionId: string; ordinal: number; citation: string; authors: string | null; title: string | null; journal: string | null;
  publication: string | null; year: number | null; doi: string | null; url: string | null; duplicateOfOrdinal: number | null; startLine: number; endLine: number;
}

export interface RecordIds {
  readonly versionId: string;
  readonly guidelineId: string;
  readonly sourceDocumentId: string;
  newId(): string;
}

/** Bumped whenever the parser's output for the same text can change. */
export const PARSER_VERSION = 'evolut-template/2';

export function effectiveFromOf(document: GuidelineDocument): Date {
  const { year, month } = document.header.implementationDate;
  return new Date(Date.UTC(year, month - 1, 1));
}

export function toVersionRecords(document: GuidelineDocument, diagnostics: unknown, ids: RecordIds): VersionRecords {
  const { header } = document;
  const versionId = ids.versionId;
  const passages: PassageRow[] = [];
  const addPassages = (section: PassageRow['section'], paragraphs: readonly Paragraph[]): void => {
    paragraphs.forEach((paragraph, index) => passages.push({ id: ids.newId(), versionId, section, ordinal: index + 1, text: paragraph.text, ...paragraph.span }));
  };
  addPassages('STATEMENT', document.statement.paragraphs);
  addPassages('EVIDENCE_SOURCE', document.statement.evidenceSources);
  addPassages('DISCLAIMER', document.disclaimer);
  addPassages('UNRECOGNIZED', document.unrecognized);
  addPassages('CONTRAINDICATIONS_NONE', document.contraindicationsNone ? [document.contraindicationsNone] : []);

  const criteria: CriterionRow[] = [];
  const limits: LimitRow[] = [];
  const addCriteria = (items: readonly Criterion[], parentId: string | null, diseaseSectionId: string | null, populationOrdinal: number | null): void => {
    for (const item of items) {
      const id = ids.newId();
      criteria.push({ id, versionId, key: item.key, kind: item.kind, ordinal: item.ordinal, text: item.text, connective: item.connective, parentId, diseaseSectionId, populationOrdinal, ...item.span });
      item.limits.forEach((limit, index) => limits.push({
        id: ids.newId(), criterionId: id, ordinal: index + 1, kind: limit.kind, amount: limit.amount, unit: limit.unit, per: limit.per,
        capAmount: limit.cap?.amount ?? null, capUnit: limit.cap?.unit ?? null, intervalAmount: limit.interval?.amount ?? null, intervalUnit: limit.interval?.unit ?? null,
        qualifier: limit.qualifier, condition: limit.condition, alternative: limit.alternative, sourceText: limit.sourceText,
      }));
      addCriteria(item.children, id, diseaseSectionId, populationOrdinal);
    }
  };
  addCriteria(document.continuation?.conditions ?? [], null, null, null);
  const populations: PopulationRow[] = [];
  const diseaseSections = document.indications.map((section): DiseaseSectionRow => {
    const id = ids.newId();
    for (const population of section.populations) {
      populations.push({
        id: ids.newId(), versionId, diseaseSectionId: id, ordinal: population.ordinal, text: population.text, groups: population.groups,
        minimumAgeValue: population.minimumAge?.value ?? null, minimumAgeUnit: population.minimumAge?.unit ?? null, minimumAgeText: population.minimumAge?.text ?? null,
        markers: population.markers, condition: population.condition, ...population.span,
      });
      addCriteria(population.scenarios, null, id, population.ordinal);
    }
    return { id, versionId, ordinal: section.ordinal, heading: section.heading, name: section.name, abbreviation: section.abbreviation, qualifier: section.qualifier, ...section.span };
  });
  addCriteria(document.contraindications, null, null, null);
  addCriteria(document.boxedWarnings, null, null, null);
  addCriteria(document.warnings, null, null, null);
  addCriteria(document.exclusions, null, null, null);

  const searchEntries: SearchEntryRow[] = [
    ...criteria.map((row) => ({ id: ids.newId(), versionId, section: row.kind, key: row.key, text: row.text })),
    ...document.indications.flatMap((section) => [
      { id: ids.newId(), versionId, section: 'DISEASE_SECTION', key: `SECTION-${section.ordinal}`, text: section.heading },
      ...section.populations.map((population) => ({ id: ids.newId(), versionId, section: 'POPULATION', key: populationKey(section.ordinal, population.ordinal), text: population.text })),
    ]),
    ...document.statement.paragraphs.map((paragraph, index) => ({ id: ids.newId(), versionId, section: 'STATEMENT', key: `STATEMENT-${index + 1}`, text: paragraph.text })),
    ...document.codes.map((code) => ({ id: ids.newId(), versionId, section: 'CODE', key: `CODE-${code.code}`, text: `${code.code} ${code.description}` })),
    ...document.references.map((reference) => ({ id: ids.newId(), versionId, section: 'REFERENCE', key: `REF-${reference.ordinal}`, text: reference.citation })),
  ];

  return {
    searchEntries,
    version: {
      id: versionId, guidelineId: ids.guidelineId, sourceDocumentId: ids.sourceDocumentId, parserVersion: PARSER_VERSION,
      title: header.title, organization: header.organization, brandName: header.brandName, genericName: header.genericName,
      brandNameKey: header.brandName.toLowerCase(), genericNameKey: header.genericName.toLowerCase(),
      numberLineCells: header.numberLineCells, organizationNote: header.organizationNote, copyright: header.copyright,
      originalMonth: formatYearMonth(header.originalDate), lastRevisedMonth: formatYearMonth(header.lastRevisedDate),
      implementationMonth: formatYearMonth(header.implementationDate), effectiveFrom: effectiveFromOf(document),
      headerSpans: { title: header.titleSpan, number: header.numberSpan, organization: header.organizationSpan, dates: header.datesSpan },
      tableOfContents: document.tableOfContents, headings: document.headings,
      evidenceIntro: document.statement.evidenceIntro, evidenceStartLine: document.statement.evidenceSpan.startLine, evidenceEndLine: document.statement.evidenceSpan.endLine,
      continuationPreamble: document.continuation?.preamble ?? null,
      continuationStartLine: document.continuation?.span.startLine ?? null,
      continuationEndLine: document.continuation?.span.endLine ?? null,
      approvalCommittee: document.approval?.committee ?? null,
      approvalStartLine: document.approval?.span.startLine ?? null,
      approvalEndLine: document.approval?.span.endLine ?? null,
      diagnostics,
    },
    passages,
    diseaseSections,
    populations,
    criteria,
    limits,
    codes: document.codes.map((code) => ({
      id: ids.newId(), versionId, ordinal: code.ordinal, system: code.system, code: code.code, description: code.description,
      unitAmount: code.billingUnit?.amount ?? null, unit: code.billingUnit?.unit ?? null, unitText: code.billingUnit?.text ?? null, ...code.span,
    })),
    linesOfBusiness: document.linesOfBusiness.map((line) => ({ id: ids.newId(), versionId, ordinal: line.ordinal, code: line.code, label: line.label, applicable: line.applicable, ...line.span })),
    policyHistory: document.policyHistory.map((row) => ({ id: ids.newId(), versionId, ordinal: row.ordinal, month: formatYearMonth(row.date), items: row.items, ...row.span })),
    references: document.references.map((reference) => ({
      id: ids.newId(), versionId, ordinal: reference.ordinal, citation: reference.citation, authors: reference.authors, title: reference.title,
      journal: reference.journal, publication: reference.publication, year: reference.year, doi: reference.doi, url: reference.url,
      duplicateOfOrdinal: reference.duplicateOf, ...reference.span,
    })),
  };
}
