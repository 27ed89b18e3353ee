import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseGuideline } from '../document/parse-guideline.ts';
import { bindRuleSetText } from '../services/rule-set-diagnostics.ts';

/** `npm run rules:check -- <X.rules.yaml>`: compiles a rule set against X.txt beside it and lists every problem left (TODOs included). */
await new Command()
  .name('rules:check')
  .description('Compile a rule set against the document beside it and list what is left to do.')
  .argument('<rules>', 'the rule set (.rules.yaml); its document is the .txt of the same name')
  .action((path: string) => {
    const text = readFileSync(path, 'utf8');
    const documentPath = path.replace(/\.rules\.yaml$/, '.txt');
    const { document } = parseGuideline(readFileSync(documentPath, 'utf8'));
    if (!document) {
      console.error(`${documentPath} does not parse: npm run ingest -- ${documentPath} shows why`);
      process.exitCode = 1;
      return;
    }
    const bound = bindRuleSetText({ fileName: path, text }, document, 'RULES_SCHEMA');
    const diagnostics = 'problems' in bound ? bound.problems : [];
    for (const diagnostic of diagnostics) {
      console.log(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.code} ${diagnostic.message}${diagnostic.hint ? `\n    hint: ${diagnostic.hint}` : ''}`);
    }
    const todos = diagnostics.filter((diagnostic) => diagnostic.code === 'RULES_TODO').length;
    console.log(diagnostics.length === 0 ? 'the rule set compiles: nothing left to do' : `${diagnostics.length} problems left (${todos} TODO, ${diagnostics.length - todos} other)`);
    process.exitCode = diagnostics.length === 0 ? 0 : 1;
  })
  .parseAsync();
