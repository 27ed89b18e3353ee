import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import type { GuidelineDocument } from '../../src/domain/document.ts';
import type { CompiledRuleSet } from '../../src/rules/compile-rule-set.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import type { RuleSetSource } from '../../src/rules/rule-set.ts';
import { guidelinesDir } from './documents.ts';

/** `base` is a path under guidelines/ without extension, e.g. "blincyto/Evolut_CG_3258-2026-01". */
export function loadGuideline(base: string): { document: GuidelineDocument; source: RuleSetSource; ruleSet: CompiledRuleSet } {
  const document = parseGuideline(readFileSync(join(guidelinesDir, `${base}.txt`), 'utf8')).document;
  if (!document) throw new Error(`${base}.txt does not parse`);
  const { source, problems } = validateRuleSetSource(parse(readFileSync(join(guidelinesDir, `${base}.rules.yaml`), 'utf8')));
  if (!source) throw new Error(`${base}.rules.yaml: ${problems.join('; ')}`);
  const compiled = compileRuleSet(source, document);
  if (!compiled.ruleSet) throw new Error(`${base}.rules.yaml: ${compiled.problems.map((p) => p.message).join('; ')}`);
  return { document, source, ruleSet: compiled.ruleSet };
}
