import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { ApiServer } from '../../src/api/server.ts';
import { createApiServer } from '../../src/api/server.ts';
import { loadShippedGuidelines } from '../../src/services/load-shipped-guidelines.ts';
import type { Database } from '../../src/store/database.ts';
import { prepareDatabase } from '../../src/store/prepare-database.ts';
import { testProvider } from '../support/test-database.ts';

/**
 * Restarts PostgreSQL under traffic. It needs a server of its own to restart, so it starts one
 * (as .ci/run does): only in the PostgreSQL run, where the PostgreSQL 15 binaries are present.
 */
const PG_BIN = '/usr/lib/postgresql/15/bin';
const enabled = testProvider === 'postgresql' && existsSync(`${PG_BIN}/pg_ctl`);

const freePort = (): Promise<number> => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});
const asPostgres = (...args: string[]): void => void execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });

let dir = '';
let port = 0;
let database: Database;
let api: ApiServer;
let endpoint = '';
beforeAll(async () => {
  if (!enabled) return;
  dir = mkdtempSync(join(tmpdir(), 'pg-restart-'));
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  port = await freePort();
  asPostgres(`${PG_BIN}/initdb`, '-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8');
  asPostgres(`${PG_BIN}/pg_ctl`, '-D', `${dir}/data`, '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`, '-l', `${dir}/log`, '-w', 'start');
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  ({ database } = await prepareDatabase(url));
  await loadShippedGuidelines(database);
  api = await createApiServer({ database, databaseUrl: url, logger: pino({ level: 'silent' }), playground: false, introspection: false, anonymousRead: true });
  await new Promise<void>((resolve) => api.http.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(api.http.address() as AddressInfo).port}/graphql`;
}, 120_000);
afterAll(async () => {
  if (!enabled) return;
  await api?.stop();
  await database?.close();
  try {
    asPostgres(`${PG_BIN}/pg_ctl`, '-D', `${dir}/data`, '-m', 'immediate', 'stop');
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(enabled)('PostgreSQL restarted while the server is under traffic', () => {
  it('requests fail cleanly during the outage and succeed again afterwards, with no server restart', async () => {
    // Each search is a new query text (its alias), so neither the version cache nor the response cache can answer it.
    let asked = 0;
    const ask = async (): Promise<'ok' | 'clean-error'> => {
      asked += 1;
      const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ q${asked}: search(text: "hypersensitivity", first: 1) { totalCount } }` }) });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      if (!body.errors) return 'ok';
      // A failure is masked and coded, never a crash or a leak of internals.
      expect(body.errors.every((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')).toBe(true);
      return 'clean-error';
    };
    expect(await ask()).toBe('ok');
    const answered = JSON.stringify({ query: '{ guideline(number: "Evolut_CG_3258") { number } }' });
    const post = (body: string) => fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post(answered)).status).toBe(200);
    asPostgres(`${PG_BIN}/pg_ctl`, '-D', `${dir}/data`, '-m', 'fast', 'stop');
    const during = await Promise.all(Array.from({ length: 5 }, () => ask()));
    expect(during).toEqual(['clean-error', 'clean-error', 'clean-error', 'clean-error', 'clean-error']);
    // What was answered before is still answered from the response cache: published versions do not change.
    const cached = await post(answered);
    expect(cached.headers.get('x-cache')).toBe('hit');
    expect(await cached.json()).toEqual({ data: { guideline: { number: 'Evolut_CG_3258' } } });
    asPostgres(`${PG_BIN}/pg_ctl`, '-D', `${dir}/data`, '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`, '-l', `${dir}/log`, '-w', 'start');
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt += 1) {
      recovered = (await ask()) === 'ok';
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    expect(await (await fetch(endpoint.replace('/graphql', '/readyz'))).json()).toEqual({ status: 'ready', database: 'postgresql' });
  }, 120_000);
});
