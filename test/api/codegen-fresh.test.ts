import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/documents.ts';

describe('generated resolver types', () => {
  it('match schema.graphql (run `npm run codegen` after changing the schema)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-check-'));
    try {
      const config = readFileSync(join(repoRoot, 'codegen.ts'), 'utf8').replace("'src/api/generated/resolvers-types.ts'", JSON.stringify(join(dir, 'resolvers-types.ts')));
      const configPath = join(repoRoot, `codegen.check-${process.pid}.ts`);
      writeFileSync(configPath, config);
      try {
        execFileSync(join(repoRoot, 'node_modules', '.bin', 'graphql-codegen'), ['--config', configPath, '--silent'], { cwd: repoRoot, stdio: 'pipe' });
      } finally {
        rmSync(configPath, { force: true });
      }
      expect(readFileSync(join(dir, 'resolvers-types.ts'), 'utf8')).toBe(readFileSync(join(repoRoot, 'src', 'api', 'generated', 'resolvers-types.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
