import type { GuidelineHeader, TableOfContentsEntry, YearMonth } from '../domain/document.ts';
import { parseYearMonth } from './dates.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText, normalizeSpace } from './inline-html.ts';
import type { LineToken } from './lexer.ts';
import { splitCells } from './lexer.ts';
import { spanOf } from './source-lines.ts';

const NUMBER_LABEL = /^guideline number\s*:/i;
const DATE_LABELS = {
  originalDate: 'Original Date',
  lastRevisedDate: 'Last Revised Date',
  implementationDate: 'Implementation Date',
} as const;
type DateField = keyof typeof DATE_LABELS;

export type PartialHeader = { -readonly [K in keyof GuidelineHeader]?: GuidelineHeader[K] };

function plain(text: string): string {
  return normalizeSpace(inlineText(text));
}

/** Reads the lines above the first section: title, guideline number, organization line and dates. */
export function parseHeader(tokens: readonly LineToken[], diagnostics: DiagnosticCollector): { header: PartialHeader; unused: LineToken[] } {
  const header: PartialHeader = {};
  const unused: LineToken[] = [];
  const invalidDates = new Set<DateField>();
  const content = tokens.filter((token) => token.kind !== 'blank');
  const firstLine = content[0]?.line.number ?? 1;
  for (const token of content) {
    const text = plain(token.line.text);
    if (NUMBER_LABEL.test(text)) readNumberLine(token, header);
    else if (text.includes('©')) {
      const at = text.indexOf('©');
      header.organizationNote = text.slice(0, at).trim();
      header.copyright = text.slice(at).trim();
      header.organizationSpan = spanOf(token.line);
    } else if (Object.values(DATE_LABELS).some((label) => text.toLowerCase().includes(`${label.toLowerCase()}:`))) {
      readDates(token, text, header, diagnostics).forEach((field) => invalidDates.add(field));
    } else if (header.title === undefined && token.kind === 'text') readTitle(token, text, header, diagnostics);
    else unused.push(token);
  }
  if (header.title === undefined) diagnostics.error(ParseCode.MissingTitle, firstLine, 'the document has no title line');
  if (!header.guidelineNumber) diagnostics.error(ParseCode.MissingGuidelineNumber, header.numberSpan?.startLine ?? firstLine, 'no "Guideline Number:" value');
  for (const [field, label] of Object.entries(DATE_LABELS) as [DateField, string][]) {
    if (header[field] === undefined && !invalidDates.has(field)) {
      diagnostics.error(ParseCode.MissingDate, header.datesSpan?.startLine ?? firstLine, `no ${label}`);
    }
  }
  return { header, unused };
}

/** "Guideline Number: Evolut_CG_3258<TAB><u>Applicable Codes</u>": the number, then other cells. */
function readNumberLine(token: LineToken, header: PartialHeader): void {
  const [first = '', ...others] = splitCells(token.line.text).map(plain);
  const afterLabel = first.replace(NUMBER_LABEL, '').trim();
  const [number = '', ...restOfCell] = afterLabel.split(' ');
  header.guidelineNumber = number;
  header.numberLineCells = [...(restOfCell.length > 0 ? [restOfCell.join(' ')] : []), ...others].filter((cell) => cell !== '');
  header.numberSpan = spanOf(token.line);
}

function readTitle(token: LineToken, text: string, header: PartialHeader, diagnostics: DiagnosticCollector): void {
  header.title = text;
  header.titleSpan = spanOf(token.line);
  const parts = titleParts(text);
  if (!parts) {
    diagnostics.error(ParseCode.MalformedTitle, token.line.number, 'title is not "<Organization> Clinical Guideline … for <Brand> (<generic>)"');
    return;
  }
  header.organization = parts.organization;
  header.brandName = parts.brandName;
  header.genericName = parts.genericName;
}

