import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema } from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => {
  await api?.stop();
});

describe('the schema the server serves', () => {
  it('is schema.graphql, type for type and description for description (client codegen reads either)', async () => {
    const response = await api.graphql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true }));
    expect(response.body.errors).toBeUndefined();
    const served = printSchema(buildClientSchema(response.body.data as IntrospectionQuery));
    const file = printSchema(buildSchema(readFileSync(join(repoRoot, 'schema.graphql'), 'utf8')));
    expect(served).toBe(file);
  });
});
