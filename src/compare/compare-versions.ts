import { diffWords } from 'diff';
import type { Criterion, DiseaseSection, GuidelineDocument, QuantitativeLimit } from '../domain/document.ts';
import { formatYearMonth } from '../domain/document.ts';
import { referenceIdentity } from '../domain/reference-identity.ts';

/** The closed set of change kinds an auditor sees. */
export type ChangeKind =
  | 'METADATA_CHANGED' | 'CRITERION_ADDED' | 'CRITERION_REMOVED' | 'CRITERION_CHANGED' | 'LIMIT_TIGHTENED' | 'LIMIT_LOOSENED'
  | 'LINE_OF_BUSINESS_NOW_APPLICABLE' | 'LINE_OF_BUSINESS_NO_LONGER_APPLICABLE' | 'CODE_ADDED' | 'CODE_REMOVED' | 'CODE_CHANGED'
  | 'REFERENCE_ADDED' | 'REFERENCE_REMOVED' | 'POLICY_HISTORY_ADDED' | 'DISEASE_SECTION_ADDED' | 'DISEASE_SECTION_REMOVED' | 'POPULATION_CHANGED'
  | 'POPULATION_ADDED' | 'POPULATION_REMOVED' | 'POLICY_HISTORY_REMOVED' | 'STATEMENT_PARAGRAPH_ADDED' | 'STATEMENT_PARAGRAPH_REMOVED'
  | 'STATEMENT_PARAGRAPH_CHANGED' | 'DISCLAIMER_PARAGRAPH_ADDED' | 'DISCLAIMER_PARAGRAPH_REMOVED' | 'DISCLAIMER_PARAGRAPH_CHANGED';

export interface WordDiffPart {
  readonly op: 'KEPT' | 'ADDED' | 'REMOVED';
  readonly text: string;
}

export interface Change {
  readonly kind: ChangeKind;
  readonly section: string;
  readonly subject: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly wordDiff: readonly WordDiffPart[] | null;
  readonly description: string;
}

/** Two criteria whose texts share at least this share of words are the same criterion, edited. */
const SIMILARITY_THRESHOLD = 0.5;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}/.]+/u).filter(Boolean));
}

export function similarity(a: string, b: string): number {
  const left = words(a);
  const right = words(b);
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  const union = left.size + right.size - shared;
  return union === 0 ? 1 : shared / union;
}

export function wordDiff(before: string, after: string): WordDiffPart[] {
  return diffWords(before, after).map((part) => ({ op: part.added ? 'ADDED' : part.removed ? 'REMOVED' : 'KEPT', text: part.value }));
}

function flatten(criteria: readonly Criterion[]): Criterion[] {
  return criteria.flatMap((criterion) => [criterion, ...flatten(criterion.children)]);
}

function describeLimit(limit: QuantitativeLimit): string {
  const cap = limit.cap ? ` up to ${limit.cap.amount} ${limit.cap.unit}` : '';
  const interval = limit.interval ? ` every ${limit.interval.amount} ${limit.interval.unit}` : '';
  const circumstance = [limit.qualifier, limit.condition].filter(Boolean).join('; ');
  return `${limit.amount} ${[limit.unit, ...limit.per].join('/')}${cap}${interval}${circumstance ? ` (${circumstance})` : ''}`;
}

/** The same limit in two versions: same kind, unit, basis and circumstance (amounts may differ). */
function sameLimitSlot(a: QuantitativeLimit, b: QuantitativeLimit): boolean {
  return a.kind === b.kind && a.unit === b.unit && a.per.join('/') === b.per.join('/') && a.alternative === b.alternative && a.qualifier === b.qualifier && a.condition === b.condition;
}

/**
 * Limits are maximums: a smaller amount or cap is tighter, and so is a longer interval between doses.
 * Returns -1 tighter, 1 looser, 0 the same; null when the parts move in opposite directions.
 */
function limitDirection(before: QuantitativeLimit, after: QuantitativeLimit): -1 | 0 | 1 | null {
  const signs = [
    Math.sign(after.amount - before.amount),
    before.cap && after.cap && before.cap.unit === after.cap.unit ? Math.sign(after.cap.amount - before.cap.amount) : 0,
    before.interval && after.interval && before.interval.unit === after.interval.unit ? Math.sign(before.interval.amount - after.interval.amount) : 0,
  ].filter((sign) => sign !== 0);
  if (signs.length === 0) return 0;
  return signs.every((sign) => sign === signs[0]) ? (signs[0] as -1 | 1) : null;
}

