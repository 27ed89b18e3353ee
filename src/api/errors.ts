import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '../domain/errors.ts';

/** The documented error codes; anything else leaving a resolver is masked as INTERNAL_SERVER_ERROR. */
export const PUBLIC_CODES = new Set(['QUERY_TOO_COSTLY', 'TIMEOUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'NO_EFFECTIVE_VERSION', 'NOT_DECIDABLE', 'DEADLINE_EXCEEDED', 'SERVICE_BUSY', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Domain errors become coded GraphQL errors; unexpected errors (database down, bugs) are masked so
 * no internals or request data leak, and are reported to the log by the caller.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, onUnexpected: (error: unknown) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return { ...formatted, message: original.message, extensions: { code: original.code, ...(original.fields.length ? { fields: original.fields } : {}) } };
  }
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  onUnexpected(original);
  return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
