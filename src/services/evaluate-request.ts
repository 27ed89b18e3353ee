import { createHash, randomUUID } from 'node:crypto';
import type { Determination, DeterminationOutcome, DeterminationResult, FactRequirementView, ReasonView } from '../domain/determination.ts';
import { badInput, DomainError, refuseControlCharacters } from '../domain/errors.ts';
import { epochDay, isoDate, startOfDay } from '../domain/calendar.ts';
import type { CompiledRuleSet } from '../rules/compile-rule-set.ts';
import type { Decision } from '../rules/decide.ts';
import { decide } from '../rules/decide.ts';
import { explainEntry, summarize } from '../rules/explain.ts';
import type { Scalar } from '../rules/expression.ts';
import type { RawRequest } from '../rules/read-request.ts';
import { MAX_EVIDENCE_ITEMS, MAX_FACTS, readRequest } from '../rules/read-request.ts';
import type { FactDefinition } from '../rules/rule-set.ts';
import type { Database } from '../store/database.ts';
import type { DeterminationRow, NewDetermination } from '../store/determination-store.ts';
import { isUniqueViolation } from '../store/database.ts';
import { findDeterminationByIdempotencyKey, insertDetermination } from '../store/determination-store.ts';
import type { GuidelineSelector } from './guideline-lookup.ts';
import { resolveGuideline } from './guideline-lookup.ts';
import { versionSummaries } from '../store/guideline-reader.ts';
import { versionInEffect } from '../domain/effective-period.ts';
import type { VersionCatalog, VersionEntry } from './version-catalog.ts';

export interface EvaluateInput extends GuidelineSelector {
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly facts: readonly { readonly key: string; readonly value: unknown }[];
  readonly evidence?: readonly Readonly<Record<string, unknown>>[] | null;
  readonly idempotencyKey?: string | null;
  readonly versionId?: string | null;
  /** An urgent request (expedited review); reported apart in the prior-authorization metrics. */
  readonly expedited?: boolean | null;
  /** Who asks: recorded with the determination; idempotency keys are scoped to the API key. */
  readonly caller?: { readonly keyId: string | null; readonly role: string | null };
}

export function requirementOf(fact: FactDefinition): FactRequirementView {
  return {
    key: fact.key, type: fact.type, unit: fact.unit ?? null, allowedValues: fact.values ?? null,
    minimum: fact.minimum ?? null, maximum: fact.maximum ?? null, description: fact.description, question: fact.question,
  };
}

/** Values as the API shows them: dates back to YYYY-MM-DD (the core works in epoch days). */
function displayValue(ruleSet: CompiledRuleSet, key: string, value: Scalar): unknown {
  const slot = ruleSet.slotOf.get(key);
  return slot !== undefined && ruleSet.facts[slot]?.type === 'date' && typeof value === 'number' ? isoDate(value) : value;
}

/** Renders the core's decision for people and for storage; the explanation is built here, not in the core. */
/** A decision as rendered now: exact amounts and derived facts always present (older stored ones may lack them). */
export type RenderedDecision = DeterminationResult & {
  factsUsed: { key: string; value: unknown }[];
  authorizedLimits: readonly (DeterminationResult['authorizedLimits'][number] & { readonly exactAmount: string })[];
  derivedFacts: NonNullable<DeterminationResult['derivedFacts']>;
};

export function renderDecision(ruleSet: CompiledRuleSet, decision: Decision): RenderedDecision {
  const used = new Map(decision.factsUsed.map((fact) => [fact.key, displayValue(ruleSet, fact.key, fact.value)]));
  const reasons: ReasonView[] = decision.trace.map((entry) => ({
    criterionKey: entry.citation.key,
    role: entry.role,
    result: entry.result,
    deciding: entry.deciding,
    citedText: entry.citation.text,
    span: entry.citation.span,
    explanation: explainEntry(entry, (key) => used.get(key) as Scalar | undefined),
    factsRead: entry.factsRead,
    missingFacts: entry.missingFacts,
  }));
  const factByKey = new Map(ruleSet.facts.map((fact) => [fact.key, fact]));
  return {
    summary: summarize(decision.outcome, decision.trace.filter((entry) => entry.deciding)),
    reasons,
    missingFacts: decision.missingFacts.flatMap((key) => {
      const fact = factByKey.get(key);
      return fact ? [requirementOf(fact)] : [];
    }),
    reviewChecklist: decision.checklist.map((item) => ({
      criterionKey: item.citation.key,
      text: item.citation.text,
      result: item.result,
      explanation: item.itemsChecked === 0 ? `no evidence supplied; rule: ${item.rule}` : `${item.itemsMeeting} of ${item.itemsChecked} evidence items meet it; rule: ${item.rule}`,
    })),
    authorizedLimits: decision.authorizedLimits.map((limit) => ({
      kind: limit.kind, amount: limit.amount, exactAmount: limit.exactAmount, unit: limit.unit, billingUnits: limit.billingUnits, billingCode: limit.billingCode, criterionKey: limit.citation.key,
      explanation: limit.basis,
    })),
    derivedFacts: decision.derivedFacts.map((fact) => ({ key: fact.key, value: fact.value, formula: fact.formula })),
    notices: decision.notices.map((notice) => ({ criterionKey: notice.key, kind: notice.kind, text: notice.text })),
    factsUsed: [...used].map(([key, value]) => ({ key, value })),
  };
}

