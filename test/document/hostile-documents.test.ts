import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { shippedText } from '../support/documents.ts';
import { hostileDocuments } from '../support/hostile-documents.ts';

/**
 * Megabyte-sized documents built to exhaust the parser (long runs for backtracking patterns, deep
 * nesting for the stack, floods of duplicates and of problems). Each is refused with coded
 * diagnostics of bounded number, or parsed; none throws. Their parse times are what
 * `npx tsx bench/parse.ts` reports; the API test runs them under evaluateDraft's hard deadline.
 */
const hostile = hostileDocuments(shippedText('blincyto/Evolut_CG_3258-2026-01.txt'));

describe(`hostile documents (${hostile.length}, about 1 MB each)`, () => {
  it.each(hostile)('$name: refused with coded errors or parsed, never a crash', ({ text }) => {
    const result = parseGuideline(text);
    expect(result.diagnostics.every((diagnostic) => diagnostic.code.startsWith('PARSE_'))).toBe(true);
    expect(result.diagnostics.length).toBeLessThanOrEqual(3 * 200 + 1);
    if (!result.document) expect(result.diagnostics.some((diagnostic) => diagnostic.severity === 'error')).toBe(true);
  });
});
