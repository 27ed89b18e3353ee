import { LineCounter, parse, parseDocument } from 'yaml';
import type { Diagnostic, GuidelineDocument } from '../domain/document.ts';
import type { CompiledRuleSet, RuleSetPath, RuleSetProblem } from '../rules/compile-rule-set.ts';
import { compileRuleSet } from '../rules/compile-rule-set.ts';
import type { RuleSetSource } from '../rules/rule-set.ts';
import { validateRuleSetSource } from '../rules/rule-set-schema.ts';

/**
 * Places rule-set problems in the YAML file they come from: the rules core names the node at fault
 * by its path (it knows nothing of YAML), and this finds that node's line and column, or its nearest
 * ancestor's when the node itself is absent (a missing key is reported where it belongs).
 */
export function locator(text: string): (path: RuleSetPath) => { line: number; column: number } {
  const lineCounter = new LineCounter();
  // Only positions are read here (never aliases resolved): the text already parsed as a rule set.
  const document = parseDocument(text, { lineCounter });
  return (path) => {
    for (let length = path.length; length > 0; length -= 1) {
      const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
}

/** "/facts/0/type must be …" (the schema validator's words) → the path and the rest of the message. */
export function schemaProblemPath(message: string): { path: RuleSetPath; message: string } {
  const [pointer = '/', ...rest] = message.split(' ');
  const path = pointer.split('/').slice(1).filter((part) => part !== '').map((part) => (/^\d+$/.test(part) ? Number(part) : part.replaceAll('~1', '/').replaceAll('~0', '~')));
  return { path, message: `${pointer} ${rest.join(' ')}` };
}

type LocatableProblem = Pick<RuleSetProblem, 'message' | 'path' | 'expected' | 'found' | 'hint'> & { readonly code: string };

/** Rule-set problems as diagnostics of the rules file: its name, the line and column of the node, what was expected and found, a hint. */
export function ruleSetDiagnostics(fileName: string, text: string, problems: readonly LocatableProblem[]): Diagnostic[] {
  const locate = locator(text);
  return problems
    .map((problem) => ({
      code: problem.code,
      severity: 'error' as const,
      message: problem.message,
      file: fileName,
      ...locate(problem.path),
      ...(problem.expected === undefined ? {} : { expected: problem.expected }),
      ...(problem.found === undefined ? {} : { found: problem.found }),
      ...(problem.hint === undefined ? {} : { hint: problem.hint }),
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}

/** Reads a rules or cases file as YAML, aliases bounded (a YAML "billion laughs" is refused), a syntax error placed at its line. */
export function readYaml(file: { fileName: string; text: string }, code: string): { value: unknown } | { problem: Diagnostic } {
  try {
    return { value: parse(file.text, { maxAliasCount: 50 }) };
  } catch (error) {
    const position = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    return { problem: { code, severity: 'error', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}`, file: file.fileName, line: position?.line ?? 1, column: position?.col ?? 1 } };
  }
}

/**
 * A rule-set file bound to a parsed document, as ingestion, evaluateDraft and rules:check all need
 * it: YAML, then the JSON Schema (problems coded `schemaCode`), then the compiler; every problem
 * placed at its line and column in the file.
 */
export function bindRuleSetText(file: { fileName: string; text: string }, document: GuidelineDocument, schemaCode: string): { source: RuleSetSource; ruleSet: CompiledRuleSet } | { problems: Diagnostic[] } {
  const read = readYaml(file, schemaCode);
  if ('problem' in read) return { problems: [read.problem] };
  const { source, problems: schemaProblems } = validateRuleSetSource(read.value);
  if (!source) return { problems: ruleSetDiagnostics(file.fileName, file.text, schemaProblems.map((message) => ({ code: schemaCode, ...schemaProblemPath(message) }))) };
  const { ruleSet, problems } = compileRuleSet(source, document);
  return ruleSet ? { source, ruleSet } : { problems: ruleSetDiagnostics(file.fileName, file.text, problems) };
}