function requestHash(input: EvaluateInput): string {
  const normalized = {
    selector: [input.guidelineNumber ?? null, input.hcpcsCode ?? null, input.drug ?? null],
    dateOfService: input.dateOfService,
    lineOfBusiness: input.lineOfBusiness,
    facts: [...input.facts].sort((a, b) => a.key.localeCompare(b.key)),
    evidence: input.evidence ?? [],
    versionId: input.versionId ?? null,
    // Only when set, so that the hashes of requests from before the flag existed are unchanged.
    ...(input.expedited ? { expedited: true } : {}),
  };
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}

export function toDetermination(row: DeterminationRow): Determination {
  const result = row.result as DeterminationResult;
  return {
    ...result,
    id: row.id,
    outcome: row.outcome as DeterminationOutcome,
    guidelineNumber: row.guidelineNumber,
    versionId: row.versionId,
    ruleSetSha256: row.ruleSetSha256,
    dateOfService: row.dateOfService,
    lineOfBusiness: row.lineOfBusiness,
    factsUsed: row.factsUsed as Determination['factsUsed'],
    evidence: row.evidence as Determination['evidence'],
    whatIf: row.whatIf,
    expedited: row.expedited,
    idempotencyKey: row.idempotencyKey,
    askedBy: row.callerKeyId === null ? null : { apiKeyId: row.callerKeyId, role: row.callerRole ?? 'unknown' },
    createdAt: row.createdAt,
  };
}

const emptyResult = (summary: string): DeterminationResult => ({ summary, reasons: [], missingFacts: [], reviewChecklist: [], authorizedLimits: [], notices: [] });

