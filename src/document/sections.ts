import type { Heading } from '../domain/document.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText } from './inline-html.ts';
import type { SourceLine } from './source-lines.ts';

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

/** Sub-headings each section may hold (level 2), and their own sub-headings (level 3). */
export const SUBSECTION_TITLES: Readonly<Partial<Record<SectionTitle, readonly string[]>>> = {
  STATEMENT: ['Purpose'],
  'CODING AND STANDARDS': ['Codes', 'Applicable Lines of Business'],
  'LEGAL AND COMPLIANCE': ['Guideline Approval', 'Committee', 'Disclaimer'],
};
const LEVEL_3 = new Set(['Committee']);

export interface Section {
  readonly title: SectionTitle;
  readonly heading: SourceLine;
  /** Body lines keyed by sub-heading; '' holds lines before the first sub-heading. */
  readonly parts: ReadonlyMap<string, readonly SourceLine[]>;
}

export interface Segmented {
  /** Lines before the first section heading: the document header. */
  readonly preamble: readonly SourceLine[];
  readonly sections: ReadonlyMap<SectionTitle, Section>;
  readonly headings: readonly Heading[];
  /** Lines under a heading the template does not know. */
  readonly unknown: readonly SourceLine[];
}

function asSectionTitle(text: string): SectionTitle | null {
  const trimmed = text.trim();
  return (SECTION_TITLES as readonly string[]).includes(trimmed) ? (trimmed as SectionTitle) : null;
}

/** An all-capitals line of words with no tab: shaped like a section heading. */
function looksLikeHeading(text: string): boolean {
  return !text.includes('\t') && /^[A-Z][A-Z0-9 /&,()-]{3,}$/.test(text.trim()) && /[A-Z]{3}/.test(text);
}

export function segment(lines: readonly SourceLine[], diagnostics: DiagnosticCollector): Segmented {
  const preamble: SourceLine[] = [];
  const sections = new Map<SectionTitle, Section>();
  const headings: Heading[] = [];
  const unknown: SourceLine[] = [];
  let current: { title: SectionTitle; heading: SourceLine; parts: Map<string, SourceLine[]>; part: string } | null = null;
  let inUnknown = false;

  const close = (): void => {
    if (current) sections.set(current.title, { title: current.title, heading: current.heading, parts: current.parts });
  };

  for (const line of lines) {
    const title = asSectionTitle(line.text);
    if (title) {
      close();
      inUnknown = false;
      headings.push({ text: title, level: 1, span: { startLine: line.number, endLine: line.number } });
      if (sections.has(title)) {
        diagnostics.error(ParseCode.DuplicateSection, line.number, `section ${title} appears more than once`);
        current = null;
        inUnknown = true;
        continue;
      }
      current = { title, heading: line, parts: new Map([['', []]]), part: '' };
      continue;
    }
    if (current && current.title !== 'TABLE OF CONTENTS' && looksLikeHeading(line.text)) {
      close();
      current = null;
      inUnknown = true;
      diagnostics.warning(ParseCode.UnknownSection, line.number, `unknown section heading "${line.text.trim()}"`);
      unknown.push(line);
      continue;
    }
    if (inUnknown) {
      unknown.push(line);
      continue;
    }
    if (!current) {
      preamble.push(line);
      continue;
    }
    const subTitle = inlineText(line.text).trim();
    if ((SUBSECTION_TITLES[current.title] ?? []).includes(subTitle) && !line.text.includes('\t')) {
      headings.push({ text: subTitle, level: LEVEL_3.has(subTitle) ? 3 : 2, span: { startLine: line.number, endLine: line.number } });
      current.part = subTitle;
      if (!current.parts.has(subTitle)) current.parts.set(subTitle, []);
      continue;
    }
    current.parts.get(current.part)?.push(line);
  }
  close();
  return { preamble, sections, headings, unknown };
}
