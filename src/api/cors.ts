import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/** A setting the server cannot start with (named, with what was wrong). */
export class CorsSettingError extends Error {}

/**
 * CORS_ORIGINS: the origins whose pages may call the API from a browser, comma-separated, each
 * exactly as a browser sends it (`https://portal.example.org`, `http://localhost:5173`), or `*`
 * for any. Empty or unset: none (server-to-server callers need no CORS).
 */
export function corsOriginsFromEnvironment(environment: NodeJS.ProcessEnv): readonly string[] {
  const listed = (environment['CORS_ORIGINS'] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const origin of listed) {
    if (origin === '*') continue;
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    // An origin is a scheme, a host and a port, nothing more: a path or a trailing slash would never match.
    if (!parsed || parsed.origin !== origin || !['http:', 'https:'].includes(parsed.protocol)) {
      throw new CorsSettingError(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin (scheme://host[:port], no path or trailing slash)`);
    }
  }
  return listed;
}

/**
 * Answers CORS for /graphql with the `cors` middleware: a preflight (OPTIONS) from any origin is
 * answered here (204), and `Access-Control-Allow-Origin` is sent only to the origins allowed.
 * Apollo's CSRF prevention still applies to every request that is not a preflight: a browser
 * sends a JSON POST or a request with `apollo-require-preflight` only after a preflight succeeded.
 * Returns whether the response was already sent (a preflight).
 */
export function createCorsHandler(origins: readonly string[]): (request: IncomingMessage, response: ServerResponse) => boolean {
  const middleware = cors({
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST'],
    // Keys are sent as a header, never as cookies: no credentials mode.
    credentials: false,
    allowedHeaders: ['content-type', 'authorization', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  return (request, response) => {
    let failed: unknown = null;
    // With a fixed origin list the middleware decides synchronously.
    middleware(request as never, response as never, (error?: unknown) => {
      failed = error ?? null;
    });
    if (failed) throw failed;
    return response.writableEnded;
  };
}
