import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { allCriteria } from '../../src/domain/criteria.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import { draftRuleSet } from '../../src/rules/draft-rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import { allDocuments } from '../support/documents.ts';

/** The skeleton of every document compiles except for its TODOs: every limit, cap, interval and alternative is bound. */
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
      expect([...codes].filter((code) => code !== 'RULES_TODO')).toEqual([]);
      expect(problems.filter((problem) => problem.code === 'RULES_TODO').length).toBeGreaterThan(0);
      // Every limit of the text is declared, part by part, and an approval authorizes each one.
      const limited = allCriteria(document).filter((criterion) => criterion.limits.length > 0);
      const declared = draft.exclusions.filter((rule) => rule.limit).map((rule) => [rule.cites.key, 1 + (rule.alternatives?.length ?? 0)]);
      expect(declared).toEqual(limited.map((criterion) => [criterion.key, criterion.limits.length]));
      expect((draft.authorize ?? []).map((rule) => rule.limitOf)).toEqual(limited.map((criterion) => criterion.key));
    });
  }
});
