import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

let url: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
});
afterAll(async () => drop());

describe(`graceful shutdown of npm start on ${testProvider}`, () => {
  it('on SIGTERM it stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    let port = 0;
    // What npm start runs, with NODE_ENV unset as after a fresh clone.
    const { NODE_ENV: _unset, ...environment } = process.env;
    const server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'start.ts')], {
      cwd: repoRoot, env: { ...environment, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', ALLOW_ANONYMOUS_READ: 'true' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start')), 60_000);
      server.stdout.on('data', (chunk: Buffer) => {
        const address = /GraphQL endpoint: http:\/\/127\.0\.0\.1:(\d+)\//.exec(chunk.toString());
        if (address) {
          port = Number(address[1]);
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // NODE_ENV defaulted to production for graphql-js, but the deployment is still development: the playground is served.
    expect((await fetch(`http://127.0.0.1:${port}/playground`)).status).toBe(200);
    // A request in flight: its body arrives only after SIGTERM was sent.
    const body = JSON.stringify({ query: '{ guideline(number: "Evolut_CG_3258") { number } }' });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      request.write(body.slice(0, 10));
      setTimeout(() => {
        server.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(10)), 300);
      }, 200);
    });
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('Evolut_CG_3258');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(await exited).toBe(0);
  }, 90_000);
});
