/**
 * The typed tree of one guideline document, as the parser produces it and as the store rebuilds it.
 * Every node carries the source lines it came from, so any answer can point back to the text.
 */

/** 1-based, inclusive line range in the source document. */
export interface SourceSpan {
  readonly startLine: number;
  readonly endLine: number;
}

/** A calendar month: guideline dates have month precision ("January 2026"). */
export interface YearMonth {
  readonly year: number;
  readonly month: number;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly code: string;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly line: number;
  /** The file the line is in, when it is not the guideline document itself (a rule set). */
  readonly file?: string;
  readonly column?: number;
  /** For a mismatch: what the version says, and what was found instead. */
  readonly expected?: string;
  readonly found?: string;
  /** What to change. */
  readonly hint?: string;
}

export interface Paragraph {
  readonly text: string;
  readonly span: SourceSpan;
}

export interface GuidelineHeader {
  readonly title: string;
  readonly titleSpan: SourceSpan;
  readonly organization: string;
  readonly brandName: string;
  readonly genericName: string;
  readonly guidelineNumber: string;
  /** Other cells on the guideline-number line, such as the "Applicable Codes" link label. */
  readonly numberLineCells: readonly string[];
  readonly numberSpan: SourceSpan;
  /** The organization line: the name definition and the copyright notice. */
  readonly organizationNote: string;
  readonly copyright: string;
  readonly organizationSpan: SourceSpan;
  readonly originalDate: YearMonth;
  readonly lastRevisedDate: YearMonth;
  readonly implementationDate: YearMonth;
  readonly datesSpan: SourceSpan;
}

export interface TableOfContentsEntry {
  readonly title: string;
  readonly page: number | null;
  readonly span: SourceSpan;
}

export interface Statement {
  readonly paragraphs: readonly Paragraph[];
  /** The sentence that introduces the evidence sources, without the list itself. */
  readonly evidenceIntro: string;
  readonly evidenceSources: readonly Paragraph[];
  readonly evidenceSpan: SourceSpan;
}

export type Connective = 'AND' | 'OR';

export type CriterionKind =
  | 'CONTINUATION_CONDITION'
  | 'INDICATION_SCENARIO'
  | 'CONTRAINDICATION'
  | 'BOXED_WARNING'
  | 'WARNING'
  | 'EXCLUSION'
  | 'EXCLUSION_DETAIL';

export type LimitKind = 'MAX_DOSE' | 'MAX_DURATION';

/** An amount with a normalized unit, e.g. 180 mg or 3 week. */
export interface Quantity {
  readonly amount: number;
  readonly unit: string;
}

/**
 * A quantitative limit read from criterion text, e.g. 28 mcg/day, 4 cycles, or
 * "1.8 mg/kg up to a maximum of 180 mg every 3 weeks". Every number of a limit criterion lands in a
 * field here, or the document is refused.
 */
export interface QuantitativeLimit {
  readonly kind: LimitKind;
  readonly amount: number;
  /** Normalized unit: mcg, mg, g, mL, unit for doses; cycle, month, week, day, dose, year for durations. */
  readonly unit: string;
  /** What the amount is per: day, dose, cycle, week, infusion, m2 (body surface area), kg (body weight). */
  readonly per: readonly string[];
  /** The absolute ceiling of a weight- or surface-based dose: "up to a maximum of 180 mg". */
  readonly cap: Quantity | null;
  /** How often the dose may be given: "every 3 weeks" is { amount: 3, unit: 'week' }. */
  readonly interval: Quantity | null;
  /** Therapy phase the limit applies to ("when used as induction and/or consolidation therapy"). */
  readonly qualifier: string | null;
  /** Any other circumstance the limit is stated for: "when used in combination with nivolumab", "for members proceeding to …". */
  readonly condition: string | null;
  /**
   * True for the second part of a two-part limit ("6 cycles, or 3 cycles for members proceeding to
   * transplant"): it replaces the first part when its qualifier or condition holds.
   */
  readonly alternative: boolean;
  /** The exact words the limit was read from. */
  readonly sourceText: string;
}

export interface Criterion {
  /** Stable across revisions while the text (and its place in the guideline) is unchanged. */
  readonly key: string;
  readonly kind: CriterionKind;
  readonly ordinal: number;
  readonly text: string;
  /** How this item joins the next one, when the text says so ("… AND"). */
  readonly connective: Connective | null;
  readonly limits: readonly QuantitativeLimit[];
  readonly children: readonly Criterion[];
  readonly span: SourceSpan;
}

