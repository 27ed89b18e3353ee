/** Error codes clients may rely on; the API puts them in `extensions.code`. */
export type ErrorCode =
  | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'NO_EFFECTIVE_VERSION' | 'NOT_DECIDABLE' | 'FORBIDDEN'
  /** Work on caller-supplied input ran past its hard deadline and was stopped. */
  | 'DEADLINE_EXCEEDED'
  /** Too much such work is queued already: try again later. */
  | 'SERVICE_BUSY';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An expected failure, with a stable code and, for bad input, the fields at fault. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function badInput(message: string, fields: readonly FieldProblem[] = []): DomainError {
  return new DomainError('BAD_USER_INPUT', message, fields);
}

/**
 * Control characters (C0, DEL, C1) never belong in an identifier, a code or a search: PostgreSQL
 * refuses a NUL in text outright (an internal error), SQLite stores it. Refused alike on both.
 */
export function refuseControlCharacters(fields: Readonly<Record<string, string | null | undefined>>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value === 'string' && /[\u0000-\u001f\u007f-\u009f]/.test(value)) {
      throw badInput(`${field} contains a control character`, [{ field, message: 'contains a control character' }]);
    }
  }
}
