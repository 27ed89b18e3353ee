import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, requiredRoles } from '../../src/api/authorization.ts';
import type { Role } from '../../src/domain/roles.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { revokeApiKey } from '../../src/store/api-key-store.ts';
import { createApiKey } from '../../src/services/api-keys.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';

let api: TestServer;
let anonymous: TestServer;
beforeAll(async () => {
  api = await startTestServer();
  anonymous = await startTestServer({ anonymousRead: true });
});
afterAll(async () => {
  await api.stop();
  await anonymous.stop();
});


/** One minimal operation per root field. A root field missing here fails the coverage test below. */
const operations: Record<string, string> = {
  'Query.node': `{ node(id: "R3VpZGVsaW5lOng") { id } }`,
  'Query.guideline': `{ guideline(number: "Evolut_CG_3258") { number } }`,
  'Query.guidelines': `{ guidelines(first: 1) { totalCount } }`,
  'Query.search': `{ search(text: "blinatumomab", first: 1) { totalCount } }`,
  'Query.guidelineByDrug': `{ guidelineByDrug(name: "blincyto") { number } }`,
  'Query.compareVersions': `{ compareVersions(from: "R3VpZGVsaW5lVmVyc2lvbjp4", to: "R3VpZGVsaW5lVmVyc2lvbjp4") { changes { kind } } }`,
  'Query.determination': `{ determination(id: "RGV0ZXJtaW5hdGlvbjp4") { id } }`,
  'Mutation.evaluateRequest': `mutation { evaluateRequest(input: { guidelineNumber: "Evolut_CG_3258", dateOfService: "2026-03-02", lineOfBusiness: "CHIP", facts: [] }) { outcome } }`,
  'Mutation.evaluateDraft': `mutation { evaluateDraft(input: { document: "", ruleSet: "", dateOfService: "2026-03-02", lineOfBusiness: "COMMERCIAL", facts: [] }) { outcome } }`,
  'Mutation.analyzeImpact': `mutation { analyzeImpact(versionId: "R3VpZGVsaW5lVmVyc2lvbjp4") { evaluated } }`,
  'Query.determinations': `{ determinations(first: 1) { totalCount } }`,
  'Query.priorAuthorizationMetrics': `{ priorAuthorizationMetrics(from: "2026-01-01", to: "2026-12-31") { overall { requests } } }`,
  'Mutation.recordReview': `mutation { recordReview(input: { determinationId: "RGV0ZXJtaW5hdGlvbjp4", decision: APPROVED, rationale: "r", criterionKeys: ["k"], reviewer: "Dr. R" }) { id } }`,
};


/** The server's own executable schema: the fields and directives that are actually enforced. */
const schema = () => api.server.schema;
const rootFields = (): string[] => ['Query', 'Mutation'].flatMap((type) => Object.keys((schema().getType(type) as unknown as { getFields(): Record<string, unknown> }).getFields()).map((field) => `${type}.${field}`));

