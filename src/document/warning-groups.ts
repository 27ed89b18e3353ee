import type { Criterion, Heading, Paragraph } from '../domain/document.ts';
import { toBlocks, toBulletTree } from './blocks.ts';
import type { CriterionContext } from './criteria.ts';
import { buildCriterion } from './criteria.ts';
import { ParseCode } from './diagnostics.ts';
import type { LineToken } from './lexer.ts';

export interface WarningGroups {
  readonly contraindications: Criterion[];
  readonly contraindicationsNone: Paragraph | null;
  readonly boxedWarnings: Criterion[];
  readonly warnings: Criterion[];
  readonly groupHeadings: Heading[];
}

const GROUPS = [
  { pattern: /^contraindications?$/i, kind: 'CONTRAINDICATION', field: 'contraindications' },
  { pattern: /^(?:us |u\.s\. )?boxed warnings?$/i, kind: 'BOXED_WARNING', field: 'boxedWarnings' },
  { pattern: /^(?:warnings?|warnings? and precautions|precautions)$/i, kind: 'WARNING', field: 'warnings' },
] as const;

/**
 * "None listed in the product labeling.", "None.", "None known": the label states there are none.
 * "None, except known hypersensitivity …" states one: it is a contraindication, not a none statement.
 */
function isNoneStatement(text: string): boolean {
  return /^none\b/i.test(text) && !/\b(?:except|other than|besides|but|aside from|apart from|unless)\b/i.test(text);
}

/**
 * CONTRAINDICATIONS/WARNINGS: each top bullet names a group, its sub-bullets are the items. The
 * contraindications group is required and holds either criteria or one explicit "None …" statement.
 */
export function parseWarningGroups(tokens: readonly LineToken[], headingLine: number, context: CriterionContext): WarningGroups {
  const { diagnostics } = context;
  const value: { -readonly [K in keyof WarningGroups]: WarningGroups[K] } = { contraindications: [], contraindicationsNone: null, boxedWarnings: [], warnings: [], groupHeadings: [] };
  let sawContraindications = false;
  for (const node of toBulletTree(toBlocks(tokens, diagnostics), diagnostics)) {
    const group = node.block.kind === 'bullet' ? GROUPS.find((candidate) => candidate.pattern.test(node.block.text.replace(/:$/, ''))) : undefined;
    if (!group) {
      diagnostics.error(
        node.block.kind === 'bullet' ? ParseCode.UnknownWarningGroup : ParseCode.UnrecognizedLine,
        node.block.span.startLine,
        node.block.kind === 'bullet'
          ? `"${node.block.text.slice(0, 80)}" at line ${node.block.span.startLine} is not Contraindications, US Boxed Warning or Warnings`
          : `line ${node.block.span.startLine} is not a bullet of CONTRAINDICATIONS/WARNINGS: "${node.block.text.slice(0, 80)}"`,
      );
      continue;
    }
    value.groupHeadings.push({ text: node.block.text, level: 3, span: node.block.span });
    if (node.children.length === 0) {
      diagnostics.error(ParseCode.EmptyWarningGroup, node.block.span.startLine, `"${node.block.text}" at line ${node.block.span.startLine} lists nothing`);
    }
    if (group.field === 'contraindications') {
      sawContraindications = true;
      const [only] = node.children;
      if (node.children.length === 1 && only && only.children.length === 0 && isNoneStatement(only.block.text)) {
        value.contraindicationsNone = { text: only.block.text, span: only.block.span };
        continue;
      }
      for (const child of node.children) {
        if (isNoneStatement(child.block.text)) {
          diagnostics.error(ParseCode.UnrecognizedLine, child.block.span.startLine, `"${child.block.text}" says there are no contraindications, but others are listed with it`);
        }
      }
    }
    const list = value[group.field];
    for (const child of node.children) list.push(buildCriterion(child, group.kind, group.kind, list.length + 1, '', context));
  }
  if (!sawContraindications) {
    diagnostics.error(ParseCode.NoContraindications, headingLine, 'CONTRAINDICATIONS/WARNINGS has no Contraindications group (write "None listed in the product labeling." when there are none)');
  }
  return value;
}
