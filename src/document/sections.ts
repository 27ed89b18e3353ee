import type { Heading } from '../domain/document.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText, normalizeSpace } from './inline-html.ts';
import type { LineToken } from './lexer.ts';
import { splitCells } from './lexer.ts';

/** The template's top-level sections, in order. */
export const SECTION_TITLES = [
  'TABLE OF CONTENTS',
  'STATEMENT',
  'INDICATIONS',
  'CONTRAINDICATIONS/WARNINGS',
  'EXCLUSION CRITERIA',
  'CODING AND STANDARDS',
  'POLICY HISTORY',
  'LEGAL AND COMPLIANCE',
  'REFERENCES',
] as const;

export type SectionTitle = (typeof SECTION_TITLES)[number];

/** Sub-headings each section may hold (level 2), and their own sub-headings (level 3), in canonical spelling. */
export const SUBSECTION_TITLES: Readonly<Partial<Record<SectionTitle, readonly string[]>>> = {
  STATEMENT: ['Purpose'],
  'CODING AND STANDARDS': ['Codes', 'Applicable Lines of Business'],
  'LEGAL AND COMPLIANCE': ['Guideline Approval', 'Committee', 'Disclaimer'],
};
const LEVEL_3 = new Set(['Committee']);

export interface Section {
  readonly title: SectionTitle;
  readonly headingLine: number;
  /** Body tokens keyed by canonical sub-heading; '' holds tokens before the first sub-heading. */
  readonly parts: ReadonlyMap<string, readonly LineToken[]>;
}

export interface Segmented {
  /** Tokens before the first section heading: the document header. */
  readonly preamble: readonly LineToken[];
  readonly sections: ReadonlyMap<SectionTitle, Section>;
  readonly headings: readonly Heading[];
  /** Non-blank tokens under a heading the template does not know (each already an error). */
  readonly unknown: readonly LineToken[];
}

/** Case, spacing, inline markup and a run-in colon ("Codes:") do not change which heading a line is. */
export function headingKey(text: string): string {
  const plain = normalizeSpace(inlineText(text)).toLowerCase();
  return (plain.endsWith(':') ? plain.slice(0, -1) : plain).split('/').map((part) => part.trim()).join('/');
}

const SECTION_BY_KEY = new Map<string, SectionTitle>(SECTION_TITLES.map((title) => [headingKey(title), title]));

/** No heading of the template, known or unknown, is longer: longer lines are never compared. */
const MAX_HEADING_LENGTH = 120;

/** A heading is a short text line that is one cell only (a table-of-contents line has a page cell too). */
function singleCell(token: LineToken): string | null {
  if (token.kind !== 'text' || token.content.length > MAX_HEADING_LENGTH) return null;
  const cells = splitCells(token.content);
  return cells.length === 1 ? (cells[0] ?? null) : null;
}


/** An all-capitals line of words: shaped like a section heading the template does not have. */
function looksLikeHeading(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 4 && letters === letters.toUpperCase() && !/[.:;]$/.test(text) && text.length <= MAX_HEADING_LENGTH;
}

export function segment(tokens: readonly LineToken[], diagnostics: DiagnosticCollector): Segmented {
  const preamble: LineToken[] = [];
  const sections = new Map<SectionTitle, Section>();
  const headings: Heading[] = [];
  const unknown: LineToken[] = [];
  let current: { title: SectionTitle; headingLine: number; parts: Map<string, LineToken[]>; part: string } | null = null;
  let inUnknown = false;

  const close = (): void => {
    if (current) sections.set(current.title, { title: current.title, headingLine: current.headingLine, parts: current.parts });
  };

  for (const token of tokens) {
    const cell = singleCell(token);
    const title = cell === null ? null : (SECTION_BY_KEY.get(headingKey(cell)) ?? null);
    if (title) {
      close();
      inUnknown = false;
      headings.push({ text: title, level: 1, span: { startLine: token.line.number, endLine: token.line.number } });
      if (sections.has(title)) {
        diagnostics.error(ParseCode.DuplicateSection, token.line.number, `section ${title} appears more than once`);
        current = null;
        inUnknown = true;
        continue;
      }
      current = { title, headingLine: token.line.number, parts: new Map([['', []]]), part: '' };
      continue;
    }
    // Disease headings may be written in capitals inside INDICATIONS; elsewhere a capitals line is a section.
    if (current && cell !== null && current.title !== 'TABLE OF CONTENTS' && current.title !== 'INDICATIONS' && looksLikeHeading(cell) && !isSubheading(current.title, cell)) {
      close();
      current = null;
      inUnknown = true;
      diagnostics.error(ParseCode.UnknownSection, token.line.number, `unknown section heading "${cell}": the template has no such section`);
      continue;
    }
    if (inUnknown) {
      if (token.kind !== 'blank') unknown.push(token);
      continue;
    }
    if (!current) {
      preamble.push(token);
      continue;
    }
    const subTitle = cell === null ? undefined : subheadingOf(current.title, cell);
    if (subTitle !== undefined) {
      headings.push({ text: subTitle, level: LEVEL_3.has(subTitle) ? 3 : 2, span: { startLine: token.line.number, endLine: token.line.number } });
      current.part = subTitle;
      if (!current.parts.has(subTitle)) current.parts.set(subTitle, []);
      continue;
    }
    current.parts.get(current.part)?.push(token);
  }
  close();
  return { preamble, sections, headings, unknown };
}

function subheadingOf(section: SectionTitle, cell: string): string | undefined {
  const key = headingKey(cell);
  return (SUBSECTION_TITLES[section] ?? []).find((candidate) => headingKey(candidate) === key);
}

function isSubheading(section: SectionTitle, cell: string): boolean {
  return subheadingOf(section, cell) !== undefined;
}