function limitChanges(section: string, before: Criterion, after: Criterion): Change[] {
  return after.limits.flatMap((newLimit) => {
    const old = before.limits.find((candidate) => sameLimitSlot(candidate, newLimit));
    const direction = old ? limitDirection(old, newLimit) : 0;
    if (!old || direction === 0 || direction === null) return [];
    const kind: ChangeKind = direction < 0 ? 'LIMIT_TIGHTENED' : 'LIMIT_LOOSENED';
    return [{
      kind, section, subject: after.key, before: describeLimit(old), after: describeLimit(newLimit), wordDiff: null,
      description: `${newLimit.kind === 'MAX_DOSE' ? 'dose' : 'duration'} limit ${kind === 'LIMIT_TIGHTENED' ? 'tightened' : 'loosened'} from ${describeLimit(old)} to ${describeLimit(newLimit)}`,
    }];
  });
}

/** Matches criteria by stable key, then the rest by text similarity (best pairs first), never by position. */
function compareCriteria(section: string, before: readonly Criterion[], after: readonly Criterion[]): Change[] {
  const afterKeys = new Set(after.map((criterion) => criterion.key));
  const beforeKeys = new Set(before.map((criterion) => criterion.key));
  const removed = before.filter((criterion) => !afterKeys.has(criterion.key));
  const added = after.filter((criterion) => !beforeKeys.has(criterion.key));
  const pairs = removed
    .flatMap((old) => added.map((candidate) => ({ old, candidate, score: similarity(old.text, candidate.text) })))
    .filter((pair) => pair.score >= SIMILARITY_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.old.span.startLine - b.old.span.startLine);
  const matchedOld = new Set<Criterion>();
  const matchedNew = new Set<Criterion>();
  const changes: Change[] = [];
  for (const { old, candidate } of pairs) {
    if (matchedOld.has(old) || matchedNew.has(candidate)) continue;
    matchedOld.add(old);
    matchedNew.add(candidate);
    changes.push({
      kind: 'CRITERION_CHANGED', section, subject: `${old.key} → ${candidate.key}`, before: old.text, after: candidate.text, wordDiff: wordDiff(old.text, candidate.text),
      description: `${old.kind.toLowerCase().replaceAll('_', ' ')} reworded`,
    });
    changes.push(...limitChanges(section, old, candidate));
  }
  for (const old of removed) {
    if (!matchedOld.has(old)) changes.push({ kind: 'CRITERION_REMOVED', section, subject: old.key, before: old.text, after: null, wordDiff: null, description: `${old.kind.toLowerCase().replaceAll('_', ' ')} removed` });
  }
  for (const criterion of added) {
    if (!matchedNew.has(criterion)) changes.push({ kind: 'CRITERION_ADDED', section, subject: criterion.key, before: null, after: criterion.text, wordDiff: null, description: `${criterion.kind.toLowerCase().replaceAll('_', ' ')} added` });
  }
  return changes;
}

/** Every scenario of a section with its sub-items ("including:" lists), so a removed sub-item shows too. */
function scenariosOf(section: DiseaseSection): Criterion[] {
  return flatten(section.populations.flatMap((population) => population.scenarios));
}

/** Populations are matched by their place in the section (first, second, …): their text is what changes. */
function comparePopulations(before: DiseaseSection, after: DiseaseSection): Change[] {
  const changes: Change[] = [];
  const count = Math.max(before.populations.length, after.populations.length);
  for (let index = 0; index < count; index += 1) {
    const old = before.populations[index];
    const current = after.populations[index];
    const subject = `${after.name} population ${index + 1}`;
    if (old && current && old.text !== current.text) {
      changes.push({ kind: 'POPULATION_CHANGED', section: 'INDICATIONS', subject, before: old.text, after: current.text, wordDiff: wordDiff(old.text, current.text), description: `population ${index + 1} of ${after.name} changed` });
    } else if (!old && current) {
      changes.push({ kind: 'POPULATION_ADDED', section: 'INDICATIONS', subject, before: null, after: current.text, wordDiff: null, description: `population added to ${after.name}` });
    } else if (old && !current) {
      changes.push({ kind: 'POPULATION_REMOVED', section: 'INDICATIONS', subject, before: old.text, after: null, wordDiff: null, description: `population removed from ${after.name}` });
    }
  }
  return changes;
}

