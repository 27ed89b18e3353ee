import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const guidelinesDir = join(repoRoot, 'guidelines');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

export interface NamedDocument {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

function documentsIn(dir: string, prefix: string): NamedDocument[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.txt'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((path) => ({ name: `${prefix}${basename(path, '.txt')}`, path, text: readFileSync(path, 'utf8') }));
}

/** The shipped guideline documents plus the test-only ones (kitchen sink, a revision of the seed). */
export function allDocuments(): NamedDocument[] {
  return [...documentsIn(guidelinesDir, ''), ...documentsIn(join(fixturesDir, 'documents'), 'fixture-')];
}

export function fixtureText(name: string): string {
  return readFileSync(join(fixturesDir, 'documents', name), 'utf8');
}

export function shippedText(relativePath: string): string {
  return readFileSync(join(guidelinesDir, relativePath), 'utf8');
}
