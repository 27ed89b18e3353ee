import type { GuidelineHeader, SourceSpan, TableOfContentsEntry, YearMonth } from '../domain/document.ts';
import { parseYearMonth } from './dates.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText, normalizeSpace } from './inline-html.ts';
import type { SourceLine } from './source-lines.ts';
import { isBlank, spanOf } from './source-lines.ts';

/** "Evolut Clinical Guideline 3258 for Blincyto™ (blinatumomab)". */
const TITLE = /^(.+?) Clinical Guideline\b.*?\bfor (.+?)[™®]?\s*\(([^()]+)\)\s*$/;
const DATE_CELLS = {
  originalDate: 'Original Date',
  lastRevisedDate: 'Last Revised Date',
  implementationDate: 'Implementation Date',
} as const;

export type PartialHeader = { -readonly [K in keyof GuidelineHeader]?: GuidelineHeader[K] };

function cells(line: SourceLine): string[] {
  return line.text.split('\t').map((cell) => normalizeSpace(inlineText(cell)));
}

/** Reads the lines above the first section: title, guideline number, organization line and dates. */
export function parseHeader(lines: readonly SourceLine[], diagnostics: DiagnosticCollector): { header: PartialHeader; unused: SourceLine[] } {
  const header: PartialHeader = {};
  const unused: SourceLine[] = [];
  const invalidDates = new Set<string>();
  const content = lines.filter((line) => !isBlank(line));
  const firstLine = content[0]?.number ?? 1;
  for (const line of content) {
    const lineCells = cells(line);
    const first = lineCells[0] ?? '';
    const numberMatch = /^Guideline Number:\s*(\S*)$/.exec(first);
    if (header.title === undefined && !numberMatch && !first.includes('©') && !first.startsWith('Original Date')) {
      readTitle(line, first, header, diagnostics);
    } else if (numberMatch) {
      header.guidelineNumber = numberMatch[1] ?? '';
      header.numberLineCells = lineCells.slice(1).filter((cell) => cell !== '');
      header.numberSpan = spanOf(line);
    } else if (first.includes('©') || lineCells.some((cell) => cell.includes('©'))) {
      const text = lineCells.filter((cell) => cell !== '').join(' ');
      const at = text.indexOf('©');
      header.organizationNote = text.slice(0, at).trim();
      header.copyright = text.slice(at).trim();
      header.organizationSpan = spanOf(line);
    } else if (lineCells.some((cell) => Object.values(DATE_CELLS).some((label) => cell.startsWith(`${label}:`)))) {
      readDates(line, lineCells, header, diagnostics).forEach((field) => invalidDates.add(field));
    } else {
      unused.push(line);
    }
  }
  if (header.title === undefined) diagnostics.error(ParseCode.MissingTitle, firstLine, 'the document has no title line');
  if (!header.guidelineNumber) diagnostics.error(ParseCode.MissingGuidelineNumber, header.numberSpan?.startLine ?? firstLine, 'no "Guideline Number:" value');
  for (const [field, label] of Object.entries(DATE_CELLS) as [keyof typeof DATE_CELLS, string][]) {
    if (header[field] === undefined && !invalidDates.has(field)) {
      diagnostics.error(ParseCode.MissingDate, header.datesSpan?.startLine ?? firstLine, `no ${label}`);
    }
  }
  return { header, unused };
}

function readTitle(line: SourceLine, text: string, header: PartialHeader, diagnostics: DiagnosticCollector): void {
  header.title = text;
  header.titleSpan = spanOf(line);
  const match = TITLE.exec(text);
  if (!match) {
    diagnostics.error(ParseCode.MalformedTitle, line.number, 'title is not "<Organization> Clinical Guideline … for <Brand> (<generic>)"');
    return;
  }
  header.organization = (match[1] ?? '').trim();
  header.brandName = (match[2] ?? '').replace(/[™®]/g, '').trim();
  header.genericName = (match[3] ?? '').trim();
}

/** Returns the fields whose value was present but not a date (already reported). */
function readDates(line: SourceLine, lineCells: readonly string[], header: PartialHeader, diagnostics: DiagnosticCollector): string[] {
  const invalid: string[] = [];
  header.datesSpan = spanOf(line);
  for (const [field, label] of Object.entries(DATE_CELLS) as [keyof typeof DATE_CELLS, string][]) {
    const cell = lineCells.find((candidate) => candidate.startsWith(`${label}:`));
    if (cell === undefined) continue;
    const value: YearMonth | null = parseYearMonth(cell.slice(label.length + 1));
    if (value) header[field] = value;
    else {
      diagnostics.error(ParseCode.InvalidDate, line.number, `${label} "${cell.slice(label.length + 1).trim()}" is not a month and year`);
      invalid.push(field);
    }
  }
  return invalid;
}

/** Table-of-contents lines are "TITLE<TAB>page". */
export function parseTableOfContents(lines: readonly SourceLine[]): { entries: TableOfContentsEntry[]; unused: SourceLine[] } {
  const entries: TableOfContentsEntry[] = [];
  const unused: SourceLine[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const match = /^(.*?)\t+\s*(\d+)?\s*$/.exec(line.text);
    if (!match) {
      unused.push(line);
      continue;
    }
    const span: SourceSpan = spanOf(line);
    entries.push({ title: normalizeSpace(inlineText(match[1] ?? '')), page: match[2] ? Number(match[2]) : null, span });
  }
  return { entries, unused };
}
