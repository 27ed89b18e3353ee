import type { GuidelineDocument, GuidelineHeader, Paragraph, ParseResult } from '../domain/document.ts';
import { toBlocks } from './blocks.ts';
import {
  blocksToParagraphs, bulletTree, parseApproval, parseCodes, parseExclusions, parseLinesOfBusiness, parsePolicyHistory,
  parseReferences, parseStatement, parseWarningGroups,
} from './body-sections.ts';
import type { CriterionContext } from './criteria.ts';
import { compareYearMonth } from './dates.ts';
import { DiagnosticCollector, ParseCode } from './diagnostics.ts';
import { checkOrganizationNames } from './organization-names.ts';
import { parseHeader, parseTableOfContents } from './header.ts';
import { parseIndications } from './indications.ts';
import { normalizeSpace, inlineText } from './inline-html.ts';
import type { SectionTitle, Segmented } from './sections.ts';
import { segment } from './sections.ts';
import type { SourceLine } from './source-lines.ts';
import { isBlank, spanOf, splitLines } from './source-lines.ts';

/**
 * Every section of the template is required: a document missing one is most likely truncated or
 * mangled, and a published version must be whole. Only the table of contents is optional.
 */
const REQUIRED_SECTIONS: readonly SectionTitle[] = [
  'STATEMENT', 'INDICATIONS', 'CONTRAINDICATIONS/WARNINGS', 'EXCLUSION CRITERIA', 'CODING AND STANDARDS', 'POLICY HISTORY', 'LEGAL AND COMPLIANCE', 'REFERENCES',
];

/**
 * Parses one guideline document of the Evolut/Evolent template. Pure: text in, typed tree and
 * diagnostics out. The document is null when any error-level diagnostic was raised.
 */
export function parseGuideline(text: string): ParseResult {
  const diagnostics = new DiagnosticCollector();
  if (text.trim() === '') {
    diagnostics.error(ParseCode.EmptyDocument, 1, 'the document is empty');
    return { document: null, diagnostics: diagnostics.sorted() };
  }
  if (/[\u0000-\u0008\u000E-\u001F]/.test(text)) {
    const line = text.slice(0, text.search(/[\u0000-\u0008\u000E-\u001F]/)).split('\n').length;
    diagnostics.error(ParseCode.BinaryContent, line, 'the document contains control characters: it is not text');
    return { document: null, diagnostics: diagnostics.sorted() };
  }
  const lines = splitLines(text);
  const segmented = segment(lines, diagnostics);
  const context: CriterionContext = { diagnostics, usedKeys: new Set() };
  const document = buildDocument(segmented, context);
  checkOrganizationNames(document, diagnostics);
  return { document: diagnostics.hasErrors() ? null : document, diagnostics: diagnostics.sorted() };
}

