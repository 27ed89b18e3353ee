import type { ContinuationExemption, DiseaseSection, MinimumAge, Population, SourceSpan, TableOfContentsEntry } from '../domain/document.ts';
import type { Block, BulletNode } from './blocks.ts';
import { flattenNode, toBlocks, toBulletTree } from './blocks.ts';
import type { CriterionContext } from './criteria.ts';
import { buildCriterion } from './criteria.ts';
import { ParseCode } from './diagnostics.ts';
import type { LineToken } from './lexer.ts';
import { headingKey, SECTION_TITLES } from './sections.ts';
import { trimTrailing } from './trim-chars.ts';

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
};
const MINIMUM_AGE = /\b(\d+|[a-z]+) (day|week|month|year)s?(?: of age)? and older\b/i;
/** A biomarker name: "CD19", "HER2", "BCR-ABL", "K-Ras"; anchored, so it is checked word by word. */
const MARKER_NAME = /^[A-Z][A-Za-z0-9]*(?:[-/][A-Z0-9]+)*$/;
/** Small words a Title Case heading leaves in lower case. */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with', 'without', 'and/or']);

export interface IndicationsResult {
  readonly continuation: ContinuationExemption | null;
  readonly sections: DiseaseSection[];
}

/** "Acute Lymphoblastic Leukemia (ALL) (Both … subtypes)" → name and its trailing parentheticals. */
export function splitHeading(heading: string): { name: string; groups: string[] } {
  let name = heading.trim();
  const groups: string[] = [];
  while (name.endsWith(')')) {
    const open = name.lastIndexOf('(');
    if (open < 0 || name.slice(open + 1, -1).includes(')')) break;
    groups.unshift(name.slice(open + 1, -1));
    name = name.slice(0, open).trimEnd();
  }
  return { name, groups };
}

