import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { ApiServer } from '../../src/api/server.ts';
import type { RateLimits } from '../../src/api/rate-limits.ts';
import type { AbuseLimits } from '../../src/api/abuse-limits.ts';
import { DEFAULT_LIMITS } from '../../src/api/abuse-limits.ts';
import { createApiServer } from '../../src/api/server.ts';
import type { Role } from '../../src/domain/roles.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { createApiKey } from '../../src/services/api-keys.ts';
import { loadShippedGuidelines } from '../../src/services/load-shipped-guidelines.ts';
import type { TestDatabase } from './test-database.ts';
import { createTestDatabase } from './test-database.ts';

export interface GraphQLResult<T> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string; fields?: unknown } }[] };
}

export interface TestServer {
  readonly url: string;
  readonly db: TestDatabase;
  readonly server: ApiServer;
  /** SQL statements Prisma sent since the last reset. */
  readonly statements: string[];
  /** As an admin (every role's fields). */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  /** As a caller with this role, or anonymously with null. */
  graphqlAs<T = Record<string, unknown>>(role: Role | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  readonly keys: Record<Role, string>;
  stop(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (ephemeral port) over a fresh database with the shipped guidelines. */
export async function startTestServer(options: { playground?: boolean; now?: Date; anonymousRead?: boolean; limits?: Partial<AbuseLimits>; draftDeadlineMs?: number; responseCache?: boolean; rateLimits?: RateLimits; auditKey?: Uint8Array; corsOrigins?: readonly string[]; metricsToken?: string } = {}): Promise<TestServer> {
  const statements: string[] = [];
  const db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
  const summary = await loadShippedGuidelines(db.database);
  if (summary.rejected > 0) throw new Error('a shipped guideline was rejected');
  const server = await createApiServer({
    database: db.database, databaseUrl: db.url, logger: pino({ level: 'silent' }), playground: options.playground ?? true, introspection: true,
    clock: () => options.now ?? new Date('2026-06-01T12:00:00Z'),
    anonymousRead: options.anonymousRead ?? false,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.draftDeadlineMs === undefined ? {} : { draftDeadlineMs: options.draftDeadlineMs }),
    ...(options.responseCache === undefined ? {} : { responseCache: options.responseCache }),
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.auditKey === undefined ? {} : { auditKey: options.auditKey }),
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
  });
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) keys[role] = (await createApiKey(db.database.client, { name: `test ${role}`, role, expiresAt: null })).token;
  await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
  const { port } = server.http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  statements.length = 0;
  const graphqlAs = async <T>(role: Role | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${keys[role]}` } : {}) };
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json()) as never };
  };
  return {
    url, db, server, statements, keys, graphqlAs,
    graphql: (query, variables) => graphqlAs('admin', query, variables),
    stop: async () => {
      await server.stop();
      await db.drop();
    },
  };
}
