import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guidelinesDir, repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const run = promisify(execFile);
let url: string;
let drop: () => Promise<void>;
let folder: string;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
  folder = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
  copyFileSync(join(guidelinesDir, 'blincyto', 'Evolut_CG_3258-2026-01.txt'), join(folder, 'Evolut_CG_3258-2026-01.txt'));
  copyFileSync(join(guidelinesDir, 'blincyto', 'Evolut_CG_3258-2026-01.rules.yaml'), join(folder, 'Evolut_CG_3258-2026-01.rules.yaml'));
  copyFileSync(join(guidelinesDir, 'erbitux', 'Evolut_CG_3312-2026-03.txt'), join(folder, 'erbitux.txt'));
  writeFileSync(join(folder, 'truncated.txt'), '\n\nEvolut Clinical Guideline 1 for X™ (x)\n\nGuideline Number: Evolut_CG_1\n');
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await drop();
});

async function ingest(...paths: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'src', 'cli', 'ingest.ts'), ...paths], { env: { ...process.env, DATABASE_URL: url }, cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe(`npm run ingest on ${testProvider}`, () => {
  it('loads a folder, rejects the bad file with file:line diagnostics and exits non-zero', async () => {
    const result = await ingest(folder);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/loaded 2, unchanged 0, rules attached 0, rejected 1 \(1 loaded without a reviewed rule set: not decidable\); 11 errors, 3 warnings/);
    expect(result.stderr).toMatch(/truncated\.txt:\d+: error PARSE_MISSING_DATE /);
    expect(result.stderr).toMatch(/truncated\.txt:\d+: error PARSE_MISSING_SECTION section INDICATIONS is missing/);
    // Warnings reach the operator too, with their lines; notes only with --verbose.
    expect(result.stderr).toContain('Evolut_CG_3258-2026-01.txt:35: warning PARSE_ORGANIZATION_NAME_MISMATCH the header names the organization "Evolut" but the text says "Evolent"');
    expect(result.stderr).toContain('Evolut_CG_3258-2026-01.txt:118: warning PARSE_DUPLICATE_REFERENCE reference 6 repeats reference 3');
    expect(result.stderr).not.toContain('PARSE_WRAPPED_LINE');
  }, 60_000);

  it('is idempotent: the same files again are unchanged and write nothing', async () => {
    const result = await ingest(join(folder, 'Evolut_CG_3258-2026-01.txt'), join(folder, 'erbitux.txt'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/loaded 0, unchanged 2, rules attached 0, rejected 0/);
  }, 60_000);
});

describe(`npm run ingest reports rule-set problems at their place in the rules file, on ${testProvider}`, () => {
  it('prints rules-file:line:column, what the text says, what the rule set says and the fix', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'ingest-rules-'));
    try {
      copyFileSync(join(guidelinesDir, 'blincyto', 'Evolut_CG_3258-2026-01.txt'), join(broken, 'Evolut_CG_3258-2026-01.txt'));
      const rules = readFileSync(join(guidelinesDir, 'blincyto', 'Evolut_CG_3258-2026-01.rules.yaml'), 'utf8').replace('limit: { kind: MAX_DOSE, amount: 28,', 'limit: { kind: MAX_DOSE, amount: 35,');
      writeFileSync(join(broken, 'Evolut_CG_3258-2026-01.rules.yaml'), rules);
      const before = rules.slice(0, rules.indexOf('{ kind: MAX_DOSE, amount: 35,')).split('\n');
      const result = await ingest(broken);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Evolut_CG_3258-2026-01.rules.yaml:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: error RULES_LIMIT_MISMATCH exclusion EXC-de3884ab31: the declared limit`);
      expect(result.stderr).toContain('    expected: { kind: MAX_DOSE, amount: 28, unit: mcg, per: [day] }\n    found:    { kind: MAX_DOSE, amount: 35, unit: mcg, per: [day] }\n    hint:     declare');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 60_000);
});