/** Validates a raw request against a version's rule set; every bad field is a BAD_USER_INPUT. */
export function readRawRequest(ruleSet: CompiledRuleSet, raw: RawRequest) {
  const { request, problems } = readRequest(ruleSet, raw);
  if (!request) throw badInput(`the request has ${problems.length} invalid field(s): ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  return request;
}

/**
 * Decides a request and stores the determination append-only. Invalid input stores nothing. The
 * version is the one in effect on the date of service unless a version is named (what-if); a
 * version without a reviewed rule set is NOT_DECIDABLE, never decided with an older rule set.
 */
export async function evaluateRequest(database: Database, catalog: VersionCatalog, input: EvaluateInput, options: { readonly sealKey?: Uint8Array | null } = {}): Promise<Determination> {
  const { client } = database;
  const day = epochDay(input.dateOfService);
  if (day === null) throw badInput(`dateOfService "${input.dateOfService}" is not a real calendar date (YYYY-MM-DD)`, [{ field: 'dateOfService', message: 'not a date' }]);
  if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(input.lineOfBusiness)) throw badInput('lineOfBusiness must be a code such as COMMERCIAL or MEDICAID', [{ field: 'lineOfBusiness', message: 'not a line-of-business code' }]);
  // The date of service a prior authorization can have: none before 1990, none beyond 2100.
  if (day < EARLIEST_SERVICE_DAY || day > LATEST_SERVICE_DAY) throw badInput(`dateOfService ${input.dateOfService} is outside 1990-01-01 to 2100-12-31`, [{ field: 'dateOfService', message: 'out of range' }]);
  const key = input.idempotencyKey ?? null;
  refuseControlCharacters({ guidelineNumber: input.guidelineNumber, hcpcsCode: input.hcpcsCode, drug: input.drug, idempotencyKey: key, versionId: input.versionId });
  if (key !== null && (key.length < 8 || key.length > 128)) throw badInput('idempotencyKey must be 8 to 128 characters', [{ field: 'idempotencyKey', message: 'bad length' }]);
  // Shape checks that hold whatever the version: even a request that cannot be decided is refused
  // (and nothing stored) when it is malformed.
  if (input.facts.length > MAX_FACTS || input.facts.some((fact) => typeof fact.key !== 'string' || fact.key.length > 200)) {
    throw badInput(`at most ${MAX_FACTS} facts, with keys of at most 200 characters`, [{ field: 'facts', message: 'too many or too long' }]);
  }
  if ((input.evidence ?? []).length > MAX_EVIDENCE_ITEMS) throw badInput(`at most ${MAX_EVIDENCE_ITEMS} evidence items`, [{ field: 'evidence', message: 'too many' }]);
  refuseOutlandishFacts(input, day);
  const hash = requestHash(input);
  if (key !== null) {
    const previous = await findDeterminationByIdempotencyKey(client, input.caller?.keyId ?? null, key);
    if (previous) return sameRequestOrFail(previous, hash);
  }

  // Which guideline a code or drug names, and its versions, change only with the catalog: remembered until it does.
  const selector = { guidelineNumber: input.guidelineNumber ?? null, hcpcsCode: input.hcpcsCode ?? null, drug: input.drug ?? null };
  const guideline = await catalog.lookup(`guideline\u0000${JSON.stringify(selector)}`, () => resolveGuideline(client, database.provider, selector));
  let version: VersionEntry | null;
  if (input.versionId) {
    version = await catalog.get(input.versionId);
    if (!version || version.guidelineId !== guideline.id) {
      throw new DomainError('NOT_FOUND', `version ${input.versionId} is not a version of ${guideline.number}`, [{ field: 'versionId', message: 'unknown version for this guideline' }]);
    }
  } else {
    const summaries = await catalog.lookup(`versions\u0000${guideline.id}`, () => versionSummaries(client, [guideline.id]));
    const summary = versionInEffect(summaries, startOfDay(input.dateOfService) as Date);
    version = summary ? await catalog.get(summary.id) : null;
  }
  // A line of business the version does not list at all is a mistake in the request (a typo, an
  // unknown plan), not a permanent NOT_APPLICABLE; only a listed, unchecked one is NOT_APPLICABLE.
  const lines = version?.document.linesOfBusiness ?? [];
  if (version && lines.length > 0 && !lines.some((line) => line.code === input.lineOfBusiness)) {
    throw badInput(`lineOfBusiness ${input.lineOfBusiness} is not listed by ${guideline.number} (it lists ${lines.map((line) => line.code).join(', ')})`, [{ field: 'lineOfBusiness', message: 'not listed by the guideline' }]);
  }
  const code = input.hcpcsCode?.trim().toUpperCase();
  if (version && code && !version.document.codes.some((candidate) => candidate.code === code)) {
    throw new DomainError('NOT_FOUND', `the version of ${guideline.number} in effect on ${input.dateOfService} does not list code ${code}`, [{ field: 'hcpcsCode', message: 'not listed by the version that applies' }]);
  }

  const base = {
    id: randomUUID(), idempotencyKey: key, callerKeyId: input.caller?.keyId ?? null, callerRole: input.caller?.role ?? null, requestSha256: hash, guidelineNumber: guideline.number, dateOfService: input.dateOfService,
    lineOfBusiness: input.lineOfBusiness, whatIf: Boolean(input.versionId), expedited: input.expedited === true,
  };
  let row: NewDetermination;
  if (!version) {
    row = { ...base, versionId: null, ruleSetSha256: null, outcome: 'NO_EFFECTIVE_VERSION', factsUsed: [], evidence: [], result: emptyResult(`No version of ${guideline.number} was in effect on ${input.dateOfService}`) };
  } else if (!version.compiledRuleSet || !version.ruleSet) {
    row = { ...base, versionId: version.id, ruleSetSha256: null, outcome: 'NOT_DECIDABLE', factsUsed: [], evidence: [], result: emptyResult(`The version of ${guideline.number} in effect (${version.document.header.implementationDate.year}-${String(version.document.header.implementationDate.month).padStart(2, '0')}) ${version.ruleSetProblem ?? 'has no reviewed rule set'}; it is not decided with an older version's rules`) };
  } else {
    const ruleSet = version.compiledRuleSet;
    const request = readRawRequest(ruleSet, { dateOfService: input.dateOfService, lineOfBusiness: input.lineOfBusiness, facts: input.facts, evidence: input.evidence ?? [] });
    const decision = decide(ruleSet, request);
    const { factsUsed, ...result } = renderDecision(ruleSet, decision);
    row = { ...base, versionId: version.id, ruleSetSha256: version.ruleSet.sha256, outcome: decision.outcome, factsUsed, evidence: evidenceAsStored(ruleSet, input.evidence ?? []), result };
  }
  try {
    return toDetermination(await insertDetermination(database, row, new Date(), options.sealKey ?? null));
  } catch (error) {
    // Two requests raced with one idempotency key: the first one stored wins.
    if (key !== null && isUniqueViolation(error)) {
      const winner = await findDeterminationByIdempotencyKey(client, input.caller?.keyId ?? null, key);
      if (winner) return sameRequestOrFail(winner, hash);
    }
    throw error;
  }
}

