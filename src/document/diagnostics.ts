import type { Diagnostic, DiagnosticSeverity } from '../domain/document.ts';

/** Stable diagnostic codes of the parse stage. Consumers match on these, never on messages. */
export const ParseCode = {
  EmptyDocument: 'PARSE_EMPTY_DOCUMENT',
  BinaryContent: 'PARSE_BINARY_CONTENT',
  MissingTitle: 'PARSE_MISSING_TITLE',
  MalformedTitle: 'PARSE_MALFORMED_TITLE',
  MissingGuidelineNumber: 'PARSE_MISSING_GUIDELINE_NUMBER',
  MissingDate: 'PARSE_MISSING_DATE',
  InvalidDate: 'PARSE_INVALID_DATE',
  DateOrder: 'PARSE_DATE_ORDER',
  MissingSection: 'PARSE_MISSING_SECTION',
  Truncated: 'PARSE_TRUNCATED',
  DuplicateSection: 'PARSE_DUPLICATE_SECTION',
  UnknownSection: 'PARSE_UNKNOWN_SECTION',
  NoIndications: 'PARSE_NO_INDICATIONS',
  NoScenarios: 'PARSE_NO_SCENARIOS',
  NoCodes: 'PARSE_NO_CODES',
  MalformedCode: 'PARSE_MALFORMED_CODE',
  NoLinesOfBusiness: 'PARSE_NO_LINES_OF_BUSINESS',
  DuplicateLineOfBusiness: 'PARSE_DUPLICATE_LINE_OF_BUSINESS',
  MalformedHistoryRow: 'PARSE_MALFORMED_HISTORY_ROW',
  MalformedReference: 'PARSE_MALFORMED_REFERENCE',
  ReferenceNumbering: 'PARSE_REFERENCE_NUMBERING',
  DuplicateReference: 'PARSE_DUPLICATE_REFERENCE',
  OrganizationNameMismatch: 'PARSE_ORGANIZATION_NAME_MISMATCH',
  UnknownWarningGroup: 'PARSE_UNKNOWN_WARNING_GROUP',
  UnrecognizedLine: 'PARSE_UNRECOGNIZED_LINE',
  WrappedLine: 'PARSE_WRAPPED_LINE',
  DuplicateCriterion: 'PARSE_DUPLICATE_CRITERION',
  LineTooLong: 'PARSE_LINE_TOO_LONG',
  UnreadLimit: 'PARSE_UNREAD_LIMIT',
  NoPopulation: 'PARSE_NO_POPULATION',
  PopulationAsScenario: 'PARSE_POPULATION_AS_SCENARIO',
  NoContraindications: 'PARSE_NO_CONTRAINDICATIONS',
  EmptyWarningGroup: 'PARSE_EMPTY_WARNING_GROUP',
  NoExclusions: 'PARSE_NO_EXCLUSIONS',
  NoContinuationConditions: 'PARSE_NO_CONTINUATION_CONDITIONS',
  NoReferences: 'PARSE_NO_REFERENCES',
  UnintroducedSublist: 'PARSE_UNINTRODUCED_SUBLIST',
  TooDeep: 'PARSE_TOO_DEEP',
  TableOfContentsMismatch: 'PARSE_TOC_MISMATCH',
  TooManyDiagnostics: 'PARSE_TOO_MANY_DIAGNOSTICS',
} as const;

export type ParseCode = (typeof ParseCode)[keyof typeof ParseCode];

/**
 * A document with more diagnostics of one severity than this is reported by its first ones and a
 * count: a flood of messages helps no one, and a hostile document must not make a huge answer.
 */
export const MAX_DIAGNOSTICS = 200;

export class DiagnosticCollector {
  readonly #items: Diagnostic[] = [];
  readonly #kept = { error: 0, warning: 0, info: 0 };
  #dropped = 0;
  #droppedErrors = 0;

  add(severity: DiagnosticSeverity, code: ParseCode, line: number, message: string): void {
    if (this.#kept[severity] >= MAX_DIAGNOSTICS) {
      this.#dropped += 1;
      if (severity === 'error') this.#droppedErrors += 1;
      return;
    }
    this.#kept[severity] += 1;
    this.#items.push({ code, severity, message, line });
  }

  error(code: ParseCode, line: number, message: string): void {
    this.add('error', code, line, message);
  }

  warning(code: ParseCode, line: number, message: string): void {
    this.add('warning', code, line, message);
  }

  info(code: ParseCode, line: number, message: string): void {
    this.add('info', code, line, message);
  }

  hasErrors(): boolean {
    return this.#droppedErrors > 0 || this.#items.some((item) => item.severity === 'error');
  }

  /** Sorted by line, then severity, then code, so output is deterministic. */
  sorted(): Diagnostic[] {
    const rank = { error: 0, warning: 1, info: 2 } as const;
    const sorted = [...this.#items].sort(
      (a, b) => a.line - b.line || rank[a.severity] - rank[b.severity] || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
    );
    if (this.#dropped === 0) return sorted;
    const last = Math.max(0, ...sorted.map((item) => item.line));
    return [...sorted, { code: ParseCode.TooManyDiagnostics, severity: this.#droppedErrors > 0 ? 'error' : 'warning', message: `${this.#dropped} more diagnostics (${this.#droppedErrors} errors) not listed`, line: last }];
  }
}
