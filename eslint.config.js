// Lint enforces the architecture: which folder may import which, and no import cycles.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const zone = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.build-check-*/**', 'src/store/generated/**', 'src/api/generated/**', 'data/**', 'test/artifacts/**', 'src/api/playground/dist/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/domain', './src/!(domain)/**', 'domain types import nothing from other layers'),
            zone('./src/document', './src/!(domain|document)/**', 'the parser is pure: it may import only the domain'),
            zone('./src/rules', './src/!(domain|rules)/**', 'the rules core is pure: no database, GraphQL or services'),
            zone('./src/records', './src/!(domain|records)/**', 'record mapping is pure: domain in, rows out'),
            zone('./src/compare', './src/!(domain|compare)/**', 'version comparison is pure: documents in, changes out'),
            zone('./src/corpus', './src/!(domain|corpus)/**', 'the synthetic corpus is pure text generation'),
            zone('./src/fhir', './src/!(domain|fhir)/**', 'the FHIR mappings are pure: domain values in, FHIR resources out'),
            zone('./src/store', './src/(api|services|cli)/**', 'the store does not know its callers'),
            zone('./src/services', './src/(api|cli)/**', 'services do not know the API or the CLI'),
            zone('./src/api', './src/store/generated/**', 'resolvers never see Prisma rows'),
            zone('./src/api', './src/(rules|compare|document|records|fhir)/**', 'the API reaches the core through services'),
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/store/generated/**'], message: 'only src/store may use the generated Prisma client' }] },
      ],
    },
  },
  {
    files: ['src/rules/**/*.ts', 'src/document/**/*.ts', 'src/domain/**/*.ts', 'src/compare/**/*.ts', 'src/fhir/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'graphql', '@apollo/server', '@prisma/client', 'pg', 'better-sqlite3'],
          patterns: ['**/store/**', '**/api/**', '**/generated/**', '**/services/**'],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'time is a parameter of pure code, never read from the clock' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'time is a parameter of pure code, never read from the clock' },
      ],
    },
  },
  {
    files: ['src/store/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
