import { DEFAULT_DATABASE_URL } from '../store/database.ts';

/** Settings come from the environment only; nothing here is secret except a PostgreSQL password, never printed. */
export function databaseUrl(): string {
  return process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
}
