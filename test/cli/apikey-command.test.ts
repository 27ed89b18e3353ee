import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const run = promisify(execFile);
let url: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
});
afterAll(async () => drop());

const apikey = (...args: string[]) =>
  run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'src', 'cli', 'apikey.ts'), ...args], { env: { ...process.env, DATABASE_URL: url }, cwd: repoRoot });

describe(`npm run apikey on ${testProvider}`, () => {
  it('creates a key shown once, lists it without the key, and revokes it', async () => {
    const created = await apikey('create', '--role', 'auditor', '--name', 'Audit team', '--expires', '2027-01-31');
    const token = /^(gpa_[0-9a-f]{16}\.[A-Za-z0-9_-]{32})$/m.exec(created.stdout)?.[1];
    const id = /created key ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    const listed = await apikey('list');
    expect(listed.stdout).toContain(`${id}  auditor   expires 2027-02-01T00:00:00.000Z`);
    expect(listed.stdout).not.toContain(token as string);
    expect((await apikey('revoke', id as string)).stdout).toContain(`revoked ${id}`);
    expect((await apikey('list')).stdout).toMatch(new RegExp(`${id}  auditor   revoked `));
    await expect(apikey('create', '--role', 'root', '--name', 'x')).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});
