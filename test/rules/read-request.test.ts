import { describe, expect, it } from 'vitest';
import { readRequest } from '../../src/rules/read-request.ts';
import { loadGuideline } from '../support/rule-sets.ts';

const { ruleSet } = loadGuideline('blincyto/Evolut_CG_3258-2026-01');
const read = (facts: { key: string; value: unknown }[], evidence: Record<string, unknown>[] = [], dateOfService = '2026-03-02') =>
  readRequest(ruleSet, { dateOfService, lineOfBusiness: 'COMMERCIAL', facts, evidence });

describe('request facts are validated against the fact schema, field by field', () => {
  it.each<[string, { key: string; value: unknown }[], string]>([
    ['an unknown key', [{ key: 'ssn', value: '123' }], 'facts.ssn'],
    ['a string for a number', [{ key: 'requestedDosePerDayMcg', value: '28' }], 'facts.requestedDosePerDayMcg'],
    ['NaN', [{ key: 'requestedDosePerDayMcg', value: Number.NaN }], 'facts.requestedDosePerDayMcg'],
    ['Infinity', [{ key: 'requestedDosePerDayMcg', value: Number.POSITIVE_INFINITY }], 'facts.requestedDosePerDayMcg'],
    ['a negative dose', [{ key: 'requestedDosePerDayMcg', value: -1 }], 'facts.requestedDosePerDayMcg'],
    ['a fractional cycle count', [{ key: 'requestedCycles', value: 1.5 }], 'facts.requestedCycles'],
    ['a number for a boolean', [{ key: 'singleAgent', value: 1 }], 'facts.singleAgent'],
    ['an impossible date', [{ key: 'birthDate', value: '2021-02-29' }], 'facts.birthDate'],
    ['a birth date after the date of service', [{ key: 'birthDate', value: '2026-03-03' }], 'facts.birthDate'],
    ['an enum value not allowed', [{ key: 'cd19Status', value: 'positive' }], 'facts.cd19Status'],
    ['a fact given twice', [{ key: 'singleAgent', value: true }, { key: 'singleAgent', value: true }], 'facts.singleAgent'],
  ])('%s is refused', (_name, facts, field) => {
    const { request, problems } = read(facts);
    expect(request).toBeNull();
    expect(problems.map((problem) => problem.field)).toContain(field);
  });

  it('an unknown evidence field is refused; a citation is accepted as a note', () => {
    expect(read([], [{ studyType: 'CASE_REPORT', impactFactor: 9 }]).problems.map((p) => p.field)).toEqual(['evidence[0].impactFactor']);
    expect(read([], [{ studyType: 'CASE_REPORT', citation: 'Doe J. A case. 2020.' }]).problems).toEqual([]);
  });

  it('a null value is the same as a missing fact, never a guess', () => {
    const { request } = read([{ key: 'requestedDosePerDayMcg', value: null }]);
    expect(request?.values[ruleSet.slotOf.get('requestedDosePerDayMcg') ?? -1]).toBeUndefined();
  });
});