/** A disease heading is a Title Case name (its parentheticals aside) that does not end a sentence. */
export function looksLikeDiseaseHeading(text: string): boolean {
  if (/[.:;,!?]$/.test(text) || text.length > 200) return false;
  const { name } = splitHeading(text);
  const words = name.split(' ').filter((word) => word !== '');
  if (words.length === 0) return false;
  return words.every((word, index) => /^[A-Z0-9(“"]/.test(word) || (index > 0 && SMALL_WORDS.has(word.toLowerCase())));
}

/** A population line: "<drug> may be used in … members …". Never a scenario. */
export function readsAsPopulation(text: string): boolean {
  return /\bmay be used\b/i.test(text) && /\b(?:members?|patients?)\b/i.test(text);
}

/** The table-of-contents entries between INDICATIONS and the next section: the disease sections. */
function diseaseEntries(entries: readonly TableOfContentsEntry[]): TableOfContentsEntry[] {
  const sectionKeys = new Set(SECTION_TITLES.map(headingKey));
  const start = entries.findIndex((entry) => headingKey(entry.title) === 'indications');
  if (start < 0) return [];
  const rest = entries.slice(start + 1);
  const end = rest.findIndex((entry) => sectionKeys.has(headingKey(entry.title)));
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The INDICATIONS section: an optional continuation-of-therapy exemption (a paragraph starting
 * "Continuation requests" and its conditions), then disease sections: a heading paragraph, then one
 * or more population bullets, each with its scenarios as sub-bullets. Anything else is an error.
 */
export function parseIndications(tokens: readonly LineToken[], tableOfContents: readonly TableOfContentsEntry[], context: CriterionContext): IndicationsResult {
  const { diagnostics } = context;
  // When the table of contents lists the disease sections (the template's does), it decides which
  // lines are disease headings: a Title Case wrap is then a wrap, and a heading it does not list is
  // refused rather than glued onto the scenario above. Without such a list, the heading's shape decides.
  const listedEntries = diseaseEntries(tableOfContents);
  const listed = new Set(listedEntries.map((entry) => headingKey(entry.title)));
  const isHeading = (text: string): boolean => (listed.size > 0 ? listed.has(headingKey(text)) : looksLikeDiseaseHeading(text));
  const blocks = toBlocks(tokens, diagnostics, { startsBlock: isHeading });
  const roots = toBulletTree(blocks, diagnostics);
  let continuation: ContinuationExemption | null = null;
  const sections: DiseaseSection[] = [];
  let index = 0;
  while (index < roots.length) {
    const node = roots[index] as BulletNode;
    index += 1;
    if (node.block.kind !== 'paragraph') {
      for (const block of flattenNode(node)) {
        diagnostics.error(ParseCode.UnrecognizedLine, block.span.startLine, `bullet at line ${block.span.startLine} in INDICATIONS is not under a disease heading: "${block.text.slice(0, 80)}"`);
      }
      continue;
    }
    const bullets: BulletNode[] = [];
    while (index < roots.length && roots[index]?.block.kind === 'bullet') bullets.push(roots[index++] as BulletNode);
    if (continuation === null && sections.length === 0 && /^continuation requests\b/i.test(node.block.text)) {
      if (bullets.length === 0) diagnostics.error(ParseCode.NoContinuationConditions, node.block.span.startLine, 'the continuation exemption lists no conditions');
      const conditions = bullets.map((bullet, i) => buildCriterion(bullet, 'CONTINUATION_CONDITION', 'CONTINUATION_CONDITION', i + 1, '', context));
      continuation = { preamble: node.block.text, conditions, span: spanOver(node.block, bullets) };
      continue;
    }
    // Any paragraph followed by bullets would do as a heading; only one that reads as a disease heading
    // (listed in the table of contents, or a Title Case name) is taken for one. Anything else, such as a
    // scenario that lost its marker, is refused: read as a heading it would carry the next population off.
    if (node.block.indent > 0 || !isHeading(node.block.text)) {
      diagnostics.error(ParseCode.UnrecognizedLine, node.block.span.startLine, `line ${node.block.span.startLine} in INDICATIONS is neither a disease heading ${listed.size > 0 ? 'listed in the table of contents' : '(a Title Case name)'} nor a bullet: "${node.block.text.slice(0, 80)}"`);
      continue;
    }
    sections.push(diseaseSection(sections.length + 1, node.block, bullets, context));
  }
  const found = new Set(sections.map((section) => headingKey(section.heading)));
  for (const entry of listedEntries) {
    if (!found.has(headingKey(entry.title))) {
      diagnostics.error(ParseCode.TableOfContentsMismatch, entry.span.startLine, `the table of contents lists the disease section "${entry.title}", which INDICATIONS does not have (a heading changed, or was read as part of another line)`);
    }
  }
  return { continuation, sections };
}

function diseaseSection(ordinal: number, heading: Block, bullets: readonly BulletNode[], context: CriterionContext): DiseaseSection {
  const { name, groups } = splitHeading(heading.text);
  const abbreviation = groups.find((group) => /^[A-Za-z0-9-]{2,10}$/.test(group) && /[A-Z]{2}/.test(group)) ?? null;
  const qualifier = groups.filter((group) => group !== abbreviation).join('; ') || null;
  if (bullets.length === 0) {
    context.diagnostics.error(ParseCode.NoScenarios, heading.span.startLine, `indication "${heading.text}" has no population line and no scenarios`);
  }
  const populations: Population[] = [];
  for (const bullet of bullets) {
    if (!readsAsPopulation(bullet.block.text)) {
      context.diagnostics.error(
        ParseCode.NoPopulation,
        bullet.block.span.startLine,
        `line ${bullet.block.span.startLine} under "${heading.text}" is not a population line ("… may be used in … members …"): "${bullet.block.text.slice(0, 80)}"`,
      );
      continue;
    }
    for (const child of bullet.children) {
      if (readsAsPopulation(child.block.text)) {
        context.diagnostics.error(ParseCode.PopulationAsScenario, child.block.span.startLine, `line ${child.block.span.startLine} reads as a population line but is indented as a scenario`);
      }
    }
    if (bullet.children.length === 0) {
      context.diagnostics.error(ParseCode.NoScenarios, bullet.block.span.startLine, `the population at line ${bullet.block.span.startLine} of "${heading.text}" has no scenarios`);
    }
    const scenarios = bullet.children.map((child, i) => buildCriterion(child, 'INDICATION_SCENARIO', 'INDICATION_SCENARIO', i + 1, name, context));
    populations.push(parsePopulation(populations.length + 1, bullet.block, scenarios));
  }
  return { ordinal, heading: heading.text, name, abbreviation, qualifier, populations, span: spanOver(heading, bullets) };
}

export function parsePopulation(ordinal: number, block: Block, scenarios: Population['scenarios']): Population {
  const { text } = block;
  const groups: ('adult' | 'pediatric')[] = [];
  if (/\badults?\b/i.test(text)) groups.push('adult');
  if (/\bpediatric\b|\bchildren\b/i.test(text)) groups.push('pediatric');
  const markers = markersIn(text);
  return { ordinal, text, groups, minimumAge: minimumAge(text), markers, condition: conditionOf(text, markers), scenarios, span: block.span };
}

/** "CD19-positive", "BCR-ABL positive": a marker name joined to positive/negative by a hyphen or a space. */
function markersIn(text: string): string[] {
  const words = text.split(' ');
  const markers: string[] = [];
  const status = (word: string): string | null => {
    const bare = trimTrailing(word, ',;:.)');
    return bare === 'positive' || bare === 'negative' ? bare : null;
  };
  words.forEach((raw, index) => {
    const word = raw.startsWith('(') ? raw.slice(1) : raw;
    const hyphen = word.lastIndexOf('-');
    const joined = hyphen > 0 ? status(word.slice(hyphen + 1)) : null;
    if (joined && MARKER_NAME.test(word.slice(0, hyphen))) markers.push(`${word.slice(0, hyphen)}-${joined}`);
    const next = words[index + 1];
    const spaced = next === undefined ? null : status(next);
    if (spaced && MARKER_NAME.test(trimTrailing(word, ','))) markers.push(`${word} ${spaced}`);
  });
  return markers;
}

/** "… with CD19-positive B-cell ALL in the following scenarios:" → "B-cell ALL" (markers are kept apart). */
function conditionOf(text: string, markers: readonly string[]): string | null {
  const at = text.indexOf(' with ');
  if (at < 0) return null;
  let condition = text.slice(at + 6).replace(/:$/, '');
  const suffix = ' in the following scenarios';
  if (condition.toLowerCase().endsWith(suffix)) condition = condition.slice(0, -suffix.length);
  const withoutMarkers = markers.reduce((rest, marker) => rest.replace(marker, ''), condition).replace(/\s+/g, ' ').trim();
  return withoutMarkers || null;
}

function minimumAge(text: string): MinimumAge | null {
  const match = MINIMUM_AGE.exec(text);
  if (!match) return null;
  const word = (match[1] ?? '').toLowerCase();
  const value = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
  if (value === undefined) return null;
  return { value, unit: (match[2] ?? '').toLowerCase() as MinimumAge['unit'], text: match[0] };
}

function spanOver(first: Block, rest: readonly BulletNode[]): SourceSpan {
  const all = rest.flatMap(flattenNode);
  return { startLine: first.span.startLine, endLine: Math.max(first.span.endLine, ...all.map((block) => block.span.endLine)) };
}
