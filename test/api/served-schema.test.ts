import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, Kind, parse, printSchema } from 'graphql';
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

  it('says in the docs which roles each protected field and type needs, as its @requires does (the playground\'s docs pane shows it)', () => {
    const document = parse(readFileSync(join(repoRoot, 'schema.graphql'), 'utf8'));
    const checked: string[] = [];
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      for (const node of [definition, ...(definition.fields ?? [])]) {
        const argument = node.directives?.find((directive) => directive.name.value === 'requires')?.arguments?.[0];
        if (!argument || argument.value.kind !== Kind.LIST) continue;
        const roles = argument.value.values.map((value) => (value as { value: string }).value);
        const listed = roles.length > 1 ? `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}` : roles[0];
        const name = node === definition ? definition.name.value : `${definition.name.value}.${node.name.value}`;
        expect(node.description?.value.trim().split('\n').at(-1), name).toBe(`Requires an API key with role ${listed} (or ADMIN).`);
        checked.push(name);
      }
    }
    expect(checked.length).toBeGreaterThan(12);
  });
});