function compareIndications(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  const changes: Change[] = [];
  for (const section of after.indications) {
    const old = before.indications.find((candidate) => candidate.name === section.name);
    if (!old) {
      changes.push({ kind: 'DISEASE_SECTION_ADDED', section: 'INDICATIONS', subject: section.name, before: null, after: section.heading, wordDiff: null, description: `indication ${section.heading} added` });
      changes.push(...compareCriteria('INDICATIONS', [], scenariosOf(section)));
      continue;
    }
    changes.push(...comparePopulations(old, section));
    changes.push(...compareCriteria('INDICATIONS', scenariosOf(old), scenariosOf(section)));
  }
  for (const old of before.indications) {
    if (!after.indications.some((candidate) => candidate.name === old.name)) {
      changes.push({ kind: 'DISEASE_SECTION_REMOVED', section: 'INDICATIONS', subject: old.name, before: old.heading, after: null, wordDiff: null, description: `indication ${old.heading} removed` });
      changes.push(...compareCriteria('INDICATIONS', scenariosOf(old), []));
    }
  }
  return changes;
}

function compareMetadata(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  const fields: [string, string, string][] = [
    ['title', before.header.title, after.header.title],
    ['brandName', before.header.brandName, after.header.brandName],
    ['genericName', before.header.genericName, after.header.genericName],
    ['originalDate', formatYearMonth(before.header.originalDate), formatYearMonth(after.header.originalDate)],
    ['lastRevisedDate', formatYearMonth(before.header.lastRevisedDate), formatYearMonth(after.header.lastRevisedDate)],
    ['implementationDate', formatYearMonth(before.header.implementationDate), formatYearMonth(after.header.implementationDate)],
    ['copyright', before.header.copyright, after.header.copyright],
    ['contraindicationsNone', before.contraindicationsNone?.text ?? '', after.contraindicationsNone?.text ?? ''],
  ];
  return fields
    .filter(([, old, current]) => old !== current)
    .map(([field, old, current]) => ({ kind: 'METADATA_CHANGED' as const, section: 'HEADER', subject: field, before: old, after: current, wordDiff: null, description: `${field} changed from ${old} to ${current}` }));
}

function compareLinesOfBusiness(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  return after.linesOfBusiness.flatMap((line): Change[] => {
    const wasApplicable = before.linesOfBusiness.find((candidate) => candidate.code === line.code)?.applicable ?? false;
    if (wasApplicable === line.applicable) return [];
    const kind = line.applicable ? 'LINE_OF_BUSINESS_NOW_APPLICABLE' : 'LINE_OF_BUSINESS_NO_LONGER_APPLICABLE';
    return [{ kind, section: 'LINES_OF_BUSINESS', subject: line.code, before: String(wasApplicable), after: String(line.applicable), wordDiff: null, description: `${line.label} is ${line.applicable ? 'now' : 'no longer'} applicable` }];
  }).concat(
    before.linesOfBusiness
      .filter((line) => line.applicable && !after.linesOfBusiness.some((candidate) => candidate.code === line.code))
      .map((line) => ({ kind: 'LINE_OF_BUSINESS_NO_LONGER_APPLICABLE' as const, section: 'LINES_OF_BUSINESS', subject: line.code, before: 'true', after: null, wordDiff: null, description: `${line.label} is no longer listed` })),
  );
}

function compareCodes(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  const changes: Change[] = [];
  for (const code of after.codes) {
    const old = before.codes.find((candidate) => candidate.code === code.code);
    if (!old) changes.push({ kind: 'CODE_ADDED', section: 'CODES', subject: code.code, before: null, after: code.description, wordDiff: null, description: `${code.system} ${code.code} added` });
    else if (old.description !== code.description) changes.push({ kind: 'CODE_CHANGED', section: 'CODES', subject: code.code, before: old.description, after: code.description, wordDiff: wordDiff(old.description, code.description), description: `${code.code} description or billing unit changed` });
  }
  for (const old of before.codes) {
    if (!after.codes.some((candidate) => candidate.code === old.code)) changes.push({ kind: 'CODE_REMOVED', section: 'CODES', subject: old.code, before: old.description, after: null, wordDiff: null, description: `${old.system} ${old.code} removed` });
  }
  return changes;
}

/** References match by identity (DOI, else normalized citation), so renumbering is not a change. */
function compareReferences(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  const identity = referenceIdentity;
  const count = (items: GuidelineDocument['references']): Map<string, GuidelineDocument['references'][number][]> => {
    const map = new Map<string, GuidelineDocument['references'][number][]>();
    for (const item of items) map.set(identity(item), [...(map.get(identity(item)) ?? []), item]);
    return map;
  };
  const old = count(before.references);
  const current = count(after.references);
  const changes: Change[] = [];
  for (const [id, items] of current) {
    for (const item of items.slice((old.get(id) ?? []).length)) {
      changes.push({ kind: 'REFERENCE_ADDED', section: 'REFERENCES', subject: item.doi ?? `#${item.ordinal}`, before: null, after: item.citation, wordDiff: null, description: `reference added (now #${item.ordinal})` });
    }
  }
  for (const [id, items] of old) {
    for (const item of items.slice((current.get(id) ?? []).length)) {
      changes.push({ kind: 'REFERENCE_REMOVED', section: 'REFERENCES', subject: item.doi ?? `#${item.ordinal}`, before: item.citation, after: null, wordDiff: null, description: `reference removed (was #${item.ordinal})` });
    }
  }
  return changes;
}

