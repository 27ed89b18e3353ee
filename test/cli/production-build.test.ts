import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, shippedText } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

// Built next to dist/ (one level under the repository, as dist/ is), so that the compiled code finds
// schema.graphql, guidelines/ and the migrations where the real build does.
const outDir = join(repoRoot, `.build-check-${process.pid}`);
let url: string;
let drop: () => Promise<void>;
let server: ChildProcess | null = null;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: repoRoot, stdio: 'pipe' });
}, 120_000);
afterAll(async () => {
  server?.kill('SIGTERM');
  rmSync(outDir, { recursive: true, force: true });
  await drop();
});

const node = (script: string, args: string[], env: Record<string, string>) => execFileSync(process.execPath, [join(outDir, script), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' });

describe(`the compiled build (npm run build, npm run start:prod) on ${testProvider}`, () => {
  it('is plain JavaScript: no TypeScript import is left for Node to load', () => {
    const server = readFileSync(join(outDir, 'api', 'server.js'), 'utf8');
    expect(server).not.toMatch(/from ["']\.{1,2}\/[^"']*\.ts["']/);
    expect(server).toMatch(/from ["']\.\/http-io\.js["']/);
    // tsc copies no .mjs: a draft answered below ran in a worker started on the compiled task, not through tsx.
    expect(existsSync(join(outDir, 'services', 'draft-worker-entry.mjs'))).toBe(false);
    expect(existsSync(join(outDir, 'services', 'draft-worker-main.js'))).toBe(true);
  });

  it('serves in production mode without tsx: JSON startup line, a key from the compiled apikey command, a query and a draft in a worker', async () => {
    const environment = { DATABASE_URL: url, NODE_ENV: 'production' };
    node('cli/migrate.js', [], environment);
    const token = node('cli/apikey.js', ['create', '--role', 'auditor', '--name', 'build check'], environment).trim().split('\n').at(-1) as string;
    const { NODE_OPTIONS: _none, ...inherited } = process.env;
    server = spawn(process.execPath, [join(outDir, 'cli', 'start.js')], { cwd: repoRoot, env: { ...inherited, ...environment, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const startup = await new Promise<{ endpoint: string; production: boolean; playground: boolean }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the compiled server did not start')), 60_000);
      let buffered = '';
      server?.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (const line of buffered.split('\n').slice(0, -1)) {
          const entry = JSON.parse(line) as { msg: string; endpoint?: string; production: boolean; playground: boolean };
          if (entry.endpoint) {
            clearTimeout(timer);
            resolve({ endpoint: entry.endpoint, production: entry.production, playground: entry.playground });
          }
        }
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
      });
    });
    expect(startup).toMatchObject({ production: true, playground: false });
    const ask = async (query: string, variables?: unknown) => (await fetch(startup.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })).json();
    expect(await ask('{ guideline(number: "Evolut_CG_3258") { brandName } }')).toEqual({ data: { guideline: { brandName: 'Blincyto' } } });
    const draft = await ask('mutation($input: DraftEvaluationInput!) { evaluateDraft(input: $input) { outcome } }', {
      input: { document: shippedText('blincyto/Evolut_CG_3258-2026-01.txt'), ruleSet: shippedText('blincyto/Evolut_CG_3258-2026-01.rules.yaml'), dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: [] },
    });
    expect(draft).toEqual({ data: { evaluateDraft: { outcome: 'INCOMPLETE' } } });
    // Anonymous callers read nothing in production.
    const anonymous = await (await fetch(startup.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ guideline(number: \\"Evolut_CG_3258\\") { number } }"}' })).json() as { errors?: { extensions: { code: string } }[] };
    expect(anonymous.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  }, 120_000);
});
