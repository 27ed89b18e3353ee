import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { allCriteria } from '../../src/domain/criteria.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import { draftRuleSet } from '../../src/rules/draft-rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import { allDocuments } from '../support/documents.ts';

/** The skeleton of every document compiles except for its TODOs and for limits the language cannot check yet. */
describe('rule-set drafts', () => {
  for (const source of allDocuments()) {
    it(`${source.name}: the draft is a valid rule set that cites every criterion once and leaves only decisions open`, () => {
      const document = parseGuideline(source.text).document;
      if (!document) throw new Error(`${source.name} does not parse`);
      // Through YAML and back, as rules:draft writes it and ingestion reads it.
      const { source: draft, problems: schemaProblems } = validateRuleSetSource(parse(stringify(draftRuleSet(document, '2026-12-01'), { lineWidth: 0 })));
      expect(schemaProblems).toEqual([]);
      if (!draft) return;
      const { problems } = compileRuleSet(draft, document);
      const codes = new Set(problems.map((problem) => problem.code));
      expect([...codes].filter((code) => code !== 'RULES_TODO' && code !== 'RULES_LIMIT_UNSUPPORTED')).toEqual([]);
      expect(problems.filter((problem) => problem.code === 'RULES_TODO').length).toBeGreaterThan(0);
      const limitsInText = allCriteria(document).filter((criterion) => criterion.limits.some((limit) => limit.cap || limit.interval || limit.condition || limit.alternative)).length;
      expect(problems.filter((problem) => problem.code === 'RULES_LIMIT_UNSUPPORTED').length).toBe(limitsInText);
    });
  }
});
