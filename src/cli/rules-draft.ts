import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { parseGuideline } from '../document/parse-guideline.ts';
import { draftRuleSet } from '../rules/draft-rule-set.ts';

/** `npm run rules:draft -- <document.txt> [--write]`: a rule-set skeleton for a document, every decision a `todo`. */
await new Command()
  .name('rules:draft')
  .description('Write a rule-set skeleton for a guideline document: every criterion cited, every limit declared, a todo for every decision.')
  .argument('<document>', 'the guideline document (.txt)')
  .option('--write', 'write it beside the document as .rules.yaml (never over an existing file)')
  .action((path: string, options: { write?: boolean }) => {
    const { document, diagnostics } = parseGuideline(readFileSync(path, 'utf8'));
    if (!document) {
      for (const diagnostic of diagnostics.filter((item) => item.severity === 'error')) console.error(`${path}:${diagnostic.line}: error ${diagnostic.code} ${diagnostic.message}`);
      process.exitCode = 1;
      return;
    }
    const header = `# Draft rule set for ${document.header.title} (${document.header.guidelineNumber}), written by npm run rules:draft.\n# Each "todo" is a decision a reviewer must make; npm run rules:check -- <this file> lists what is left.\n`;
    const yaml = header + stringify(draftRuleSet(document, new Date().toISOString().slice(0, 10)), { lineWidth: 0 });
    if (!options.write) {
      process.stdout.write(yaml);
      return;
    }
    const target = path.replace(/\.txt$/, '.rules.yaml');
    if (target === path || existsSync(target)) {
      console.error(`${target} exists already: a reviewed rule set is never overwritten by a draft`);
      process.exitCode = 1;
      return;
    }
    writeFileSync(target, yaml);
    console.log(`wrote ${target}`);
  })
  .parseAsync();
