import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

let url: string;
let drop: () => Promise<void>;
let occupied: Server;
let occupiedPort: number;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
  occupied = createServer();
  await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
  occupiedPort = (occupied.address() as AddressInfo).port;
});
afterAll(async () => {
  occupied?.close();
  await drop();
});

/** npm start with these settings, as after a fresh clone (NODE_ENV unset), to completion. */
function start(settings: Record<string, string>): { status: number | null; lines: string[]; stderr: string } {
  const { NODE_ENV: _unset, ...environment } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'start.ts')], {
    cwd: repoRoot, env: { ...environment, DATABASE_URL: url, HOST: '127.0.0.1', LOG_LEVEL: 'error', ...settings }, encoding: 'utf8', timeout: 60_000,
  });
  return { status: run.status, lines: run.stdout.split('\n').filter((line) => line !== ''), stderr: run.stderr };
}

describe(`npm start refuses what it cannot do in one line, exit code 1 (${testProvider})`, () => {
  it('a port already in use', () => {
    const { status, lines, stderr } = start({ PORT: String(occupiedPort) });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as { level: number; msg: string };
    expect(line.level).toBe(60);
    expect(line.msg).toBe(`port ${occupiedPort} on 127.0.0.1 is already in use: stop the other server or set PORT`);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 90_000);

  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535 (0: any free port)'],
    ['CORS_ORIGINS', 'https://portal.example.org/', 'CORS_ORIGINS: "https://portal.example.org/" is not an origin (scheme://host[:port], no path or trailing slash)'],
  ])('%s=%s', (name, value, message) => {
    const { status, lines, stderr } = start({ PORT: '0', [name]: value });
    expect(status).toBe(1);
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([message]);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});
