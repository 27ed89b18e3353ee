#!/usr/bin/env -S npx tsx
/**
 * Offline `prisma migrate dev --create-only` for both providers.
 *
 *   npx tsx scripts/make-migration.ts <name> [--provider sqlite|postgresql|all] [--pg-url URL] [--allow-empty]
 *
 * Writes prisma/<provider>/migrations/<timestamp>_<name>/migration.sql (+ migration_lock.toml).
 * PostgreSQL needs a server for the temporary shadow database: --pg-url or MIGRATE_PG_URL
 * (the role must be allowed to CREATE DATABASE). Nothing is written when the migrations are in sync.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { EXTERNAL_TABLES } from '../store/migrations/external-tables.ts';
import { createMigrationFiles, type Provider } from '../store/migrations/schema-engine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    provider: { type: 'string', default: 'all' },
    'pg-url': { type: 'string' },
    'allow-empty': { type: 'boolean', default: false },
  },
});
const name = positionals[0];
if (!name) {
  console.error('usage: make-migration.ts <name> [--provider sqlite|postgresql|all] [--pg-url URL] [--allow-empty]');
  process.exit(64);
}
const providers: Provider[] =
  values.provider === 'all' ? ['sqlite', 'postgresql'] : values.provider === 'sqlite' || values.provider === 'postgresql' ? [values.provider] : [];
if (providers.length === 0) throw new Error(`unknown provider ${values.provider}`);
const pgUrl = values['pg-url'] ?? process.env.MIGRATE_PG_URL;
if (providers.includes('postgresql') && !pgUrl) {
  console.error('PostgreSQL needs --pg-url or MIGRATE_PG_URL (a server where a shadow database can be created)');
  process.exit(64);
}

const now = new Date(); // same timestamp for both providers
let failed = false;
for (const provider of providers) {
  const t = performance.now();
  try {
    const res = await createMigrationFiles({
      provider,
      name,
      now,
      allowEmpty: values['allow-empty'],
      migrationsDir: path.join(root, 'prisma', provider, 'migrations'),
      schemaFiles: [path.join(root, 'prisma', provider)],
      pg: pgUrl,
      filters: { externalTables: EXTERNAL_TABLES[provider] },
    });
    const ms = Math.round(performance.now() - t);
    console.log(res.dir ? `${provider}: wrote ${path.relative(root, res.dir)}/migration.sql (${ms} ms)` : `${provider}: already in sync, nothing written (${ms} ms)`);
  } catch (e) {
    failed = true;
    console.error(`${provider}: ${(e as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
