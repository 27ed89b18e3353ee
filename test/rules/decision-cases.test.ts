import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runRuleSetCases, validateRuleSetCases } from '../../src/rules/rule-set-cases.ts';
import { guidelinesDir } from '../support/documents.ts';
import { loadGuideline } from '../support/rule-sets.ts';

/** Every rule set's own cases (`<name>.cases.yaml` beside it), each case a test; ingestion runs the same suite. */
const caseFiles = readdirSync(guidelinesDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.cases.yaml'))
  .map((entry) => join(entry.parentPath, entry.name))
  .sort();

describe('rule-set case files', () => {
  it('every shipped guideline is decidable: a rule set and its cases beside each document', () => {
    const documents = readdirSync(guidelinesDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.txt')).map((entry) => relative(guidelinesDir, join(entry.parentPath, entry.name))).sort();
    expect(documents).toHaveLength(6);
    expect(caseFiles.map((file) => relative(guidelinesDir, file))).toEqual(documents.map((document) => document.replace(/\.txt$/, '.cases.yaml')));
    for (const document of documents) expect(existsSync(join(guidelinesDir, document.replace(/\.txt$/, '.rules.yaml')))).toBe(true);
  });
});

for (const file of caseFiles) {
  const base = relative(guidelinesDir, file).replace(/\.cases\.yaml$/, '');
  const { cases, problems } = validateRuleSetCases(parse(readFileSync(file, 'utf8')));
  describe(`${base}.cases.yaml`, () => {
    it('is a valid case file (every case states an expectation)', () => expect(problems).toEqual([]));
    if (!cases) return;
    const { ruleSet } = loadGuideline(base);
    for (const result of runRuleSetCases(ruleSet, cases)) it(result.name, () => expect(result.failures).toEqual([]));

    it('a wrong expectation fails, naming what differed (the runner is not blind)', () => {
      const [first] = cases.cases;
      if (!first) throw new Error('no cases');
      const wrong = { ...cases, cases: [{ ...first, expect: { ...first.expect, outcome: first.expect.outcome === 'DENIED' ? 'APPROVED' : 'DENIED' } }] };
      expect(runRuleSetCases(ruleSet, wrong)[0]?.failures[0]).toMatch(/^outcome \w+, expected \w+$/);
    });
  });
}

describe('the case schema', () => {
  it('refuses a case without an expectation', () => {
    expect(validateRuleSetCases({ fixtures: {}, cases: [{ name: 'x', from: 'y' }] }).problems).toContain("/cases/0 must have required property 'expect'");
  });
});