function comparePolicyHistory(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  const identity = (row: GuidelineDocument['policyHistory'][number]): string => `${formatYearMonth(row.date)}|${row.items.join('|')}`;
  const had = new Set(before.policyHistory.map(identity));
  const has = new Set(after.policyHistory.map(identity));
  return [
    ...after.policyHistory
      .filter((row) => !had.has(identity(row)))
      .map((row) => ({ kind: 'POLICY_HISTORY_ADDED' as const, section: 'POLICY_HISTORY', subject: formatYearMonth(row.date), before: null, after: row.items.join('; '), wordDiff: null, description: `history row ${formatYearMonth(row.date)} added` })),
    // History is meant to only grow: a row that disappeared (or was reworded) is exactly what an auditor must see.
    ...before.policyHistory
      .filter((row) => !has.has(identity(row)))
      .map((row) => ({ kind: 'POLICY_HISTORY_REMOVED' as const, section: 'POLICY_HISTORY', subject: formatYearMonth(row.date), before: row.items.join('; '), after: null, wordDiff: null, description: `history row ${formatYearMonth(row.date)} removed` })),
  ];
}

/**
 * Free-text paragraphs (the statement with its evidence sources, the disclaimer): unchanged ones
 * matched by their text, an edited one by word similarity (its word diff shown), the rest added or
 * removed. Moving a paragraph is not a change.
 */
function compareParagraphs(section: 'STATEMENT' | 'DISCLAIMER', before: readonly { text: string }[], after: readonly { text: string }[]): Change[] {
  const remaining = [...after.map((paragraph) => paragraph.text)];
  const gone: string[] = [];
  for (const { text } of before) {
    const index = remaining.indexOf(text);
    if (index >= 0) remaining.splice(index, 1);
    else gone.push(text);
  }
  const changes: Change[] = [];
  const subject = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
  for (const old of gone) {
    let best = -1;
    let bestScore = SIMILARITY_THRESHOLD;
    remaining.forEach((candidate, index) => {
      const score = similarity(old, candidate);
      if (score >= bestScore) [best, bestScore] = [index, score];
    });
    if (best >= 0) {
      const [edited] = remaining.splice(best, 1) as [string];
      changes.push({ kind: `${section}_PARAGRAPH_CHANGED`, section, subject: subject(edited), before: old, after: edited, wordDiff: wordDiff(old, edited), description: `${section.toLowerCase()} paragraph changed` });
    } else changes.push({ kind: `${section}_PARAGRAPH_REMOVED`, section, subject: subject(old), before: old, after: null, wordDiff: null, description: `${section.toLowerCase()} paragraph removed` });
  }
  for (const added of remaining) changes.push({ kind: `${section}_PARAGRAPH_ADDED`, section, subject: subject(added), before: null, after: added, wordDiff: null, description: `${section.toLowerCase()} paragraph added` });
  return changes;
}

const statementParagraphs = (document: GuidelineDocument): { text: string }[] => [
  ...document.statement.paragraphs, { text: document.statement.evidenceIntro }, ...document.statement.evidenceSources,
].filter((paragraph) => paragraph.text.trim() !== '');

/**
 * A typed, positional-free diff of two versions of one guideline, grouped by section in document
 * order. Pure: documents in, changes out.
 */
export function compareVersions(before: GuidelineDocument, after: GuidelineDocument): Change[] {
  return [
    ...compareMetadata(before, after),
    ...compareParagraphs('STATEMENT', statementParagraphs(before), statementParagraphs(after)),
    ...compareCriteria('CONTINUATION', flatten(before.continuation?.conditions ?? []), flatten(after.continuation?.conditions ?? [])),
    ...compareIndications(before, after),
    ...compareCriteria('CONTRAINDICATIONS', flatten(before.contraindications), flatten(after.contraindications)),
    ...compareCriteria('BOXED_WARNINGS', flatten(before.boxedWarnings), flatten(after.boxedWarnings)),
    ...compareCriteria('WARNINGS', flatten(before.warnings), flatten(after.warnings)),
    ...compareCriteria('EXCLUSIONS', flatten(before.exclusions), flatten(after.exclusions)),
    ...compareCodes(before, after),
    ...compareLinesOfBusiness(before, after),
    ...comparePolicyHistory(before, after),
    ...compareReferences(before, after),
    ...compareParagraphs('DISCLAIMER', before.disclaimer, after.disclaimer),
  ];
}
