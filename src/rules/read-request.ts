import { epochDay } from '../domain/calendar.ts';
import type { CompiledRuleSet } from './compile-rule-set.ts';
import type { CoreRequest } from './decide.ts';
import type { Scalar } from './expression.ts';
import type { FactDefinition } from './rule-set.ts';

export interface InputProblem {
  /** The input field, e.g. `facts.requestedDosePerDayMcg` or `evidence[0].hazardRatio`. */
  readonly field: string;
  readonly message: string;
}

export interface RawRequest {
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly facts: readonly { readonly key: string; readonly value: unknown }[];
  readonly evidence: readonly Readonly<Record<string, unknown>>[];
}

export const MAX_FACTS = 200;
export const MAX_EVIDENCE_ITEMS = 50;
const MAX_STRING = 200;

/** Significant digits of a number's shortest decimal form: 0.0285 → 3, 1e-7 → 1, 123.450 → 5. */
function significantDigits(value: number): number {
  // A whole number below 1e15 is written without an exponent, every digit significant.
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value === 0 ? 0 : String(Math.abs(value)).length;
  const [mantissa = ''] = String(Math.abs(value)).split('e');
  return mantissa.replace('.', '').replace(/^0+/, '').length;
}

/**
 * Reports a problem with a field and reads nothing. A module function, not a closure per call: under
 * tsx every named closure is also renamed on creation, which cost more than the reading itself.
 */
function refuse(problems: InputProblem[], prefix: string, key: string, message: string): undefined {
  problems.push({ field: `${prefix}${key}`, message });
  return undefined;
}

/** `prefix` and `key` name the field ("facts.", "dose"), joined only when a problem names it. */
function readValue(definition: FactDefinition, value: unknown, prefix: string, key: string, problems: InputProblem[], dateOfService: number | null): Scalar | undefined {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : refuse(problems, prefix, key, 'must be true or false');
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return refuse(problems, prefix, key, 'must be a finite number');
      // Values are compared exactly as written: a number no form or clinician writes (5e-324, or
      // 0.30000000000000004 from a client's arithmetic) is refused rather than read at some precision.
      if (value !== 0 && (Math.abs(value) < 1e-9 || Math.abs(value) >= 1e15)) return refuse(problems, prefix, key, 'must be 0 or between 1e-9 and 1e15 in magnitude');
      if (significantDigits(value) > 15) return refuse(problems, prefix, key, `has more than 15 significant digits (${value}); send the value as written`);
      if (definition.type === 'integer' && !Number.isInteger(value)) return refuse(problems, prefix, key, 'must be a whole number');
      if (definition.minimum !== undefined && value < definition.minimum) return refuse(problems, prefix, key, `must be at least ${definition.minimum}${definition.unit ? ` ${definition.unit}` : ''}`);
      if (definition.maximum !== undefined && value > definition.maximum) return refuse(problems, prefix, key, `must be at most ${definition.maximum}${definition.unit ? ` ${definition.unit}` : ''}`);
      return value;
    }
    case 'date': {
      if (typeof value !== 'string' || value.length > 10) return refuse(problems, prefix, key, 'must be a date YYYY-MM-DD');
      const day = epochDay(value);
      if (day === null) return refuse(problems, prefix, key, `"${value}" is not a real calendar date (YYYY-MM-DD)`);
      // Every date a rule set asks for (birth, last administration) lies on or before the date of service.
      if (dateOfService !== null && day > dateOfService) return refuse(problems, prefix, key, `"${value}" is after the date of service`);
      return day;
    }
    case 'enum':
      if (typeof value !== 'string' || value.length > MAX_STRING) return refuse(problems, prefix, key, `must be one of ${definition.values?.join(', ')}`);
      return definition.values?.includes(value) ? value : refuse(problems, prefix, key, `"${value}" is not one of ${definition.values?.join(', ')}`);
    default: {
      const exhaustive: never = definition.type;
      return refuse(problems, prefix, key, `unsupported fact type ${String(exhaustive)}`);
    }
  }
}

/**
 * Validates a request against the rule set's fact schema and turns it into the core's input. Every
 * problem is reported with the field it concerns; nothing is guessed or coerced.
 */
export function readRequest(ruleSet: CompiledRuleSet, raw: RawRequest): { request: CoreRequest | null; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const dateOfService = epochDay(raw.dateOfService);
  if (dateOfService === null) problems.push({ field: 'dateOfService', message: `"${raw.dateOfService}" is not a real calendar date (YYYY-MM-DD)` });
  if (raw.facts.length > MAX_FACTS) problems.push({ field: 'facts', message: `at most ${MAX_FACTS} facts` });
  if (raw.evidence.length > MAX_EVIDENCE_ITEMS) problems.push({ field: 'evidence', message: `at most ${MAX_EVIDENCE_ITEMS} evidence items` });
  const values: (Scalar | undefined)[] = new Array(ruleSet.facts.length).fill(undefined);
  const seen = new Uint8Array(ruleSet.facts.length);
  const count = Math.min(raw.facts.length, MAX_FACTS);
  for (let index = 0; index < count; index += 1) {
    const fact = raw.facts[index] as RawRequest['facts'][number];
    if (typeof fact.key !== 'string' || fact.key.length > MAX_STRING) {
      problems.push({ field: `facts[${index}]`, message: 'fact key must be a short string' });
      continue;
    }
    const slot = ruleSet.slotOf.get(fact.key);
    const definition = slot === undefined ? undefined : ruleSet.facts[slot];
    if (slot === undefined || !definition) {
      problems.push({ field: `facts.${fact.key}`, message: 'unknown fact for this guideline version (see GuidelineVersion.requirements)' });
      continue;
    }
    if (seen[slot] === 1) problems.push({ field: `facts.${fact.key}`, message: 'given more than once' });
    seen[slot] = 1;
    values[slot] = readValue(definition, fact.value, 'facts.', fact.key, problems, dateOfService);
  }
  const fields = raw.evidence.length === 0 ? null : new Map(ruleSet.evidenceFields.map((definition) => [definition.key, definition]));
  const evidence = raw.evidence.slice(0, MAX_EVIDENCE_ITEMS).map((item, index) => {
    const read: Record<string, Scalar | undefined> = {};
    for (const [key, value] of Object.entries(item)) {
      const definition = fields?.get(key);
      if (!definition) {
        if (value !== null && value !== undefined && key !== 'citation') problems.push({ field: `evidence[${index}].${key}`, message: 'unknown evidence field' });
        continue;
      }
      read[key] = readValue(definition, value, `evidence[${index}].`, key, problems, dateOfService);
    }
    return read;
  });
  if (problems.length > 0 || dateOfService === null) return { request: null, problems };
  return { request: { dateOfService, lineOfBusiness: raw.lineOfBusiness, values, evidence }, problems };
}
