import { AuditKeyError, auditKeyFromEnvironment } from '../services/audit-checkpoints.ts';
import { DEFAULT_DATABASE_URL } from '../store/database.ts';

/** Settings come from the environment only; nothing here is secret except a PostgreSQL password, never printed. */
export function databaseUrl(): string {
  return process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
}

/** The audit key, or a one-line message and exit code 2 when the one configured is unusable. */
export function auditKeyOrExit(): Uint8Array | null {
  try {
    return auditKeyFromEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof AuditKeyError) && (error as { code?: string }).code !== 'ENOENT') throw error;
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
}