export interface MinimumAge {
  readonly value: number;
  readonly unit: 'day' | 'week' | 'month' | 'year';
  readonly text: string;
}

/** A population line of a disease section ("… may be used in adult members … in the following scenarios:") and its scenarios. */
export interface Population {
  readonly ordinal: number;
  readonly text: string;
  readonly groups: readonly ('adult' | 'pediatric')[];
  readonly minimumAge: MinimumAge | null;
  /** Biomarkers the population requires, e.g. "CD19-positive". */
  readonly markers: readonly string[];
  /** The disease as the population line names it, e.g. "B-cell ALL". */
  readonly condition: string | null;
  /** The scenarios this population may be treated in (the sub-bullets of the population line). */
  readonly scenarios: readonly Criterion[];
  /** The population line itself (its scenarios have spans of their own). */
  readonly span: SourceSpan;
}

export interface DiseaseSection {
  readonly ordinal: number;
  readonly heading: string;
  readonly name: string;
  readonly abbreviation: string | null;
  readonly qualifier: string | null;
  /** One or more population lines, each with its own scenarios (e.g. adult members, then pediatric members). */
  readonly populations: readonly Population[];
  readonly span: SourceSpan;
}

export interface ContinuationExemption {
  readonly preamble: string;
  readonly conditions: readonly Criterion[];
  readonly span: SourceSpan;
}

export interface BillingUnit {
  readonly amount: number;
  readonly unit: string;
  readonly text: string;
}

export interface BillingCode {
  readonly ordinal: number;
  readonly system: 'HCPCS' | 'CPT' | 'NDC' | 'OTHER';
  readonly code: string;
  readonly description: string;
  readonly billingUnit: BillingUnit | null;
  readonly span: SourceSpan;
}

export interface LineOfBusiness {
  readonly ordinal: number;
  /** Stable identifier, e.g. MEDICARE_ADVANTAGE. */
  readonly code: string;
  readonly label: string;
  readonly applicable: boolean;
  readonly span: SourceSpan;
}

export interface PolicyHistoryEntry {
  readonly ordinal: number;
  readonly date: YearMonth;
  readonly items: readonly string[];
  readonly span: SourceSpan;
}

export interface Reference {
  readonly ordinal: number;
  readonly citation: string;
  readonly authors: string | null;
  readonly title: string | null;
  readonly journal: string | null;
  readonly publication: string | null;
  readonly year: number | null;
  readonly doi: string | null;
  readonly url: string | null;
  /** Ordinal of an earlier reference this one repeats; both stay in the document. */
  readonly duplicateOf: number | null;
  readonly span: SourceSpan;
}

export interface Approval {
  readonly committee: string;
  readonly span: SourceSpan;
}

/** A heading line of the template (section or sub-section), kept so every line has a node. */
export interface Heading {
  readonly text: string;
  readonly level: 1 | 2 | 3;
  readonly span: SourceSpan;
}

export interface GuidelineDocument {
  readonly header: GuidelineHeader;
  readonly tableOfContents: readonly TableOfContentsEntry[];
  readonly headings: readonly Heading[];
  readonly statement: Statement;
  readonly continuation: ContinuationExemption | null;
  readonly indications: readonly DiseaseSection[];
  readonly contraindications: readonly Criterion[];
  /** "None listed in the product labeling.": an explicit statement that there are none (not a criterion). */
  readonly contraindicationsNone: Paragraph | null;
  readonly boxedWarnings: readonly Criterion[];
  readonly warnings: readonly Criterion[];
  readonly exclusions: readonly Criterion[];
  readonly codes: readonly BillingCode[];
  readonly linesOfBusiness: readonly LineOfBusiness[];
  readonly policyHistory: readonly PolicyHistoryEntry[];
  readonly approval: Approval | null;
  readonly disclaimer: readonly Paragraph[];
  readonly references: readonly Reference[];
  /**
   * Lines the grammar did not recognize, kept verbatim. Every such line is an error, so a published
   * version has none; the field stays so a refused parse can still show what was not read.
   */
  readonly unrecognized: readonly Paragraph[];
}

export interface ParseResult {
  /** Null when errors make the document unusable; diagnostics then say why. */
  readonly document: GuidelineDocument | null;
  readonly diagnostics: readonly Diagnostic[];
}

export function formatYearMonth(value: YearMonth): string {
  return `${value.year}-${String(value.month).padStart(2, '0')}`;
}
