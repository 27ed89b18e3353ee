import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { syntheticGuideline } from '../corpus/synthetic-guideline.ts';

const program = new Command()
  .name('generate:corpus')
  .description('Write synthetic guideline documents in the Evolut template (invented drugs), for scale tests.')
  .option('--count <n>', 'how many documents', '1000')
  .option('--out <dir>', 'output folder', 'data/corpus')
  .option('--start <n>', 'index of the first document (documents are deterministic per index)', '0')
  .action((options: { count: string; out: string; start: string }) => {
    const count = Number(options.count);
    const start = Number(options.start);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--count must be a whole number from 1 to 1000000');
    if (!Number.isInteger(start) || start < 0) throw new Error('--start must be a whole number ≥ 0');
    mkdirSync(options.out, { recursive: true });
    for (let index = start; index < start + count; index += 1) {
      const { fileName, text } = syntheticGuideline(index);
      writeFileSync(join(options.out, fileName), text);
    }
    console.log(`wrote ${count} documents to ${options.out}`);
  });

program.parse();
