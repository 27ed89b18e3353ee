import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import type { IngestResult } from '../services/ingest-document.ts';
import { expandDocumentPaths, INGEST_BATCH_DOCUMENTS, ingestFiles } from '../services/ingest-files.ts';
import { prepareDatabase } from '../store/prepare-database.ts';
import { databaseUrl } from './config.ts';

/** Errors and warnings as `file:line: severity CODE message` (compiler style); notes only with --verbose. */
function formatDiagnostics(result: IngestResult, verbose: boolean): string[] {
  return result.diagnostics
    .filter((diagnostic) => verbose || diagnostic.severity !== 'info')
    .map((diagnostic) => [
      `${diagnostic.file ?? result.fileName}:${diagnostic.line}${diagnostic.column === undefined ? '' : `:${diagnostic.column}`}: ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`,
      ...(diagnostic.expected === undefined ? [] : [`    expected: ${diagnostic.expected}`]),
      ...(diagnostic.found === undefined ? [] : [`    found:    ${diagnostic.found}`]),
      ...(diagnostic.hint === undefined ? [] : [`    hint:     ${diagnostic.hint}`]),
    ].join('\n'));
}

function count(results: readonly IngestResult[], severity: 'error' | 'warning'): number {
  return results.reduce((sum, result) => sum + result.diagnostics.filter((diagnostic) => diagnostic.severity === severity).length, 0);
}

const program = new Command()
  .name('ingest')
  .description('Load guideline documents (files or folders of .txt) into the database named by DATABASE_URL.')
  .argument('<paths...>', 'guideline documents or folders holding them')
  .option('--no-progress', 'never draw a progress bar')
  .option('--verbose', 'also print notes (wrapped lines joined, repeated criteria)')
  .option('--follow-symlinks', 'read documents through symbolic links (refused by default)')
  .option('--batch-size <documents>', `documents per transaction (default ${INGEST_BATCH_DOCUMENTS}); smaller batches hold the write lock for less time`, (value) => {
    const size = Number(value);
    if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new InvalidArgumentError('a whole number from 1 to 10000');
    return size;
  })
  .action(async (paths: string[], options: { progress: boolean; verbose?: boolean; batchSize?: number; followSymlinks?: boolean }) => {
    const files = expandDocumentPaths(paths);
    const { database } = await prepareDatabase(databaseUrl());
    const bar = options.progress && process.stderr.isTTY && files.length > 1
      ? new cliProgress.SingleBar({ format: 'ingest [{bar}] {value}/{total} {file}', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
    bar?.start(files.length, 0, { file: '' });
    const messages: string[] = [];
    try {
      const summary = await ingestFiles(database, files, (result) => {
        bar?.increment({ file: result.fileName });
        messages.push(...formatDiagnostics(result, options.verbose ?? false));
        if (!bar && files.length <= 20) console.log(`${result.status.padEnd(9)} ${result.fileName}${result.guidelineNumber ? ` (${result.guidelineNumber})` : ''}`);
      }, process.cwd(), { batchDocuments: options.batchSize, followSymlinks: options.followSymlinks ?? false });
      bar?.stop();
      for (const line of messages) console.error(line);
      const undecidable = summary.results.filter((result) => result.status === 'loaded' && result.decidable === false).length;
      console.log(
        `loaded ${summary.loaded}, unchanged ${summary.unchanged}, rules attached ${summary.rulesAttached}, rejected ${summary.rejected}` +
          `${undecidable ? ` (${undecidable} loaded without a reviewed rule set: not decidable)` : ''}; ${count(summary.results, 'error')} errors, ${count(summary.results, 'warning')} warnings` +
          ` — ${files.length} files, ${database.description}`,
      );
      process.exitCode = summary.rejected > 0 ? 1 : 0;
    } finally {
      await database.close();
    }
  });

await program.parseAsync();