function buildDocument(segmented: Segmented, context: CriterionContext): GuidelineDocument {
  const { diagnostics } = context;
  const unrecognized: Paragraph[] = [];
  const part = (title: SectionTitle, name = ''): readonly SourceLine[] => segmented.sections.get(title)?.parts.get(name) ?? [];
  const lastLine = Math.max(1, ...[...segmented.sections.values()].map((section) => section.heading.number));

  for (const title of REQUIRED_SECTIONS) {
    if (!segmented.sections.has(title)) diagnostics.error(ParseCode.MissingSection, lastLine, `section ${title} is missing`);
  }
  const finalSection = [...segmented.sections.values()].at(-1);
  if (finalSection && [...finalSection.parts.values()].every((lines) => lines.every(isBlank))) {
    diagnostics.error(ParseCode.Truncated, finalSection.heading.number, `the document ends at the heading ${finalSection.title}: it looks truncated`);
  }

  const { header, unused: headerUnused } = parseHeader(segmented.preamble, diagnostics);
  unrecognized.push(...headerUnused.map(lineParagraph));
  checkDateOrder(header, diagnostics);

  const toc = parseTableOfContents(part('TABLE OF CONTENTS'));
  unrecognized.push(...toc.unused.map(lineParagraph));

  const statementLines = [...part('STATEMENT'), ...part('STATEMENT', 'Purpose')];
  const statement = parseStatement(toBlocks(statementLines, diagnostics));

  const indications = parseIndications(bulletTree(part('INDICATIONS'), context), context);
  unrecognized.push(...indications.unused);
  if (segmented.sections.has('INDICATIONS') && indications.sections.length === 0) {
    diagnostics.error(ParseCode.NoIndications, segmented.sections.get('INDICATIONS')?.heading.number ?? lastLine, 'INDICATIONS has no disease section');
  }

  const warningGroups = parseWarningGroups(bulletTree(part('CONTRAINDICATIONS/WARNINGS'), context), context);
  unrecognized.push(...warningGroups.unused);
  const exclusions = parseExclusions(bulletTree(part('EXCLUSION CRITERIA'), context), context);
  unrecognized.push(...exclusions.unused);

  unrecognized.push(...blocksToParagraphs(toBlocks(part('CODING AND STANDARDS'), diagnostics)));
  const codes = parseCodes(toBlocks(part('CODING AND STANDARDS', 'Codes'), diagnostics), context);
  unrecognized.push(...codes.unused);
  if (segmented.sections.has('CODING AND STANDARDS') && codes.value.length === 0) {
    diagnostics.error(ParseCode.NoCodes, segmented.sections.get('CODING AND STANDARDS')?.heading.number ?? lastLine, 'no billing codes');
  }
  const linesOfBusiness = parseLinesOfBusiness(part('CODING AND STANDARDS', 'Applicable Lines of Business'), context);
  unrecognized.push(...linesOfBusiness.unused);
  if (segmented.sections.has('CODING AND STANDARDS') && linesOfBusiness.value.length === 0) {
    diagnostics.error(ParseCode.NoLinesOfBusiness, segmented.sections.get('CODING AND STANDARDS')?.heading.number ?? lastLine, 'no lines of business');
  }

  const history = parsePolicyHistory(part('POLICY HISTORY'), context);
  unrecognized.push(...history.unused);

  unrecognized.push(...blocksToParagraphs(toBlocks([...part('LEGAL AND COMPLIANCE'), ...part('LEGAL AND COMPLIANCE', 'Guideline Approval')], diagnostics)));
  const approval = parseApproval(toBlocks(part('LEGAL AND COMPLIANCE', 'Committee'), diagnostics));
  unrecognized.push(...approval.unused);
  const disclaimer = blocksToParagraphs(toBlocks(part('LEGAL AND COMPLIANCE', 'Disclaimer'), diagnostics));

  const references = parseReferences(part('REFERENCES'), context);
  const lastReference = references.value.at(-1);
  if (lastReference && !/[.)>]$/.test(lastReference.citation.trim())) {
    diagnostics.error(ParseCode.Truncated, lastReference.span.endLine, `reference ${lastReference.ordinal} ends mid-sentence: the document looks truncated`);
  }
  unrecognized.push(...references.unused);
  unrecognized.push(...segmented.unknown.filter((line) => !isBlank(line)).map(lineParagraph));

  for (const paragraph of unrecognized) {
    diagnostics.warning(ParseCode.UnrecognizedLine, paragraph.span.startLine, `line not recognized by the template: "${paragraph.text.slice(0, 80)}"`);
  }

  return {
    header: completeHeader(header),
    tableOfContents: toc.entries,
    headings: [...segmented.headings, ...warningGroups.value.groupHeadings, ...(history.value.header ? [history.value.header] : [])]
      .sort((a, b) => a.span.startLine - b.span.startLine),
    statement: statement.value,
    continuation: indications.continuation,
    indications: indications.sections,
    contraindications: warningGroups.value.contraindications,
    boxedWarnings: warningGroups.value.boxedWarnings,
    warnings: warningGroups.value.warnings,
    exclusions: exclusions.value,
    codes: codes.value,
    linesOfBusiness: linesOfBusiness.value,
    policyHistory: history.value.rows,
    approval: approval.value,
    disclaimer,
    references: references.value,
    unrecognized: unrecognized.sort((a, b) => a.span.startLine - b.span.startLine),
  };
}

function lineParagraph(line: SourceLine): Paragraph {
  return { text: normalizeSpace(inlineText(line.text)), span: spanOf(line) };
}

function checkDateOrder(header: Partial<GuidelineHeader>, diagnostics: DiagnosticCollector): void {
  const { originalDate, lastRevisedDate, implementationDate, datesSpan } = header;
  if (!originalDate || !datesSpan) return;
  if (lastRevisedDate && compareYearMonth(lastRevisedDate, originalDate) < 0) {
    diagnostics.error(ParseCode.DateOrder, datesSpan.startLine, 'Last Revised Date is before Original Date');
  }
  if (implementationDate && compareYearMonth(implementationDate, originalDate) < 0) {
    diagnostics.error(ParseCode.DateOrder, datesSpan.startLine, 'Implementation Date is before Original Date');
  }
}

/** Fills absent header fields with neutral values; their absence has already been reported as errors. */
function completeHeader(header: Partial<GuidelineHeader>): GuidelineHeader {
  const none = { startLine: 0, endLine: 0 };
  const noDate = { year: 0, month: 0 };
  return {
    title: header.title ?? '',
    titleSpan: header.titleSpan ?? none,
    organization: header.organization ?? '',
    brandName: header.brandName ?? '',
    genericName: header.genericName ?? '',
    guidelineNumber: header.guidelineNumber ?? '',
    numberLineCells: header.numberLineCells ?? [],
    numberSpan: header.numberSpan ?? none,
    organizationNote: header.organizationNote ?? '',
    copyright: header.copyright ?? '',
    organizationSpan: header.organizationSpan ?? none,
    originalDate: header.originalDate ?? noDate,
    lastRevisedDate: header.lastRevisedDate ?? noDate,
    implementationDate: header.implementationDate ?? noDate,
    datesSpan: header.datesSpan ?? none,
  };
}
