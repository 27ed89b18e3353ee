import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer({ anonymousRead: false });
});
afterAll(async () => {
  await api?.stop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('x-request-id', () => {
  const post = (body: string, headers: Record<string, string> = {}) => fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const query = JSON.stringify({ query: '{ guideline(number: "Evolut_CG_3258") { number } }' });

  it('is the caller\'s own on every kind of response: answered, 401, 404, 413, health', async () => {
    const id = 'gateway-7f3a.19:retry=2';
    const responses = {
      answered: await post(query, { authorization: `Bearer ${api.keys.reader}`, 'x-request-id': id }),
      unauthenticated: await post(query, { authorization: 'Bearer gpa_nope.wrong', 'x-request-id': id }),
      notFound: await fetch(`${api.url}/nowhere`, { headers: { 'x-request-id': id } }),
      tooLarge: await post(`{"query":"${'x'.repeat(2 * 1024 * 1024)}"}`, { authorization: `Bearer ${api.keys.reader}`, 'x-request-id': id }),
      health: await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': id } }),
    };
    expect(Object.fromEntries(Object.entries(responses).map(([kind, response]) => [kind, [response.status, response.headers.get('x-request-id')]]))).toEqual({
      answered: [200, id], unauthenticated: [401, id], notFound: [404, id], tooLarge: [413, id], health: [200, id],
    });
  });

  it('is a fresh UUID when the caller sent none, or one that could forge a log line', async () => {
    const none = await post(query, { authorization: `Bearer ${api.keys.reader}` });
    expect(none.headers.get('x-request-id')).toMatch(UUID);
    for (const forged of ['a b', 'x'.repeat(129), '-starts-with-a-dash', 'quote"d', 'semi;colon', '%0d%0a']) {
      const response = await post(query, { authorization: `Bearer ${api.keys.reader}`, 'x-request-id': forged });
      expect(response.headers.get('x-request-id'), forged).toMatch(UUID);
    }
  });

  it('is a different UUID for each request (a cached answer included)', async () => {
    const first = await post(query, { authorization: `Bearer ${api.keys.reader}` });
    const second = await post(query, { authorization: `Bearer ${api.keys.reader}` });
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });
});