describe('role matrix, enforced by @requires in the schema', () => {
  it('every Query and Mutation field declares its roles and has an operation in this test', () => {
    expect(Object.keys(operations).sort()).toEqual(rootFields().sort());
    for (const field of rootFields()) {
      const [type, name] = field.split('.') as [string, string];
      expect(requiredRoles(schema(), type, name), field).not.toBeNull();
    }
  });

  const callers: (Role | 'anonymous')[] = [...ROLES, 'anonymous'];
  // Built from this test's operations; the coverage test above ties them to the schema's fields.
  const matrix = Object.keys(operations).flatMap((field) => callers.map((caller) => [field, caller] as const));
  it.each(matrix)('%s as %s', async (field, caller) => {
    const [type, name] = field.split('.') as [string, string];
    const expected = allows(requiredRoles(schema(), type, name), caller === 'anonymous' ? null : caller);
    const { status, body } = caller === 'anonymous' ? await api.graphqlAs(null, operations[field] as string) : await api.graphqlAs(caller, operations[field] as string);
    expect(status).not.toBe(500);
    const codes = (body.errors ?? []).map((error) => error.extensions?.code);
    if (expected) expect(codes.filter((code) => code === 'FORBIDDEN' || code === 'UNAUTHENTICATED')).toEqual([]);
    else expect(codes).toContain(caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
  });

  it('the expected matrix, spelled out', () => {
    const may = (role: Role | null, field: string): boolean => {
      const [type, name] = field.split('.') as [string, string];
      return allows(requiredRoles(schema(), type, name), role);
    };
    expect(rootFields().filter((field) => may('reader', field)).sort()).toEqual(['Query.guideline', 'Query.guidelineByDrug', 'Query.guidelines', 'Query.node', 'Query.search']);
    expect(rootFields().filter((field) => may('evaluator', field)).sort()).toEqual(['Mutation.evaluateRequest', 'Query.determination', 'Query.guideline', 'Query.guidelineByDrug', 'Query.guidelines', 'Query.node', 'Query.search']);
    expect(rootFields().filter((field) => may('auditor', field)).sort()).toEqual(['Mutation.analyzeImpact', 'Mutation.evaluateDraft', 'Query.compareVersions', 'Query.determination', 'Query.determinations', 'Query.guideline', 'Query.guidelineByDrug', 'Query.guidelines', 'Query.node', 'Query.priorAuthorizationMetrics', 'Query.search']);
    // A clinical reviewer reads policy content and determinations (its worklist) and records reviews; it neither decides nor audits.
    expect(rootFields().filter((field) => may('reviewer', field)).sort()).toEqual(['Mutation.recordReview', 'Query.determination', 'Query.determinations', 'Query.guideline', 'Query.guidelineByDrug', 'Query.guidelines', 'Query.node', 'Query.search']);
    expect(rootFields().filter((field) => may('admin', field))).toEqual(rootFields());
    expect(rootFields().filter((field) => may(null, field))).toEqual([]);
  });

  it('a reader cannot read a determination through node(id) or Guideline.changes', async () => {
    const { body } = await api.graphqlAs<{ evaluateRequest: { id: string } }>('evaluator', `mutation { evaluateRequest(input: { guidelineNumber: "Evolut_CG_3258", dateOfService: "2026-03-02", lineOfBusiness: "CHIP", facts: [] }) { id } }`);
    const id = body.data?.evaluateRequest.id;
    const viaNode = await api.graphqlAs('reader', `query($id: ID!) { node(id: $id) { ... on Determination { outcome } } }`, { id });
    expect(viaNode.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Not even whether it exists: __typename is never wrapped, so node itself must refuse.
    const existence = await api.graphqlAs<{ node: unknown }>('reader', `query($id: ID!) { node(id: $id) { __typename } }`, { id });
    expect(existence.body.data?.node ?? null).toBeNull();
    expect(existence.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const changes = await api.graphqlAs('reader', `{ guideline(number: "Evolut_CG_3258") { changes { changes { kind } } } }`);
    expect(changes.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('anonymous callers read policy content only where anonymous reading is on', async () => {
    expect((await anonymous.graphqlAs(null, operations['Query.guideline'] as string)).body.errors).toBeUndefined();
    expect((await anonymous.graphqlAs(null, operations['Mutation.evaluateRequest'] as string)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.graphqlAs(null, operations['Query.guideline'] as string)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('API keys', () => {
  it('are stored hashed: no column holds the key', async () => {
    const rows = await api.db.database.client.apiKey.findMany();
    const stored = JSON.stringify(rows);
    for (const token of Object.values(api.keys)) {
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(token.split('.')[1]);
    }
    expect(rows.every((row) => row.hash.startsWith('scrypt$'))).toBe(true);
  });

  it('an unknown, malformed, revoked or expired key gets 401 before anything runs', async () => {
    const send = (authorization: string) => fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect((await send('Bearer gpa_0000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    // A real prefix with the wrong secret: the hash comparison itself must refuse it.
    const [prefix] = api.keys.auditor.split('.');
    expect((await send(`Bearer ${prefix}.${'B'.repeat(32)}`)).status).toBe(401);
    expect((await send('Basic dXNlcjpwYXNz')).status).toBe(401);
    const revoked = await createApiKey(api.db.database.client, { name: 'to revoke', role: 'reader', expiresAt: null });
    await revokeApiKey(api.db.database.client, revoked.id, new Date());
    expect((await send(`Bearer ${revoked.token}`)).status).toBe(401);
    // The test server's clock says 2026-06-01.
    const expired = await createApiKey(api.db.database.client, { name: 'expired', role: 'reader', expiresAt: new Date('2026-05-31T00:00:00Z') });
    expect((await send(`Bearer ${expired.token}`)).status).toBe(401);
    expect((await send(`Bearer ${api.keys.reader}`)).status).toBe(200);
  });
});
