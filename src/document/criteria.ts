import type { Connective, Criterion, CriterionKind } from '../domain/document.ts';
import type { BulletNode } from './blocks.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { parseLimits } from './limits.ts';
import { stableKey } from './stable-key.ts';

const TRAILING_CONNECTIVE = /\s+(AND|OR)\s*$/;

/** Splits "… AND" into the criterion text and its connective to the next item. */
export function splitConnective(text: string): { text: string; connective: Connective | null } {
  const match = TRAILING_CONNECTIVE.exec(text);
  if (!match) return { text, connective: null };
  return { text: text.slice(0, match.index), connective: match[1] as Connective };
}

export interface CriterionContext {
  readonly diagnostics: DiagnosticCollector;
  /** Keys already given in this document: a repeated criterion gets a suffixed key and an info. */
  readonly usedKeys: Set<string>;
}

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
  return {
    key,
    kind,
    ordinal,
    text,
    connective,
    limits: kind === 'EXCLUSION' || kind === 'EXCLUSION_DETAIL' ? parseLimits(text) : [],
    children,
    span: { startLine: node.block.span.startLine, endLine },
  };
}
