import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_EXAMPLES } from '../../src/api/playground-examples.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

const nested = (depth: number): string => {
  let selection = 'key';
  for (let level = 0; level < depth; level += 1) selection = `children { ${selection} }`;
  return `{ guideline(number: "Evolut_CG_3258") { currentVersion { exclusions { ${selection} } } } }`;
};

describe('abuse limits are enforced before execution', () => {
  it('every playground example is within the limits', async () => {
    for (const example of PLAYGROUND_EXAMPLES) {
      const { body } = await api.graphql(example.query, example.variables);
      expect(body.errors?.filter((error) => error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED') ?? [], example.name).toEqual([]);
    }
  });

  it.each([
    ['a query deeper than the limit', nested(12), 'GRAPHQL_VALIDATION_FAILED'],
    ['too many aliases', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: guideline(number: "Evolut_CG_3258") { number }`).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED'],
    ['too many tokens', `{ ${Array.from({ length: 2500 }, () => '__typename').join(' ')} }`, 'GRAPHQL_PARSE_FAILED'],
  ])('%s is refused (%s) and runs nothing', async (_name, query, code) => {
    api.statements.length = 0;
    const { status, body } = await api.graphql(query);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
    expect(api.statements).toEqual([]);
  });

  it('batched requests (a JSON array) are refused', async () => {
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(response.status).toBe(400);
  });

  it('the cost budget weighs a list by its page size (first)', async () => {
    const small = await startTestServer({ limits: { maxCost: 200 } });
    try {
      const page = (first: number) => `{ guidelines(first: ${first}) { edges { node { number currentVersion { title codes { code } } } } } }`;
      expect((await small.graphql(page(5))).body.errors).toBeUndefined();
      const { status, body } = await small.graphql(page(100));
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    } finally {
      await small.stop();
    }
  });

  it('a request slower than the time limit is answered with TIMEOUT (here: a body sent slowly)', async () => {
    const hasty = await startTestServer({ limits: { timeoutMs: 200 } });
    try {
      const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const body = JSON.stringify({ query: '{ __typename }' });
        const request = httpRequest(`${hasty.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${hasty.keys.admin}` } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        });
        request.on('error', reject);
        request.write(body.slice(0, 5));
        // The rest of the body arrives after the limit.
        setTimeout(() => request.end(body.slice(5)), 600);
      });
      expect(status).toBe(503);
      expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('TIMEOUT');
    } finally {
      await hasty.stop();
    }
  });
});
