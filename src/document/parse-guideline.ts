import type { Approval, GuidelineDocument, GuidelineHeader, Paragraph, ParseResult } from '../domain/document.ts';
import type { Block } from './blocks.ts';
import { toBlocks } from './blocks.ts';
import { parseCodes, parseLinesOfBusiness } from './coding.ts';
import type { CriterionContext } from './criteria.ts';
import { compareYearMonth } from './dates.ts';
import { DiagnosticCollector, ParseCode } from './diagnostics.ts';
import { parseHeader, parseTableOfContents } from './header.ts';
import { parseIndications } from './indications.ts';
import { inlineText, normalizeSpace } from './inline-html.ts';
import type { LineToken } from './lexer.ts';
import { lexLines } from './lexer.ts';
import { checkOrganizationNames } from './organization-names.ts';
import { parsePolicyHistory } from './policy-history.ts';
import { parseReferences } from './references.ts';
import type { SectionTitle, Segmented } from './sections.ts';
import { SECTION_TITLES, segment } from './sections.ts';
import { splitLines } from './source-lines.ts';
import { parseStatement } from './statement.ts';
import { parseExclusions } from './exclusions.ts';
import { parseWarningGroups } from './warning-groups.ts';

/**
 * Every section of the template is required: a document missing one is most likely truncated or
 * mangled, and a published version must be whole. Only the table of contents is optional.
 */
const REQUIRED_SECTIONS: readonly SectionTitle[] = SECTION_TITLES.filter((title) => title !== 'TABLE OF CONTENTS');

/**
 * The longest line the template has is a disclaimer paragraph of about 1,400 characters. A line far
 * longer is not a guideline, and refusing it up front keeps every later step's cost bounded.
 */
export const MAX_LINE_LENGTH = 20_000;

/**
 * Parses one guideline document of the Evolut/Evolent template. Pure: text in, typed tree and
 * diagnostics out. Two stages: a lexer turns every line into a token whatever its layout, then a
 * grammar per section places every token or reports an error for it. The document is null when any
 * error was raised: a document is read completely or refused.
 */
export function parseGuideline(text: string): ParseResult {
  const diagnostics = new DiagnosticCollector();
  if (text.trim() === '') {
    diagnostics.error(ParseCode.EmptyDocument, 1, 'the document is empty');
    return { document: null, diagnostics: diagnostics.sorted() };
  }
  const control = text.search(/[\u0000-\u0008\u000E-\u001F]/);
  if (control >= 0) {
    const line = text.slice(0, control).split('\n').length;
    diagnostics.error(ParseCode.BinaryContent, line, 'the document contains control characters: it is not text');
    return { document: null, diagnostics: diagnostics.sorted() };
  }
  const lines = splitLines(text);
  const long = lines.filter((line) => line.text.length > MAX_LINE_LENGTH);
  if (long.length > 0) {
    for (const line of long.slice(0, 10)) diagnostics.error(ParseCode.LineTooLong, line.number, `line ${line.number} has ${line.text.length} characters; the limit is ${MAX_LINE_LENGTH}`);
    return { document: null, diagnostics: diagnostics.sorted() };
  }
  const segmented = segment(lexLines(lines), diagnostics);
  const context: CriterionContext = { diagnostics, usedKeys: new Map() };
  const document = buildDocument(segmented, context);
  checkOrganizationNames(document, diagnostics);
  return { document: diagnostics.hasErrors() ? null : document, diagnostics: diagnostics.sorted() };
}

