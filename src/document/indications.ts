import type { ContinuationExemption, DiseaseSection, MinimumAge, Paragraph, Population, SourceSpan } from '../domain/document.ts';
import type { BulletNode } from './blocks.ts';
import type { CriterionContext } from './criteria.ts';
import { buildCriterion } from './criteria.ts';
import { ParseCode } from './diagnostics.ts';

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
};
const MINIMUM_AGE = /\b(\d+|[a-z]+)\s+(day|week|month|year)s?(?:\s+of age)?\s+and older\b/i;
const MARKER = /\b([A-Z][A-Za-z0-9]*(?:[-/][A-Z0-9]+)*)[- ](positive|negative)\b/g;
/** "Acute Lymphoblastic Leukemia (ALL) (Both … subtypes)": trailing parentheticals. */
const TRAILING_GROUP = /\s*\(([^()]*)\)\s*$/;

export interface IndicationsResult {
  readonly continuation: ContinuationExemption | null;
  readonly sections: DiseaseSection[];
  readonly unused: Paragraph[];
}

/**
 * The INDICATIONS section: an optional continuation-of-therapy exemption (a paragraph ending in
 * "provided" and its conditions), then disease sections, each a heading paragraph, one population
 * bullet, and its scenarios as sub-bullets.
 */
export function parseIndications(roots: readonly BulletNode[], context: CriterionContext): IndicationsResult {
  let continuation: ContinuationExemption | null = null;
  const sections: DiseaseSection[] = [];
  const unused: Paragraph[] = [];
  let index = 0;
  while (index < roots.length) {
    const node = roots[index] as BulletNode;
    index += 1;
    if (node.block.kind !== 'paragraph') {
      unused.push(...flatten(node));
      continue;
    }
    const bullets: BulletNode[] = [];
    while (index < roots.length && roots[index]?.block.kind === 'bullet') bullets.push(roots[index++] as BulletNode);
    if (continuation === null && sections.length === 0 && /^Continuation requests\b/i.test(node.block.text)) {
      const conditions = bullets.map((bullet, i) => buildCriterion(bullet, 'CONTINUATION_CONDITION', 'CONTINUATION_CONDITION', i + 1, '', context));
      continuation = { preamble: node.block.text, conditions, span: spanOver(node, bullets) };
      continue;
    }
    sections.push(diseaseSection(sections.length + 1, node, bullets, context));
  }
  return { continuation, sections, unused };
}

function diseaseSection(ordinal: number, heading: BulletNode, bullets: readonly BulletNode[], context: CriterionContext): DiseaseSection {
  let name = heading.block.text;
  const groups: string[] = [];
  for (let match = TRAILING_GROUP.exec(name); match; match = TRAILING_GROUP.exec(name)) {
    groups.unshift(match[1] ?? '');
    name = name.slice(0, match.index);
  }
  const abbreviation = groups.find((group) => /^[A-Z0-9-]{2,10}$/.test(group)) ?? null;
  const qualifier = groups.filter((group) => group !== abbreviation).join('; ') || null;
  const [populationNode, ...others] = bullets;
  const population = populationNode && isPopulation(populationNode) ? parsePopulation(populationNode) : null;
  const scenarioNodes = population && populationNode ? [...populationNode.children, ...others] : [...bullets];
  if (scenarioNodes.length === 0) {
    context.diagnostics.error(ParseCode.NoScenarios, heading.block.span.startLine, `indication "${heading.block.text}" has no scenarios`);
  }
  const scenarios = scenarioNodes.map((node, i) => buildCriterion(node, 'INDICATION_SCENARIO', 'INDICATION_SCENARIO', i + 1, name, context));
  return {
    ordinal,
    heading: heading.block.text,
    name: name.trim(),
    abbreviation,
    qualifier,
    population,
    scenarios,
    span: spanOver(heading, bullets),
  };
}

function isPopulation(node: BulletNode): boolean {
  return node.children.length > 0 || /\bmay be used\b|\bmembers?\b|\bpatients?\b/i.test(node.block.text);
}

export function parsePopulation(node: BulletNode): Population {
  const text = node.block.text;
  const groups: ('adult' | 'pediatric')[] = [];
  if (/\badults?\b/i.test(text)) groups.push('adult');
  if (/\bpediatric\b|\bchildren\b/i.test(text)) groups.push('pediatric');
  const markers = [...text.matchAll(MARKER)].map((match) => match[0]);
  const condition = /\bwith (.+?)(?:\s+in the following scenarios)?:?$/i.exec(text)?.[1];
  const conditionWithoutMarkers = condition
    ? markers.reduce((rest, marker) => rest.replace(marker, ''), condition).replace(/\s+/g, ' ').trim()
    : null;
  return {
    text,
    groups,
    minimumAge: minimumAge(text),
    markers,
    condition: conditionWithoutMarkers || null,
    span: node.block.span,
  };
}

function minimumAge(text: string): MinimumAge | null {
  const match = MINIMUM_AGE.exec(text);
  if (!match) return null;
  const word = (match[1] ?? '').toLowerCase();
  const value = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
  if (value === undefined) return null;
  return { value, unit: (match[2] ?? '').toLowerCase() as MinimumAge['unit'], text: match[0] };
}

function spanOver(first: BulletNode, rest: readonly BulletNode[]): SourceSpan {
  const all = [first, ...rest].flatMap(flatten);
  return { startLine: first.block.span.startLine, endLine: Math.max(...all.map((p) => p.span.endLine)) };
}

export function flatten(node: BulletNode): Paragraph[] {
  return [{ text: node.block.text, span: node.block.span }, ...node.children.flatMap(flatten)];
}
