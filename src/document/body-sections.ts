import type {
  Approval, BillingCode, Criterion, Heading, LineOfBusiness, Paragraph, PolicyHistoryEntry, Reference, Statement,
} from '../domain/document.ts';
import type { Block, BulletNode } from './blocks.ts';
import { toBlocks, toBulletTree } from './blocks.ts';
import { parseCodeLine } from './codes.ts';
import type { CriterionContext } from './criteria.ts';
import { buildCriterion } from './criteria.ts';
import { parseYearMonth } from './dates.ts';
import { ParseCode } from './diagnostics.ts';
import { flatten } from './indications.ts';
import { checkboxCell, inlineText, listCellItems, normalizeSpace } from './inline-html.ts';
import { checkNumbering, markDuplicates, parseReference } from './references.ts';
import type { SourceLine } from './source-lines.ts';
import { isBlank, spanOf } from './source-lines.ts';

export interface Parsed<T> {
  readonly value: T;
  readonly unused: Paragraph[];
}

const EVIDENCE_INTRO = /^(.*?\bone of the following:)\s*(.+)$/i;

/** Statement paragraphs; the one listing acceptable evidence is split into its sources. */
export function parseStatement(blocks: readonly Block[]): Parsed<Statement> {
  const paragraphs: Paragraph[] = [];
  let evidence: Pick<Statement, 'evidenceIntro' | 'evidenceSources' | 'evidenceSpan'> = {
    evidenceIntro: '',
    evidenceSources: [],
    evidenceSpan: { startLine: 0, endLine: 0 },
  };
  for (const block of blocks) {
    const match = block.kind === 'paragraph' && evidence.evidenceSources.length === 0 ? EVIDENCE_INTRO.exec(block.text) : null;
    if (!match) {
      paragraphs.push({ text: block.text, span: block.span });
      continue;
    }
    evidence = {
      evidenceIntro: match[1] ?? '',
      evidenceSources: splitList(match[2] ?? '').map((text) => ({ text, span: block.span })),
      evidenceSpan: block.span,
    };
  }
  return { value: { paragraphs, ...evidence }, unused: [] };
}

/** "A, B (C), D, or E." → [A, B (C), D, E]; commas inside parentheses do not split. */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text.replace(/\.$/, '')) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items.map((item) => item.trim().replace(/^(?:or|and)\s+/i, '').trim()).filter((item) => item !== '');
}

export interface WarningGroups {
  readonly contraindications: Criterion[];
  readonly boxedWarnings: Criterion[];
  readonly warnings: Criterion[];
  readonly groupHeadings: Heading[];
}

const GROUPS = [
  { pattern: /^contraindications?$/i, kind: 'CONTRAINDICATION', field: 'contraindications' },
  { pattern: /boxed warnings?$/i, kind: 'BOXED_WARNING', field: 'boxedWarnings' },
  { pattern: /^(?:warnings?|warnings? and precautions|precautions)$/i, kind: 'WARNING', field: 'warnings' },
] as const;

/** CONTRAINDICATIONS/WARNINGS: each top bullet names a group, its sub-bullets are the items. */
export function parseWarningGroups(roots: readonly BulletNode[], context: CriterionContext): Parsed<WarningGroups> {
  const value: WarningGroups = { contraindications: [], boxedWarnings: [], warnings: [], groupHeadings: [] };
  const unused: Paragraph[] = [];
  for (const node of roots) {
    const group = GROUPS.find((candidate) => candidate.pattern.test(node.block.text));
    if (node.block.kind !== 'bullet' || !group) {
      if (node.block.kind === 'bullet') {
        context.diagnostics.warning(ParseCode.UnknownWarningGroup, node.block.span.startLine, `"${node.block.text}" is not Contraindications, US Boxed Warning or Warnings`);
      }
      unused.push(...flatten(node));
      continue;
    }
    value.groupHeadings.push({ text: node.block.text, level: 3, span: node.block.span });
    const list = value[group.field];
    for (const child of node.children) {
      list.push(buildCriterion(child, group.kind, group.kind, list.length + 1, '', context));
    }
  }
  return { value, unused };
}

/** EXCLUSION CRITERIA: each top bullet is an exclusion, sub-bullets are its details. */
export function parseExclusions(roots: readonly BulletNode[], context: CriterionContext): Parsed<Criterion[]> {
  const value: Criterion[] = [];
  const unused: Paragraph[] = [];
  for (const node of roots) {
    if (node.block.kind !== 'bullet') unused.push(...flatten(node));
    else value.push(buildCriterion(node, 'EXCLUSION', 'EXCLUSION_DETAIL', value.length + 1, '', context));
  }
  return { value, unused };
}

