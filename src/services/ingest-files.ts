import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Client } from '../store/database.ts';
import type { IngestResult } from './ingest-document.ts';
import { ingestDocument, MAX_DOCUMENT_BYTES, tooLargeResult } from './ingest-document.ts';

/** Guideline documents are the .txt files of the given paths; folders are searched recursively. */
export function expandDocumentPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.txt'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  });
}

/**
 * A document's rule set is the file with the same name and the extension .rules.yaml; the rule
 * set's own test cases, if it has them, are beside it as .cases.yaml.
 */
export function ruleSetBeside(documentPath: string, baseDir: string): { fileName: string; text: string; cases?: { fileName: string; text: string } } | undefined {
  const path = documentPath.replace(/\.txt$/, '.rules.yaml');
  if (path === documentPath || !existsSync(path)) return undefined;
  const casesPath = documentPath.replace(/\.txt$/, '.cases.yaml');
  const cases = existsSync(casesPath) ? { cases: { fileName: relative(baseDir, casesPath) || casesPath, text: readFileSync(casesPath, 'utf8') } } : {};
  return { fileName: relative(baseDir, path) || path, text: readFileSync(path, 'utf8'), ...cases };
}

export interface IngestSummary {
  readonly results: IngestResult[];
  readonly loaded: number;
  readonly unchanged: number;
  readonly rulesAttached: number;
  readonly rejected: number;
}

/** Ingests files one by one (one transaction each); `onResult` reports progress. */
export async function ingestFiles(
  client: Client,
  files: readonly string[],
  onResult: (result: IngestResult) => void = () => {},
  baseDir = process.cwd(),
): Promise<IngestSummary> {
  const results: IngestResult[] = [];
  for (const file of files) {
    const size = statSync(file).size;
    const fileName = relative(baseDir, file) || file;
    const result =
      size > MAX_DOCUMENT_BYTES ? tooLargeResult(fileName, size) : await ingestDocument(client, { fileName, bytes: readFileSync(file), ruleSet: ruleSetBeside(file, baseDir) });
    results.push(result);
    onResult(result);
  }
  return {
    results,
    loaded: results.filter((result) => result.status === 'loaded').length,
    unchanged: results.filter((result) => result.status === 'unchanged').length,
    rulesAttached: results.filter((result) => result.status === 'rules-attached').length,
    rejected: results.filter((result) => result.status === 'rejected').length,
  };
}
