import type { Connective, Criterion, CriterionKind } from '../domain/document.ts';
import type { BulletNode } from './blocks.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { readLimits } from './limits.ts';
import { stableKey } from './stable-key.ts';

/** Splits "… AND" into the criterion text and its connective to the next item. */
export function splitConnective(text: string): { text: string; connective: Connective | null } {
  for (const connective of ['AND', 'OR'] as const) {
    if (text.endsWith(` ${connective}`)) return { text: text.slice(0, -connective.length).trimEnd(), connective };
  }
  return { text, connective: null };
}

export interface CriterionContext {
  readonly diagnostics: DiagnosticCollector;
  /** Keys already given in this document, each with the next suffix to try: a repeated criterion gets a suffixed key and an info. */
  readonly usedKeys: Map<string, number>;
}

const LIMIT_KINDS = new Set<CriterionKind>(['EXCLUSION', 'EXCLUSION_DETAIL']);

export function buildCriterion(
  node: BulletNode,
  kind: CriterionKind,
  childKind: CriterionKind,
  ordinal: number,
  scope: string,
  context: CriterionContext,
): Criterion {
  const { text, connective } = splitConnective(node.block.text);
  let key = stableKey(kind, scope, text);
  if (context.usedKeys.has(key)) {
    const base = key;
    let suffix = context.usedKeys.get(base) ?? 2;
    while (context.usedKeys.has(`${base}-${suffix}`)) suffix += 1;
    context.usedKeys.set(base, suffix + 1);
    context.diagnostics.info(ParseCode.DuplicateCriterion, node.block.span.startLine, `criterion repeats an earlier one; key ${base}-${suffix}`);
    key = `${base}-${suffix}`;
  }
  if (!context.usedKeys.has(key)) context.usedKeys.set(key, 2);
  const children = node.children.map((child, index) => buildCriterion(child, childKind, childKind, index + 1, key, context));
  // A criterion introduces its sub-items ("… any of the following:", "… including:"). Sub-bullets under
  // one that does not were most likely left behind by a deleted or mis-indented line: reading them as
  // its details would change what both say.
  if (children.length > 0 && !text.endsWith(':')) {
    context.diagnostics.error(
      ParseCode.UnintroducedSublist,
      node.block.span.startLine,
      `line ${node.block.span.startLine} has sub-items but does not introduce them with ":" (a line above them is missing or mis-indented?): "${text.slice(0, 80)}"`,
    );
  }
  const endLine = Math.max(node.block.span.endLine, ...children.map((child) => child.span.endLine));
  const reading = LIMIT_KINDS.has(kind) ? readLimits(text, kind === 'EXCLUSION') : { limits: [], problems: [] };
  for (const problem of reading.problems) {
    context.diagnostics.error(ParseCode.UnreadLimit, node.block.span.startLine, `line ${node.block.span.startLine}: ${problem}`);
  }
  return { key, kind, ordinal, text, connective, limits: reading.limits, children, span: { startLine: node.block.span.startLine, endLine } };
}
