import type { Criterion } from '../domain/document.ts';
import { flattenNode, toBlocks, toBulletTree } from './blocks.ts';
import type { CriterionContext } from './criteria.ts';
import { buildCriterion } from './criteria.ts';
import { ParseCode } from './diagnostics.ts';
import type { LineToken } from './lexer.ts';

/** EXCLUSION CRITERIA: each top bullet is an exclusion, sub-bullets are its details; nothing else may appear. */
export function parseExclusions(tokens: readonly LineToken[], headingLine: number, context: CriterionContext): Criterion[] {
  const value: Criterion[] = [];
  for (const node of toBulletTree(toBlocks(tokens, context.diagnostics), context.diagnostics)) {
    if (node.block.kind !== 'bullet') {
      for (const block of flattenNode(node)) {
        context.diagnostics.error(ParseCode.UnrecognizedLine, block.span.startLine, `line ${block.span.startLine} of EXCLUSION CRITERIA is not a bullet: "${block.text.slice(0, 80)}"`);
      }
      continue;
    }
    value.push(buildCriterion(node, 'EXCLUSION', 'EXCLUSION_DETAIL', value.length + 1, '', context));
  }
  if (value.length === 0) context.diagnostics.error(ParseCode.NoExclusions, headingLine, 'EXCLUSION CRITERIA lists no exclusion');
  return value;
}
