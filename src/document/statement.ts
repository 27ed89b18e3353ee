import type { Paragraph, Statement } from '../domain/document.ts';
import type { Block } from './blocks.ts';

/** "… supported by one of the following: A, B, or C." */
const EVIDENCE_LEAD = 'one of the following:';

/** Statement paragraphs; the one listing acceptable evidence is split into its sources. */
export function parseStatement(blocks: readonly Block[]): Statement {
  const paragraphs: Paragraph[] = [];
  let evidence: Pick<Statement, 'evidenceIntro' | 'evidenceSources' | 'evidenceSpan'> = {
    evidenceIntro: '',
    evidenceSources: [],
    evidenceSpan: { startLine: 0, endLine: 0 },
  };
  for (const block of blocks) {
    const at = block.text.toLowerCase().indexOf(EVIDENCE_LEAD);
    const rest = at < 0 ? '' : block.text.slice(at + EVIDENCE_LEAD.length).trim();
    if (at < 0 || rest === '' || evidence.evidenceSources.length > 0) {
      paragraphs.push({ text: block.text, span: block.span });
      continue;
    }
    evidence = {
      evidenceIntro: block.text.slice(0, at + EVIDENCE_LEAD.length),
      evidenceSources: splitList(rest).map((text) => ({ text, span: block.span })),
      evidenceSpan: block.span,
    };
  }
  return { paragraphs, ...evidence };
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
  return items.map((item) => item.trim().replace(/^(?:or|and) /i, '').trim()).filter((item) => item !== '');
}
