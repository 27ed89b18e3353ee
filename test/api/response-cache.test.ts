import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

const post = async (role: 'reader' | 'evaluator' | null, query: string, variables?: Record<string, unknown>) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${api.keys[role]}` } : {}) };
  const response = await fetch(`${api.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, cache: response.headers.get('x-cache'), text: await response.text() };
};
const LIST = '{ guidelines(first: 100) { totalCount edges { node { number currentVersion { title } } } } }';

describe(`the whole-response cache on ${testProvider}`, () => {
  it('answers a repeated catalog query byte for byte, per role, and never caches errors, determinations or mutations', async () => {
    const first = await post('reader', LIST);
    const second = await post('reader', LIST);
    expect(first.cache).toBeNull();
    expect(second.cache).toBe('hit');
    expect(second.text).toBe(first.text);
    // Another role is another entry (what a role may see differs).
    expect((await post('evaluator', LIST)).cache).toBeNull();
    // An error is recomputed every time.
    const bad = '{ guideline(number: "Evolut_CG_3258") { nosuchfield } }';
    await post('reader', bad);
    expect((await post('reader', bad)).cache).toBeNull();
    // A mutation, and anything that reads determinations, always runs.
    const evaluate = 'mutation { evaluateRequest(input: { guidelineNumber: "Evolut_CG_3258", dateOfService: "2026-03-02", lineOfBusiness: "CHIP", facts: [] }) { id outcome } }';
    const one = await post('evaluator', evaluate);
    const two = await post('evaluator', evaluate);
    expect(two.cache).toBeNull();
    expect(JSON.parse(two.text).data.evaluateRequest.id).not.toBe(JSON.parse(one.text).data.evaluateRequest.id);
    const id = JSON.parse(one.text).data.evaluateRequest.id as string;
    const lookup = `{ determination(id: "${id}") { outcome } }`;
    await post('evaluator', lookup);
    expect((await post('evaluator', lookup)).cache).toBeNull();
  });

  it('a version ingested in this process is visible to the next request', async () => {
    const before = JSON.parse((await post('reader', LIST)).text).data.guidelines.totalCount as number;
    expect((await post('reader', LIST)).cache).toBe('hit');
    const { fileName, text } = syntheticGuideline(7001);
    expect((await ingestDocument(api.db.database, { fileName, bytes: new TextEncoder().encode(text) })).status).toBe('loaded');
    const after = await post('reader', LIST);
    expect(after.cache).toBeNull();
    expect(JSON.parse(after.text).data.guidelines.totalCount).toBe(before + 1);
  });

  it('a version ingested by another process (npm run ingest) is visible within a second', async () => {
    const before = JSON.parse((await post('reader', LIST)).text).data.guidelines.totalCount as number;
    const folder = mkdtempSync(join(tmpdir(), 'ingest-'));
    try {
      const { fileName, text } = syntheticGuideline(7002);
      writeFileSync(join(folder, fileName), text);
      const ingest = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts', folder], { env: { ...process.env, DATABASE_URL: api.db.url }, encoding: 'utf8' });
      expect(ingest.status).toBe(0);
      const done = performance.now();
      let seenAfter = Number.POSITIVE_INFINITY;
      while (performance.now() - done < 3000) {
        if (JSON.parse((await post('reader', LIST)).text).data.guidelines.totalCount === before + 1) {
          seenAfter = performance.now() - done;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      console.log(`another process's version seen after ${Math.round(seenAfter)} ms`);
      expect(seenAfter).toBeLessThan(1000);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
