import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/api/abuse-limits.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import { prepareDatabase } from '../../src/store/prepare-database.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const referencesTimes = (aliases: number) => `{ guideline(number: "Evolut_CG_3258") { ${Array.from({ length: aliases }, (_, i) => `a${i}: currentVersion { references { ordinal } }`).join(' ')} } }`;

describe(`lists without \`first\` are weighed by their stored length (${testProvider})`, () => {
  let api: TestServer;
  beforeAll(async () => {
    // Blincyto has 15 references: 3 copies are 45 list items, 4 are 60.
    api = await startTestServer({ anonymousRead: true, responseCache: false, limits: { maxListItems: 50, maxResponseBytes: 2_000 } });
  });
  afterAll(async () => api?.stop());

  it('an answer within the list budget is whole; one past it is refused whole, with no partial data', async () => {
    const within = await api.graphqlAs<{ guideline: Record<string, { references: unknown[] }> }>(null, referencesTimes(3));
    expect(within.status).toBe(200);
    expect(Object.values(within.body.data?.guideline ?? {}).map((version) => version.references.length)).toEqual([15, 15, 15]);
    const past = await api.graphqlAs(null, referencesTimes(4));
    expect(past.status).toBe(400);
    expect(past.body.data).toBeUndefined();
    expect(past.body.errors).toEqual([{ message: 'the answer would hold more than 50 list items: ask for fewer fields or guidelines at a time', extensions: { code: 'RESPONSE_TOO_LARGE' } }]);
  });

  it('a mutation whose answer is over the budget says it was carried out', async () => {
    const before = await api.db.database.client.determination.count();
    const { status, body } = await api.graphqlAs('evaluator', `mutation { evaluateRequest(input: { guidelineNumber: "Evolut_CG_3258", dateOfService: "2026-03-02", lineOfBusiness: "COMMERCIAL", facts: [] }) { id reasons { criterionKey factsRead missingFacts } missingFacts { key allowedValues } } }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/the mutation was carried out/);
    expect(await api.db.database.client.determination.count()).toBe(before + 1);
  });

  it('an answer larger than the byte limit is refused whole', async () => {
    const small = await api.graphqlAs(null, '{ guideline(number: "Evolut_CG_3258") { currentVersion { title references { ordinal } } } }');
    expect(small.status).toBe(200);
    const large = await api.graphqlAs(null, '{ guideline(number: "Evolut_CG_3258") { currentVersion { references { citation } } } }');
    expect(large.status).toBe(400);
    expect(large.body.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
    expect(large.body.errors?.[0]?.message).toContain('2,000 bytes');
  });
});

/** RSS and its peak (VmHWM) of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (name: string) => Math.round(Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024);
  return { rss: read('VmRSS'), peak: read('VmHWM') };
}

describe(`a document with 9,915 references against 8 anonymous callers (${testProvider}, server in its own process)`, () => {
  let server: ChildProcess;
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabaseUrl();
    drop = created.drop;
    // The Blincyto document with 9,900 more references: about 1.8 MB, under the ingestion limit.
    const seed = readFileSync(join(repoRoot, 'guidelines/blincyto/Evolut_CG_3258-2026-01.txt'), 'utf8');
    const extra = Array.from({ length: 9_900 }, (_, i) => `${16 + i}. Author${i} A, et al. A long study title number ${i} about blinatumomab in relapsed disease and its outcomes. *J Synth Oncol*. 2001 Jan;${i + 1}(1):1-9. doi: 10.5555/synth.${i}.`);
    const text = `${seed.replaceAll('Evolut_CG_3258', 'Evolut_CG_9999')}\n${extra.join('\n')}`;
    const { database } = await prepareDatabase(created.url);
    const ingested = await ingestDocument(database, { fileName: 'Evolut_CG_9999-2026-01.txt', bytes: new TextEncoder().encode(text) });
    await database.close();
    expect(ingested.status).toBe('loaded');
    const { NODE_ENV: _unset, ...environment } = process.env;
    server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'start.ts')], {
      cwd: repoRoot, env: { ...environment, DATABASE_URL: created.url, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ALLOW_ANONYMOUS_READ: 'true', RATE_LIMIT_PER_ADDRESS: '100000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /GraphQL endpoint: (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(output);
        if (match) resolve(match[1] as string);
      });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
  }, 120_000);
  afterAll(async () => {
    server?.kill('SIGTERM');
    await drop?.();
  });

  const post = async (query: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: response.status, text: await response.text() };
  };

  it('the whole reference list is read in one answer; 15 copies of it are refused, and the server stays small', async () => {
    const one = await post('{ guideline(number: "Evolut_CG_9999") { currentVersion { references { ordinal citation doi } } } }');
    expect(one.status).toBe(200);
    const references = (JSON.parse(one.text) as { data: { guideline: { currentVersion: { references: unknown[] } } } }).data.guideline.currentVersion.references;
    expect(references).toHaveLength(9_915);
    expect(one.text.length).toBeLessThan(DEFAULT_LIMITS.maxResponseBytes);
    const before = memory(server.pid as number);
    // A 1.9 KB query that answered 68 MB before lists were weighed (the server went from 257 MB to a 2,067 MB peak).
    const copies = Array.from({ length: 15 }, (_, i) => `a${i}: currentVersion { references { ordinal citation authors title journal doi url duplicateOf span { startLine endLine } } }`).join(' ');
    const attack = `{ guideline(number: "Evolut_CG_9999") { ${copies} } }`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(attack)));
    const after = memory(server.pid as number);
    console.log(`8 anonymous callers at once, a ${attack.length}-byte query each: statuses ${[...new Set(answers.map((answer) => answer.status))].join(', ')}, ${Math.max(...answers.map((answer) => answer.text.length))} bytes at most; server RSS ${before.rss} MB before, ${after.rss} MB after, peak ${after.peak} MB`);
    // Stopped by the list budget as the lists resolved, not after the answer was built.
    expect(answers.every((answer) => answer.status === 400 && answer.text.includes('RESPONSE_TOO_LARGE') && answer.text.includes('list items'))).toBe(true);
    expect(after.peak - before.rss).toBeLessThan(500);
  }, 120_000);
});
