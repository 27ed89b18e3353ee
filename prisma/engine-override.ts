import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Prisma's CLI insists on a native schema-engine binary that it downloads from a host this build
 * environment cannot reach. `prisma generate` only checks that the file exists, so when no native
 * engine is installed we point the documented override at a placeholder. On a machine that has
 * the engine nothing changes. We never use the CLI for migrations (see src/store/migrations).
 */
export function useEnginePlaceholderIfOffline(): void {
  if (process.env['PRISMA_SCHEMA_ENGINE_BINARY']) return;
  let enginesDir: string | null = null;
  try {
    enginesDir = dirname(createRequire(import.meta.url).resolve('@prisma/engines/package.json'));
  } catch {
    enginesDir = null;
  }
  const hasNativeEngine = enginesDir !== null && existsSync(enginesDir) && readdirSync(enginesDir).some((name) => name.startsWith('schema-engine'));
  if (!hasNativeEngine) process.env['PRISMA_SCHEMA_ENGINE_BINARY'] = join(dirname(fileURLToPath(import.meta.url)), 'engine-override.ts');
}
