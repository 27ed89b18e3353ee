import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('the README worked example', () => {
  it('the request in the README gets the determination the README shows', async () => {
    const mutation = /```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    const shown = JSON.parse(/```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? 'null') as { outcome: string; summary: string; version: unknown; reasons: unknown[] };
    expect(mutation).toBeDefined();
    const { body } = await api.graphql<{ evaluateRequest: { outcome: string; summary: string; version: unknown; reasons: unknown[] } }>(mutation as string);
    expect(body.errors).toBeUndefined();
    const actual = body.data?.evaluateRequest;
    expect(actual?.outcome).toBe(shown.outcome);
    expect(actual?.summary).toBe(shown.summary);
    expect(actual?.version).toEqual(shown.version);
    // "Abridged": the README shows the first reasons, in the order the API returns them.
    expect(actual?.reasons.slice(0, shown.reasons.length)).toEqual(shown.reasons);
  });
});
