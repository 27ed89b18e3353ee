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
  /** Keys already given in this document: a repeated criterion gets a suffixed key and an info. */
  readonly usedKeys: Set<string>;
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
    let suffix = 2;
    while (context.usedKeys.has(`${key}-${suffix}`)) suffix += 1;
    context.diagnostics.info(ParseCode.DuplicateCriterion, node.block.span.startLine, `criterion repeats an earlier one; key ${key}-${suffix}`);
    key = `${key}-${suffix}`;
  }
  context.usedKeys.add(key);
  const children = node.children.map((child, index) => buildCriterion(child, childKind, childKind, index + 1, key, context));
  const endLine = Math.max(node.block.span.endLine, ...children.map((child) => child.span.endLine));
  const reading = LIMIT_KINDS.has(kind) ? readLimits(text) : { limits: [], problems: [] };
  for (const problem of reading.problems) {
    context.diagnostics.error(ParseCode.UnreadLimit, node.block.span.startLine, `line ${node.block.span.startLine}: ${problem}`);
  }
  return { key, kind, ordinal, text, connective, limits: reading.limits, children, span: { startLine: node.block.span.startLine, endLine } };
}