/**
 * "Evolut Clinical Guideline 3258 for Blincyto™ (blinatumomab)" → organization, brand, generic.
 * Read by locating its fixed words, not by a backtracking pattern: a hostile title costs linear time.
 */
export function titleParts(text: string): { organization: string; brandName: string; genericName: string } | null {
  const marker = text.indexOf(' Clinical Guideline');
  if (marker <= 0 || !text.endsWith(')')) return null;
  const open = text.lastIndexOf('(');
  const forAt = text.lastIndexOf(' for ', open);
  if (open < 0 || forAt < marker || text.indexOf(')', open) !== text.length - 1) return null;
  const genericName = text.slice(open + 1, -1).trim();
  const brandName = text.slice(forAt + 5, open).replace(/[™®]/g, '').trim();
  if (genericName === '' || brandName === '') return null;
  return { organization: text.slice(0, marker).trim(), brandName, genericName };
}

/**
 * "Original Date: March 2015<TAB>Last Revised Date: …": each value runs from its label to the next
 * label, so any separator (tabs, spaces) reads the same. Returns the fields present but not a date.
 */
function readDates(token: LineToken, text: string, header: PartialHeader, diagnostics: DiagnosticCollector): DateField[] {
  const invalid: DateField[] = [];
  header.datesSpan = spanOf(token.line);
  const lower = text.toLowerCase();
  const found = (Object.entries(DATE_LABELS) as [DateField, string][])
    .map(([field, label]) => ({ field, label, at: lower.indexOf(`${label.toLowerCase()}:`) }))
    .filter((entry) => entry.at >= 0)
    .sort((a, b) => a.at - b.at);
  found.forEach((entry, index) => {
    const end = found[index + 1]?.at ?? text.length;
    const raw = text.slice(entry.at + entry.label.length + 1, end).trim();
    const value: YearMonth | null = parseYearMonth(raw);
    if (value) header[entry.field] = value;
    else {
      diagnostics.error(ParseCode.InvalidDate, token.line.number, `${entry.label} "${raw}" is not a month and year`);
      invalid.push(entry.field);
    }
  });
  return invalid;
}

/** "STATEMENT ........ 2" → ["STATEMENT", "2"]: dot leaders separate a title from its page like a tab does. */
function splitDotLeader(cells: string[]): string[] {
  const last = cells.at(-1);
  if (cells.length !== 1 || last === undefined) return cells;
  let end = last.length;
  while (end > 0 && last[end - 1] !== undefined && (last[end - 1] ?? '') >= '0' && (last[end - 1] ?? '') <= '9') end -= 1;
  const page = last.slice(end);
  let dots = end;
  while (dots > 0 && (last[dots - 1] === '.' || last[dots - 1] === '…' || last[dots - 1] === ' ')) dots -= 1;
  const leader = last.slice(dots, end);
  if (page === '' || dots === 0 || (leader.split('.').length - 1 < 2 && !leader.includes('…'))) return cells;
  return [last.slice(0, dots).trim(), page];
}

/** Table-of-contents lines are "TITLE<TAB>page" (a tab, a run of spaces or dot leaders); the page may be missing. */
export function parseTableOfContents(tokens: readonly LineToken[]): { entries: TableOfContentsEntry[]; unused: LineToken[] } {
  const entries: TableOfContentsEntry[] = [];
  const unused: LineToken[] = [];
  for (const token of tokens) {
    if (token.kind === 'blank') continue;
    const cells = splitDotLeader(splitCells(token.line.text).map(plain));
    const last = cells.at(-1) ?? '';
    const hasPage = cells.length >= 2 && /^\d{1,4}$/.test(last);
    const titleCells = hasPage ? cells.slice(0, -1) : cells;
    if (titleCells.length !== 1 || token.kind === 'bullet') {
      unused.push(token);
      continue;
    }
    entries.push({ title: titleCells[0] ?? '', page: hasPage ? Number(last) : null, span: spanOf(token.line) });
  }
  return { entries, unused };
}
