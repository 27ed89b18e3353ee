import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { ApiServer } from '../../src/api/server.ts';
import { createApiServer } from '../../src/api/server.ts';
import { loadShippedGuidelines } from '../../src/services/load-shipped-guidelines.ts';
import type { TestDatabase } from './test-database.ts';
import { createTestDatabase } from './test-database.ts';

export interface TestServer {
  readonly url: string;
  readonly db: TestDatabase;
  readonly server: ApiServer;
  /** SQL statements Prisma sent since the last reset. */
  readonly statements: string[];
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: { code?: string; fields?: unknown } }[] } }>;
  stop(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (ephemeral port) over a fresh database with the shipped guidelines. */
export async function startTestServer(options: { playground?: boolean; now?: Date } = {}): Promise<TestServer> {
  const statements: string[] = [];
  const db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
  const summary = await loadShippedGuidelines(db.database.client);
  if (summary.rejected > 0) throw new Error('a shipped guideline was rejected');
  const server = await createApiServer({
    database: db.database, databaseUrl: db.url, logger: pino({ level: 'silent' }), playground: options.playground ?? true, introspection: true,
    clock: () => options.now ?? new Date('2026-06-01T12:00:00Z'),
  });
  await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
  const { port } = server.http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  statements.length = 0;
  return {
    url, db, server, statements,
    graphql: async (query, variables) => {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return { status: response.status, body: (await response.json()) as never };
    },
    stop: async () => {
      await server.stop();
      await db.drop();
    },
  };
}
