import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed operations for front-end code, from the API's contract (GraphQL Code Generator's client preset). */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['client/operations/*.graphql'],
  generates: {
    'client/generated/': {
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { Date: 'string', DateTime: 'string', YearMonth: 'string', JSON: 'unknown' } },
    },
  },
};

export default config;
