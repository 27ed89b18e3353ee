import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import { ruleSetDiagnostics, schemaProblemPath } from '../../src/services/rule-set-diagnostics.ts';
import { shippedText } from '../support/documents.ts';

const document = parseGuideline(shippedText('blincyto/Evolut_CG_3258-2026-01.txt')).document;
const rules = shippedText('blincyto/Evolut_CG_3258-2026-01.rules.yaml');

function diagnose(text: string) {
  if (!document) throw new Error('seed must parse');
  const { source, problems } = validateRuleSetSource(parse(text));
  if (!source) return ruleSetDiagnostics('blincyto.rules.yaml', text, problems.map((message) => ({ code: 'RULES_SCHEMA', ...schemaProblemPath(message) })));
  return ruleSetDiagnostics('blincyto.rules.yaml', text, compileRuleSet(source, document).problems);
}

/** 1-based line and column where `needle` starts in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`fixture drift: ${needle}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

describe('rule-set problems point at the rules file, with what was expected and found', () => {
  it('a declared limit that contradicts the text: the line of the limit, both limits in full, and the fix', () => {
    const edited = rules.replace('limit: { kind: MAX_DOSE, amount: 28,', 'limit: { kind: MAX_DOSE, amount: 35,');
    const [diagnostic] = diagnose(edited);
    expect(diagnostic).toEqual({
      code: 'RULES_LIMIT_MISMATCH', severity: 'error', file: 'blincyto.rules.yaml', ...positionOf(edited, '{ kind: MAX_DOSE, amount: 35,'),
      message: 'exclusion EXC-de3884ab31: the declared limit { kind: MAX_DOSE, amount: 35, unit: mcg, per: [day] } is not the limit in the text: { kind: MAX_DOSE, amount: 28, unit: mcg, per: [day] }',
      expected: '{ kind: MAX_DOSE, amount: 28, unit: mcg, per: [day] }',
      found: '{ kind: MAX_DOSE, amount: 35, unit: mcg, per: [day] }',
      hint: 'declare { kind: MAX_DOSE, amount: 28, unit: mcg, per: [day] } (the text: "28 mcg/day")',
    });
  });

  it('a misquoted criterion: the line of the quote and the first word where the texts part', () => {
    const edited = rules.replace('text: "Known hypersensitivity to blinatumomab or any component of the formulation."', 'text: "Known allergy to blinatumomab or any component of the formulation."');
    const [diagnostic] = diagnose(edited);
    expect(diagnostic).toMatchObject({
      code: 'RULES_CITATION_MISMATCH', ...positionOf(edited, '"Known allergy'),
      expected: 'Known hypersensitivity to blinatumomab or any component of the formulation.',
      found: 'Known allergy to blinatumomab or any component of the formulation.',
    });
    expect(diagnostic?.message).toContain('they differ at word 2: the version has "hypersensitivity", the rule set "allergy"');
  });

  it('a schema problem: the line of the offending value', () => {
    const edited = rules.replace('type: date', 'type: calendar');
    const diagnostics = diagnose(edited);
    expect(diagnostics[0]).toMatchObject({ code: 'RULES_SCHEMA', ...positionOf(edited, 'calendar') });
    expect(diagnostics[0]?.message).toMatch(/^\/facts\/0\/type must be equal to one of the allowed values/);
  });

  it('problems are all reported, sorted by place in the file', () => {
    const edited = rules
      .replace('limit: { kind: MAX_DOSE, amount: 28,', 'limit: { kind: MAX_DOSE, amount: 35,')
      .replace('text: "Known hypersensitivity to blinatumomab or any component of the formulation."', 'text: "Known allergy."');
    const lines = diagnose(edited).map((diagnostic) => diagnostic.line);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
});
