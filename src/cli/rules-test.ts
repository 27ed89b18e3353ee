import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { parseGuideline } from '../document/parse-guideline.ts';
import { runRuleSetCases, validateRuleSetCases } from '../rules/rule-set-cases.ts';
import { bindRuleSetText, readYaml } from '../services/rule-set-diagnostics.ts';

/** `npm run rules:test -- [paths…]`: runs every rule set's own cases (X.cases.yaml beside X.rules.yaml and X.txt); exit 1 on any failure. */
function caseFilesIn(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.cases.yaml')).map((entry) => join(entry.parentPath, entry.name)).sort()
      : [path],
  );
}

function runFile(file: string): { passed: number; failed: number; lines: string[] } {
  const base = file.replace(/\.cases\.yaml$/, '');
  const name = relative(process.cwd(), file);
  const document = parseGuideline(readFileSync(`${base}.txt`, 'utf8')).document;
  if (!document) return { passed: 0, failed: 1, lines: [`${name}: the document ${base}.txt does not parse`] };
  const bound = bindRuleSetText({ fileName: `${base}.rules.yaml`, text: readFileSync(`${base}.rules.yaml`, 'utf8') }, document, 'RULES_SCHEMA');
  if ('problems' in bound) return { passed: 0, failed: 1, lines: [`${name}: the rule set does not compile: ${bound.problems.map((problem) => problem.code).join(', ')} (npm run rules:check shows where)`] };
  const { ruleSet } = bound;
  const read = readYaml({ fileName: file, text: readFileSync(file, 'utf8') }, 'INGEST_CASES_INVALID');
  if ('problem' in read) return { passed: 0, failed: 1, lines: [`${name}: ${read.problem.message}`] };
  const { cases, problems: caseProblems } = validateRuleSetCases(read.value);
  if (!cases) return { passed: 0, failed: 1, lines: [`${name}: ${caseProblems.join('; ')}`] };
  const results = runRuleSetCases(ruleSet, cases);
  const lines = results.map((result) => `${result.failures.length === 0 ? 'pass' : 'FAIL'}  ${result.name}${result.failures.length === 0 ? '' : `\n      ${result.failures.join('\n      ')}`}`);
  const failed = results.filter((result) => result.failures.length > 0).length;
  return { passed: results.length - failed, failed, lines: [`${name}`, ...lines.map((line) => `  ${line}`)] };
}

await new Command()
  .name('rules:test')
  .description("Run every rule set's own test cases against its document.")
  .argument('[paths...]', 'case files or folders holding them', ['guidelines'])
  .action((paths: string[]) => {
    let passed = 0;
    let failed = 0;
    for (const file of caseFilesIn(paths)) {
      const result = runFile(file);
      console.log(result.lines.join('\n'));
      passed += result.passed;
      failed += result.failed;
    }
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  })
  .parseAsync();
