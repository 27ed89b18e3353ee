import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { guidelinesDir, repoRoot } from '../support/documents.ts';

const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), 'rules-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function tsx(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'src', 'cli', script), ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run rules:draft, rules:check and rules:test', () => {
  it('drafts a skeleton beside a document, never over an existing one, and rules:check lists what is left', async () => {
    const document = join(folder, 'Evolut_CG_3355-2026-05.txt');
    copyFileSync(join(guidelinesDir, 'keytruda', 'Evolut_CG_3355-2026-05.txt'), document);
    expect((await tsx('rules-draft.ts', document, '--write')).code).toBe(0);
    const rules = join(folder, 'Evolut_CG_3355-2026-05.rules.yaml');
    expect(existsSync(rules)).toBe(true);
    expect(readFileSync(rules, 'utf8')).toContain('key: EXC-50f1a11d90');
    const again = await tsx('rules-draft.ts', document, '--write');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    const check = await tsx('rules-check.ts', rules);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/Evolut_CG_3355-2026-05\.rules\.yaml:\d+:\d+: RULES_TODO /);
    expect(check.stdout).toMatch(/\n\d+ problems left \(\d+ TODO, 0 other\)\n$/);
  }, 60_000);

  it('rules:test runs the shipped rule sets\' cases', async () => {
    const result = await tsx('rules-test.ts', guidelinesDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
  }, 60_000);
});
