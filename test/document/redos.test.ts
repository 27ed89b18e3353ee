import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/documents.ts';

/**
 * Every regular expression the parser and the rules core run on untrusted text is checked for
 * catastrophic backtracking with recheck (static analysis plus fuzzing). The patterns are found with
 * TypeScript's own scanner, so a new pattern is checked the day it is written.
 */
const FOLDERS = ['src/document', 'src/rules', 'src/domain', 'src/compare', 'src/records', 'src/services', 'src/api', 'src/api/resolvers'];

function regexLiterals(file: string): { pattern: string; flags: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { pattern: string; flags: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(source);
      const end = literal.lastIndexOf('/');
      found.push({ pattern: literal.slice(1, end), flags: literal.slice(end + 1), line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    }
    // A dynamic pattern cannot be checked statically: there must be none in these folders.
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'RegExp') {
      found.push({ pattern: `<dynamic: ${node.getText(source).slice(0, 60)}>`, flags: '', line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const patterns = FOLDERS.flatMap((folder) =>
  readdirSync(join(repoRoot, folder)).filter((name) => name.endsWith('.ts')).flatMap((name) => regexLiterals(join(repoRoot, folder, name)).map((found) => ({ ...found, file: `${folder}/${name}` }))),
);

describe(`regular expressions on untrusted text (${patterns.length} found in ${FOLDERS.join(', ')})`, () => {
  it('every one is safe from catastrophic backtracking (recheck)', () => {
    const unsafe = patterns.flatMap(({ pattern, flags, file, line }) => {
      if (pattern.startsWith('<dynamic')) return [`${file}:${line} ${pattern} cannot be checked`];
      const result = checkSync(pattern, flags.replace('g', ''), { timeout: 10_000 });
      return result.status === 'safe' ? [] : [`${file}:${line} /${pattern}/${flags}: ${result.status}${result.status === 'vulnerable' ? ` (${result.complexity.type})` : ''}`];
    });
    console.log(`recheck: ${patterns.length - unsafe.length} of ${patterns.length} patterns safe`);
    expect(unsafe).toEqual([]);
  }, 120_000);
});