export function parseCodes(blocks: readonly Block[], context: CriterionContext): Parsed<BillingCode[]> {
  const value: BillingCode[] = [];
  const unused: Paragraph[] = [];
  for (const block of blocks) {
    const code = block.kind === 'bullet' ? parseCodeLine(value.length + 1, block.text, block.span) : null;
    if (code) value.push(code);
    else {
      context.diagnostics.warning(ParseCode.MalformedCode, block.span.startLine, `"${block.text}" is not "CODE - description"`);
      unused.push({ text: block.text, span: block.span });
    }
  }
  return { value, unused };
}

const LINE_OF_BUSINESS_CODES: readonly [RegExp, string][] = [
  [/^CHIP\b/i, 'CHIP'],
  [/^Commercial\b/i, 'COMMERCIAL'],
  [/^Exchange|Marketplace/i, 'EXCHANGE_MARKETPLACE'],
  [/^Medicaid\b/i, 'MEDICAID'],
  [/^Medicare Advantage\b/i, 'MEDICARE_ADVANTAGE'],
  [/^Medicare\b/i, 'MEDICARE'],
];

export function lineOfBusinessCode(label: string): string {
  const known = LINE_OF_BUSINESS_CODES.find(([pattern]) => pattern.test(label));
  return known ? known[1] : label.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Lines "<input … type="checkbox"/>TAB Name"; checked means the guideline applies. */
export function parseLinesOfBusiness(lines: readonly SourceLine[], context: CriterionContext): Parsed<LineOfBusiness[]> {
  const value: LineOfBusiness[] = [];
  const unused: Paragraph[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const [box = '', ...rest] = line.text.split('\t');
    const checkbox = checkboxCell(box);
    const label = normalizeSpace(inlineText(rest.join(' ')));
    if (!checkbox || label === '') {
      unused.push({ text: normalizeSpace(inlineText(line.text)), span: spanOf(line) });
      continue;
    }
    const code = lineOfBusinessCode(label);
    if (value.some((entry) => entry.code === code)) {
      context.diagnostics.error(ParseCode.DuplicateLineOfBusiness, line.number, `line of business ${label} is listed twice`);
    }
    value.push({ ordinal: value.length + 1, code, label, applicable: checkbox.checked, span: spanOf(line) });
  }
  return { value, unused };
}

/** POLICY HISTORY: a "Date TAB Summary" header, then "Month YYYY TAB <ul> • item • item". */
export function parsePolicyHistory(lines: readonly SourceLine[], context: CriterionContext): Parsed<{ rows: PolicyHistoryEntry[]; header: Heading | null }> {
  const rows: PolicyHistoryEntry[] = [];
  const unused: Paragraph[] = [];
  let header: Heading | null = null;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const [dateCell = '', ...rest] = line.text.split('\t');
    if (header === null && rows.length === 0 && /^Date$/i.test(dateCell.trim())) {
      header = { text: normalizeSpace(line.text), level: 3, span: spanOf(line) };
      continue;
    }
    const date = parseYearMonth(inlineText(dateCell));
    const items = listCellItems(rest.join('\t'));
    if (!date || items.length === 0) {
      context.diagnostics.warning(ParseCode.MalformedHistoryRow, line.number, 'policy-history row is not "Month YYYY<TAB>items"');
      unused.push({ text: normalizeSpace(inlineText(line.text)), span: spanOf(line) });
      continue;
    }
    rows.push({ ordinal: rows.length + 1, date, items, span: spanOf(line) });
  }
  return { value: { rows, header }, unused };
}

export function parseApproval(blocks: readonly Block[]): Parsed<Approval | null> {
  const [first, ...rest] = blocks;
  return {
    value: first ? { committee: first.text, span: first.span } : null,
    unused: rest.map((block) => ({ text: block.text, span: block.span })),
  };
}

/** REFERENCES: "N. citation" lines; a wrapped line continues the citation above it. */
export function parseReferences(lines: readonly SourceLine[], context: CriterionContext): Parsed<Reference[]> {
  const parsed: Reference[] = [];
  const unused: Paragraph[] = [];
  for (const block of toBlocks(lines, context.diagnostics)) {
    const match = /^(\d+)\.\s+(.+)$/.exec(block.text);
    if (!match || block.kind !== 'paragraph') {
      context.diagnostics.warning(ParseCode.MalformedReference, block.span.startLine, 'reference is not "N. citation"');
      unused.push({ text: block.text, span: block.span });
      continue;
    }
    parsed.push(parseReference(Number(match[1]), match[2] ?? '', block.span));
  }
  checkNumbering(parsed, context.diagnostics);
  return { value: markDuplicates(parsed, context.diagnostics), unused };
}

export function blocksToParagraphs(blocks: readonly Block[]): Paragraph[] {
  return blocks.map((block) => ({ text: block.text, span: block.span }));
}

export function bulletTree(lines: readonly SourceLine[], context: CriterionContext): BulletNode[] {
  return toBulletTree(toBlocks(lines, context.diagnostics));
}
