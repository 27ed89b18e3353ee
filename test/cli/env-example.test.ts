import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsFromEnvironment, rateLimitsFromEnvironment } from '../../src/api/abuse-limits.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/api/rate-limits.ts';
import { DEFAULT_DRAFT_DEADLINE_MS } from '../../src/services/draft-evaluator.ts';
import { DEFAULT_DATABASE_URL } from '../../src/store/database.ts';
import { repoRoot } from '../support/documents.ts';

/** Every environment variable the source reads: `process.env['X']`, `env['X']`, `environment['X']`, `read('X', …)`, `flag('X', …)`. */
function settingsReadBySource(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/(?:(?:process\.env|\benv|\benvironment)\[['"]|\b(?:read|flag)\(['"])([A-Z][A-Z0-9_]+)['"]/g)) names.add(match[1] as string);
      }
    }
  };
  walk(join(repoRoot, 'src'));
  // Set by npm start itself for the server it imports, never by an operator.
  names.delete('GUIDELINE_API_MODE');
  // Where `npm ci` caches Node headers (src/cli/native-addons.ts): the platform's own variable, not a setting of the service.
  names.delete('XDG_CACHE_HOME');
  return names;
}

const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
const listed = new Map([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((match) => [match[1] as string, match[2] as string]));

describe('.env.example', () => {
  it('lists every setting the source reads, and nothing it does not', () => {
    const read = settingsReadBySource();
    expect(read.size).toBeGreaterThan(20);
    expect([...listed.keys()].sort()).toEqual([...read].sort());
  });

  it('shows the defaults the code applies', () => {
    const shown = Object.fromEntries([...listed].filter(([, value]) => value !== '')) as NodeJS.ProcessEnv;
    expect(limitsFromEnvironment(shown)).toEqual(DEFAULT_LIMITS);
    expect(rateLimitsFromEnvironment(shown)).toEqual(DEFAULT_RATE_LIMITS);
    // Changing a shown value changes the setting: the names are the ones the code reads.
    expect(limitsFromEnvironment({ ...shown, GRAPHQL_MAX_DEPTH: '7' }).maxDepth).toBe(7);
    expect(Number(listed.get('DRAFT_DEADLINE_MS'))).toBe(DEFAULT_DRAFT_DEADLINE_MS);
    expect(listed.get('DATABASE_URL')).toBe(DEFAULT_DATABASE_URL);
    expect(listed.get('PORT')).toBe('4000');
  });
});