function buildDocument(segmented: Segmented, context: CriterionContext): GuidelineDocument {
  const { diagnostics } = context;
  const part = (title: SectionTitle, name = ''): readonly LineToken[] => segmented.sections.get(title)?.parts.get(name) ?? [];
  const headingLine = (title: SectionTitle): number => segmented.sections.get(title)?.headingLine ?? lastLine;
  const blocks = (title: SectionTitle, name = '', startsBlock?: (text: string) => boolean): Block[] => toBlocks(part(title, name), diagnostics, startsBlock ? { startsBlock } : {});
  const lastLine = Math.max(1, ...[...segmented.sections.values()].map((section) => section.headingLine));
  const present = (title: SectionTitle): boolean => segmented.sections.has(title);

  for (const title of REQUIRED_SECTIONS) {
    if (!present(title)) diagnostics.error(ParseCode.MissingSection, lastLine, `section ${title} is missing`);
  }
  const finalSection = [...segmented.sections.values()].at(-1);
  if (finalSection && [...finalSection.parts.values()].every((tokens) => tokens.every((token) => token.kind === 'blank'))) {
    diagnostics.error(ParseCode.Truncated, finalSection.headingLine, `the document ends at the heading ${finalSection.title}: it looks truncated`);
  }
  const unplaced = (tokens: readonly LineToken[], where: string): void => {
    for (const token of tokens) {
      if (token.kind === 'blank') continue;
      diagnostics.error(ParseCode.UnrecognizedLine, token.line.number, `line ${token.line.number} ${where} is not part of the template: "${normalizeSpace(inlineText(token.line.text)).slice(0, 80)}"`);
    }
  };

  const { header, unused: headerUnused } = parseHeader(segmented.preamble, diagnostics);
  unplaced(headerUnused, 'of the header');
  checkDateOrder(header, diagnostics);

  const toc = parseTableOfContents(part('TABLE OF CONTENTS'));
  unplaced(toc.unused, 'of the table of contents');

  const statement = parseStatement([...blocks('STATEMENT'), ...blocks('STATEMENT', 'Purpose')]);

  const indications = parseIndications(part('INDICATIONS'), toc.entries, context);
  if (present('INDICATIONS') && indications.sections.length === 0) {
    diagnostics.error(ParseCode.NoIndications, headingLine('INDICATIONS'), 'INDICATIONS has no disease section');
  }

  const warningGroups = present('CONTRAINDICATIONS/WARNINGS')
    ? parseWarningGroups(part('CONTRAINDICATIONS/WARNINGS'), headingLine('CONTRAINDICATIONS/WARNINGS'), context)
    : { contraindications: [], contraindicationsNone: null, boxedWarnings: [], warnings: [], groupHeadings: [] };
  const exclusions = present('EXCLUSION CRITERIA') ? parseExclusions(part('EXCLUSION CRITERIA'), headingLine('EXCLUSION CRITERIA'), context) : [];

  unplaced(part('CODING AND STANDARDS'), 'of CODING AND STANDARDS');
  const codes = parseCodes(part('CODING AND STANDARDS', 'Codes'), context);
  if (present('CODING AND STANDARDS') && codes.length === 0) diagnostics.error(ParseCode.NoCodes, headingLine('CODING AND STANDARDS'), 'no billing codes');
  const linesOfBusiness = parseLinesOfBusiness(part('CODING AND STANDARDS', 'Applicable Lines of Business'), context);
  if (present('CODING AND STANDARDS') && linesOfBusiness.length === 0) {
    diagnostics.error(ParseCode.NoLinesOfBusiness, headingLine('CODING AND STANDARDS'), 'no lines of business');
  }

  const history = parsePolicyHistory(part('POLICY HISTORY'), context);

  unplaced([...part('LEGAL AND COMPLIANCE'), ...part('LEGAL AND COMPLIANCE', 'Guideline Approval')], 'of LEGAL AND COMPLIANCE');
  const approval = parseApproval(blocks('LEGAL AND COMPLIANCE', 'Committee'), diagnostics);
  const disclaimer = blocks('LEGAL AND COMPLIANCE', 'Disclaimer').map(toParagraph);

  const references = present('REFERENCES')
    ? parseReferences(blocks('REFERENCES', '', (text) => /^\d{1,4}\.\s/.test(text)), headingLine('REFERENCES'), diagnostics)
    : [];
  const lastReference = references.at(-1);
  if (lastReference && !/[.)>]$/.test(lastReference.citation.trim())) {
    diagnostics.error(ParseCode.Truncated, lastReference.span.endLine, `reference ${lastReference.ordinal} ends mid-sentence: the document looks truncated`);
  }
  const unrecognized: Paragraph[] = segmented.unknown.map((token) => ({ text: normalizeSpace(inlineText(token.line.text)), span: { startLine: token.line.number, endLine: token.line.number } }));
  unplaced(segmented.unknown, 'under an unknown heading');

  return {
    header: completeHeader(header),
    tableOfContents: toc.entries,
    headings: [...segmented.headings, ...warningGroups.groupHeadings, ...(history.header ? [history.header] : [])].sort((a, b) => a.span.startLine - b.span.startLine),
    statement,
    continuation: indications.continuation,
    indications: indications.sections,
    contraindications: warningGroups.contraindications,
    contraindicationsNone: warningGroups.contraindicationsNone,
    boxedWarnings: warningGroups.boxedWarnings,
    warnings: warningGroups.warnings,
    exclusions,
    codes,
    linesOfBusiness,
    policyHistory: history.rows,
    approval,
    disclaimer,
    references,
    unrecognized,
  };
}

function toParagraph(block: Block): Paragraph {
  return { text: block.text, span: block.span };
}

function parseApproval(blocks: readonly Block[], diagnostics: DiagnosticCollector): Approval | null {
  const [first, ...rest] = blocks;
  for (const block of rest) {
    diagnostics.error(ParseCode.UnrecognizedLine, block.span.startLine, `line ${block.span.startLine} under Committee is not the committee line: "${block.text.slice(0, 80)}"`);
  }
  return first ? { committee: first.text, span: first.span } : null;
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
