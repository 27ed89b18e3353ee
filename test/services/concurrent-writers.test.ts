import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { verifyAuditChain } from '../../src/services/verify-audit-chain.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';
import { testProvider } from '../support/test-database.ts';

/**
 * Writers in several processes on one database must queue, never fail: an ingestion while the
 * server stores determinations, two ingestions of one folder at once, and two servers on one
 * database. Each scenario ends with zero failed requests and a chain that verifies.
 */
const DOCUMENTS = 150;
let api: TestServer;
let folder: string;
beforeAll(async () => {
  api = await startTestServer();
  folder = mkdtempSync(join(tmpdir(), 'concurrent-writers-'));
  for (let index = 0; index < DOCUMENTS; index += 1) {
    const { fileName, text } = syntheticGuideline(700_000 + index);
    writeFileSync(join(folder, fileName), text);
  }
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await api.stop();
});

const facts = [
  { key: 'birthDate', value: '1980-05-17' }, { key: 'diagnosis', value: 'B_CELL_ALL' }, { key: 'cd19Status', value: 'POSITIVE' },
  { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' }, { key: 'singleAgent', value: true }, { key: 'knownHypersensitivity', value: false },
  { key: 'diseaseProgressionOnBlinatumomab', value: false }, { key: 'requestedDosePerDayMcg', value: 28 }, { key: 'requestedCyclePhase', value: 'INDUCTION' },
  { key: 'requestedCycles', value: 2 }, { key: 'priorInductionConsolidationCycles', value: 0 },
];
const EVALUATE = JSON.stringify({ query: 'mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id outcome } }', variables: { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts } } });

function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: api.db.url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, exit: new Promise((resolve) => child.on('exit', resolve)), output: () => output };
}

/** Stores determinations through `urls` from 4 concurrent callers until `done` settles; counts answers. */
async function evaluateUntil(urls: string[], done: Promise<unknown>): Promise<{ stored: number; failed: string[] }> {
  let finished = false;
  void done.then(() => (finished = true));
  let stored = 0;
  const failed: string[] = [];
  await Promise.all(Array.from({ length: 4 }, async (_, caller) => {
    for (let i = 0; !finished || i < 3; i += 1) {
      const url = urls[(caller + i) % urls.length] as string;
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api.keys.evaluator}` }, body: EVALUATE });
      const text = await response.text();
      if (response.status === 200 && text.includes('"outcome":"APPROVED"')) stored += 1;
      else failed.push(`${response.status} ${text.slice(0, 200)}`);
    }
  }));
  return { stored, failed };
}

async function chainVerifies(): Promise<number> {
  const report = await verifyAuditChain(api.db.database.client);
  expect(report.firstProblem).toBeNull();
  expect(report.unchained).toBe(0);
  return report.checked;
}

describe(`concurrent writers queue and never fail (${testProvider})`, () => {
  it('an ingestion in another process while the server stores determinations', async () => {
    const ingest = run(['src/cli/ingest.ts', '--no-progress', '--batch-size', '10', folder]);
    const { stored, failed } = await evaluateUntil([api.url], ingest.exit);
    expect(await ingest.exit, ingest.output()).toBe(0);
    expect(ingest.output()).toContain(`loaded ${DOCUMENTS}`);
    expect(failed).toEqual([]);
    const checked = await chainVerifies();
    console.log(`concurrent writers: ingestion of ${DOCUMENTS} documents beside ${stored} stored determinations, 0 failed; chain of ${checked} verifies (${testProvider})`);
  }, 120_000);

  it('two ingestions of one folder at once both finish, and each document is stored once', async () => {
    const other = mkdtempSync(join(tmpdir(), 'concurrent-writers-twice-'));
    try {
      for (let index = 0; index < 80; index += 1) {
        const { fileName, text } = syntheticGuideline(710_000 + index);
        writeFileSync(join(other, fileName), text);
      }
      const [first, second] = [run(['src/cli/ingest.ts', '--no-progress', '--batch-size', '7', other]), run(['src/cli/ingest.ts', '--no-progress', '--batch-size', '5', other])];
      expect([await first.exit, await second.exit], `${first.output()}\n${second.output()}`).toEqual([0, 0]);
      const loaded = [first.output(), second.output()].map((output) => Number(/loaded (\d+)/.exec(output)?.[1]));
      const unchanged = [first.output(), second.output()].map((output) => Number(/unchanged (\d+)/.exec(output)?.[1]));
      expect(loaded[0]! + loaded[1]!).toBe(80);
      expect(unchanged[0]! + unchanged[1]!).toBe(80);
      console.log(`concurrent writers: two ingestions of 80 documents: loaded ${loaded.join(' + ')}, unchanged ${unchanged.join(' + ')}, 0 failed (${testProvider})`);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);

  it('two servers on one database store determinations side by side', async () => {
    const second = run(['src/cli/serve.ts'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false' });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the second server did not start: ${second.output()}`)), 60_000);
      second.child.stdout?.on('data', () => {
        const match = /GraphQL endpoint: http:\/\/127\.0\.0\.1:(\d+)\//.exec(second.output());
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    try {
      const { stored, failed } = await evaluateUntil([api.url, `http://127.0.0.1:${port}`], new Promise((resolve) => setTimeout(resolve, 4000)));
      expect(failed).toEqual([]);
      expect(stored).toBeGreaterThan(20);
      const checked = await chainVerifies();
      console.log(`concurrent writers: two servers stored ${stored} determinations, 0 failed; chain of ${checked} verifies (${testProvider})`);
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }
  }, 120_000);
});
