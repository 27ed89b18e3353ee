import type { Diagnostic } from '../domain/document.ts';
import { badInput } from '../domain/errors.ts';
import { parseGuideline } from '../document/parse-guideline.ts';
import type { Outcome } from '../rules/decide.ts';
import { decide } from '../rules/decide.ts';
import type { RenderedDecision } from './evaluate-request.ts';
import { readRawRequest, renderDecision } from './evaluate-request.ts';
import { bindRuleSetText } from './rule-set-diagnostics.ts';

export interface DraftInput {
  readonly document: string;
  readonly ruleSet: string;
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly facts: readonly { readonly key: string; readonly value: unknown }[];
  readonly evidence?: readonly Readonly<Record<string, unknown>>[] | null;
}

export type DraftEvaluation = RenderedDecision & {
  readonly outcome: Outcome;
  /** The parser's warnings and notes on the draft document (errors refuse the draft instead). */
  readonly diagnostics: readonly Diagnostic[];
};

const MAX_DRAFT_CHARS = 500_000;

/**
 * What-if against a document and rule set that are not published: parsed, checked and compiled
 * exactly as ingestion would, then decided. Nothing is stored; problems are BAD_USER_INPUT.
 * Synchronous and CPU-bound on caller-supplied text: the API runs it in a worker with a hard
 * deadline (draft-evaluator.ts), never on the event loop.
 */
export function evaluateDraft(input: DraftInput): DraftEvaluation {
  if (input.document.length > MAX_DRAFT_CHARS || input.ruleSet.length > MAX_DRAFT_CHARS) {
    throw badInput(`document and rule set are at most ${MAX_DRAFT_CHARS} characters each`, [{ field: 'document', message: 'too large' }]);
  }
  const { document, diagnostics } = parseGuideline(input.document);
  if (!document) {
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    throw badInput(`the document does not parse: ${errors.map((d) => `line ${d.line}: ${d.code}`).join('; ')}`, errors.map((d) => ({ field: `document:${d.line}`, message: `${d.code} ${d.message}` })));
  }
  const bound = bindRuleSetText({ fileName: 'ruleSet', text: input.ruleSet }, document, 'RULES_SCHEMA');
  if ('problems' in bound) {
    throw badInput('the rule set does not bind to the document', bound.problems.map((problem) => ({
      field: `ruleSet:${problem.line}:${problem.column ?? 1}`,
      message: `${problem.code} ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`,
    })));
  }
  const { ruleSet } = bound;
  const request = readRawRequest(ruleSet, { dateOfService: input.dateOfService, lineOfBusiness: input.lineOfBusiness, facts: input.facts, evidence: input.evidence ?? [] });
  const decision = decide(ruleSet, request);
  return { outcome: decision.outcome, ...renderDecision(ruleSet, decision), diagnostics: diagnostics.filter((diagnostic) => diagnostic.severity !== 'error') };
}
