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
