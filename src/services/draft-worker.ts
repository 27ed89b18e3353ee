import { DomainError } from '../domain/errors.ts';
import type { FieldProblem } from '../domain/errors.ts';
import type { DraftEvaluation, DraftInput } from './evaluate-draft.ts';
import { evaluateDraft } from './evaluate-draft.ts';

/** What crosses the worker boundary: plain data only, so a DomainError travels as its parts. */
export type DraftOutcome =
  | { readonly ok: true; readonly value: DraftEvaluation }
  | { readonly ok: false; readonly code: DomainError['code']; readonly message: string; readonly fields: readonly FieldProblem[] };

/** The task a draft worker runs. An unexpected error is rethrown: the pool reports it as a failure. */
export function runDraftTask(input: DraftInput): DraftOutcome {
  try {
    return { ok: true, value: evaluateDraft(input) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code, message: error.message, fields: error.fields };
    throw error;
  }
}
