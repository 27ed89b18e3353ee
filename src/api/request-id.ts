import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What an incoming `x-request-id` may be to be honoured: a gateway's or a portal's correlation id
 * (a UUID, a trace id, a short token). Anything else (too long, spaces, control characters) could
 * forge or split log lines and is replaced with a fresh id.
 */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/** The request's id: the caller's own when it is a plausible correlation id, otherwise a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}