const EARLIEST_SERVICE_DAY = epochDay('1990-01-01') as number;
const LATEST_SERVICE_DAY = epochDay('2100-12-31') as number;
const EARLIEST_FACT_DAY = epochDay('1900-01-01') as number;
const MAX_CITATION = 1000;
/** No dose, weight, count or laboratory value comes near it; the rules core refuses the same bound. */
const MAX_FACT_MAGNITUDE = 1e15;

/**
 * What holds whatever the outcome, even when no rule set can read the facts: each fact is given
 * once, as a scalar (every fact type is one), a number within ±1e15, a fact written as a date is a
 * real date between 1900 and the date of service, no string is longer than a form's field, and an
 * evidence citation is at most 1,000 characters.
 */
function refuseOutlandishFacts(input: EvaluateInput, dateOfService: number): void {
  const keys = new Set<string>();
  for (const fact of input.facts) {
    refuseControlCharacters({ [`facts.${fact.key}`]: fact.key });
    const field = `facts.${fact.key}`;
    if (keys.has(fact.key)) throw badInput(`${field} is given more than once`, [{ field, message: 'given more than once' }]);
    keys.add(fact.key);
    // Every fact type (boolean, number, integer, date, code) is a scalar; null says "not known".
    const value: unknown = fact.value;
    if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw badInput(`${field} must be a boolean, a number, a date or a code, not ${Array.isArray(value) ? 'a list' : 'an object'}`, [{ field, message: 'not a scalar' }]);
    }
    if (typeof value === 'number' && !(Math.abs(value) <= MAX_FACT_MAGNITUDE)) {
      throw badInput(`${field}: ${value} is outside ±${MAX_FACT_MAGNITUDE.toExponential()}`, [{ field, message: 'out of range' }]);
    }
    if (typeof fact.value !== 'string') continue;
    if (fact.value.length > 200) throw badInput(`facts.${fact.key} is longer than 200 characters`, [{ field: `facts.${fact.key}`, message: 'too long' }]);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(fact.value) ? epochDay(fact.value) : null;
    if (day !== null && (day < EARLIEST_FACT_DAY || day > dateOfService)) {
      throw badInput(`facts.${fact.key}: ${fact.value} is not between 1900-01-01 and the date of service`, [{ field: `facts.${fact.key}`, message: 'date out of range' }]);
    }
  }
  for (const [index, item] of (input.evidence ?? []).entries()) {
    const citation = (item as { citation?: unknown }).citation;
    if (typeof citation === 'string' && citation.length > MAX_CITATION) {
      throw badInput(`evidence[${index}].citation is longer than ${MAX_CITATION} characters`, [{ field: `evidence[${index}].citation`, message: 'too long' }]);
    }
  }
}

/** Evidence as stored with a determination: the fields the rules read, and the citation (bounded above). */
function evidenceAsStored(ruleSet: CompiledRuleSet, evidence: readonly Readonly<Record<string, unknown>>[]): Record<string, unknown>[] {
  const read = new Set([...ruleSet.evidenceFields.map((field) => field.key), 'citation']);
  return evidence.map((item) => Object.fromEntries(Object.entries(item).filter(([key, value]) => read.has(key) && value !== undefined && value !== null)));
}

function sameRequestOrFail(previous: DeterminationRow, hash: string): Determination {
  if (previous.requestSha256 !== hash) {
    throw badInput('this idempotencyKey was already used for a different request', [{ field: 'idempotencyKey', message: 'reused with another request' }]);
  }
  return toDetermination(previous);
}
