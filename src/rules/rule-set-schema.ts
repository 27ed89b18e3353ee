import { Ajv } from 'ajv';
import type { RuleSetSource } from './rule-set.ts';

const scalar = { type: ['string', 'number', 'boolean'] };
const numberOrLimit = { anyOf: [{ type: 'number' }, { enum: ['$limit', '$cap', '$interval'] }] };
const rounding = { enum: ['UP', 'DOWN', 'NEAREST'] };
const literalQuantity = { type: 'object', additionalProperties: false, required: ['quantity', 'unit'], properties: { quantity: { type: 'number' }, unit: { type: 'string', minLength: 1 } } };
const quantity = { type: 'object', additionalProperties: false, required: ['amount', 'unit'], properties: { amount: { type: 'number' }, unit: { type: 'string' } } };
const termList = { type: 'array', minItems: 1, items: { $ref: '#/$defs/term' } };
const termPair = { type: 'array', minItems: 2, maxItems: 2, items: { $ref: '#/$defs/term' } };
const limitDeclaration = {
  type: 'object', additionalProperties: false, required: ['kind', 'amount', 'unit'],
  properties: {
    kind: { enum: ['MAX_DOSE', 'MAX_DURATION'] }, amount: { type: 'number' }, unit: { type: 'string' }, per: { type: 'array', items: { type: 'string' } },
    cap: quantity, interval: quantity, qualifier: { type: 'string' }, condition: { type: 'string' },
  },
};
const comparison = {
  eq: scalar, ne: scalar, lt: numberOrLimit, le: numberOrLimit, gt: numberOrLimit, ge: numberOrLimit,
  in: { type: 'array', items: scalar, minItems: 1 },
  between: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
};
const keyPattern = '^[A-Za-z][A-Za-z0-9_]{0,63}$';
const citation = {
  type: 'object', additionalProperties: false, required: ['key', 'text'],
  properties: { key: { type: 'string', minLength: 1 }, text: { type: 'string', minLength: 1 } },
};
const fact = {
  type: 'object', additionalProperties: false, required: ['key', 'type', 'description', 'question'],
  properties: {
    key: { type: 'string', pattern: keyPattern },
    type: { enum: ['boolean', 'number', 'integer', 'date', 'enum'] },
    unit: { type: 'string' },
    values: { type: 'array', items: { type: 'string' }, minItems: 1 },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    description: { type: 'string', minLength: 1 },
    question: { type: 'string', minLength: 1 },
  },
};
const rule = {
  type: 'object', additionalProperties: false, required: ['cites', 'when'],
  properties: { cites: citation, when: { $ref: '#/$defs/expression' } },
};

/** The JSON Schema every rule-set file must satisfy before it is compiled. */
export const ruleSetJsonSchema = {
  $id: 'https://guideline-policy-api.local/rule-set.schema.json',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'guideline', 'implementationDate', 'reviewedBy', 'reviewedOn', 'facts', 'indications', 'contraindications', 'exclusions', 'interpretations'],
  properties: {
    name: { type: 'string', minLength: 1 },
    guideline: { type: 'string', minLength: 1 },
    implementationDate: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
    reviewedBy: { type: 'string', minLength: 1 },
    reviewedOn: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    facts: { type: 'array', items: fact },
    derived: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['key', 'formula', 'height', 'weight', 'description', 'rationale'],
        properties: {
          key: { type: 'string', pattern: keyPattern }, formula: { enum: ['MOSTELLER', 'DU_BOIS'] }, height: { type: 'string' }, weight: { type: 'string' },
          description: { type: 'string', minLength: 1 }, rationale: { type: 'string', minLength: 1 },
        },
      },
    },
    evidence: { type: 'array', items: fact },
    indications: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['section', 'population', 'scenarios'],
        properties: {
          section: { type: 'string' },
          population: { type: 'object', additionalProperties: false, required: ['cites', 'when'], properties: { cites: { type: 'string' }, when: { $ref: '#/$defs/expression' } } },
          scenarios: { type: 'array', items: rule, minItems: 1 },
        },
      },
    },
    contraindications: { type: 'array', items: rule },
    exclusions: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['cites', 'when'],
        properties: {
          cites: citation,
          when: { $ref: '#/$defs/expression' },
          limit: limitDeclaration,
          appliesWhen: { $ref: '#/$defs/expression' },
          alternatives: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', additionalProperties: false, required: ['limit', 'appliesWhen', 'when'],
              properties: { limit: limitDeclaration, appliesWhen: { $ref: '#/$defs/expression' }, when: { $ref: '#/$defs/expression' } },
            },
          },
        },
      },
    },
    continuation: {
      type: 'object', additionalProperties: false, required: ['requested', 'conditions'],
      properties: { requested: { $ref: '#/$defs/expression' }, conditions: { type: 'array', items: rule } },
    },
    offLabel: {
      type: 'object', additionalProperties: false, required: ['cites', 'checklist'],
      properties: { cites: citation, checklist: { type: 'array', items: rule } },
    },
    notices: { type: 'array', items: citation },
    authorize: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['kind', 'limitOf'],
        properties: {
          kind: { enum: ['MAX_DOSE_PER_PERIOD', 'REMAINING_DURATION'] }, limitOf: { type: 'string' }, billingCode: { type: 'string' },
          dose: { $ref: '#/$defs/term' }, billingUnits: rounding,
          used: { type: 'array', items: { type: 'string' } },
          when: { $ref: '#/$defs/expression' },
          otherwiseUsed: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    interpretations: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['topic', 'decision', 'rationale', 'criterionKeys'],
        properties: { topic: { type: 'string' }, decision: { type: 'string' }, rationale: { type: 'string' }, criterionKeys: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
  $defs: {
    term: {
      oneOf: [
        { enum: ['$limit', '$cap', '$interval'] },
        { type: 'object', additionalProperties: false, required: ['fact'], properties: { fact: { type: 'string' } } },
        literalQuantity,
        { type: 'object', additionalProperties: false, required: ['times'], properties: { times: { ...termList, minItems: 2 } } },
        { type: 'object', additionalProperties: false, required: ['divide'], properties: { divide: termPair } },
        { type: 'object', additionalProperties: false, required: ['plus'], properties: { plus: termList } },
        { type: 'object', additionalProperties: false, required: ['minus'], properties: { minus: termPair } },
        { type: 'object', additionalProperties: false, required: ['min'], properties: { min: termList } },
        { type: 'object', additionalProperties: false, required: ['max'], properties: { max: termList } },
        { type: 'object', additionalProperties: false, required: ['round', 'to', 'mode'], properties: { round: { $ref: '#/$defs/term' }, to: literalQuantity, mode: rounding } },
      ],
    },
    expression: {
      oneOf: [
        {
          type: 'object', additionalProperties: false, required: ['compare'], minProperties: 2, maxProperties: 2,
          properties: { compare: { $ref: '#/$defs/term' }, lt: { $ref: '#/$defs/term' }, le: { $ref: '#/$defs/term' }, gt: { $ref: '#/$defs/term' }, ge: { $ref: '#/$defs/term' }, eq: { $ref: '#/$defs/term' } },
        },
        { type: 'object', additionalProperties: false, required: ['all'], properties: { all: { type: 'array', minItems: 1, items: { $ref: '#/$defs/expression' } } } },
        { type: 'object', additionalProperties: false, required: ['any'], properties: { any: { type: 'array', minItems: 1, items: { $ref: '#/$defs/expression' } } } },
        { type: 'object', additionalProperties: false, required: ['not'], properties: { not: { $ref: '#/$defs/expression' } } },
        { type: 'object', additionalProperties: false, required: ['constant'], properties: { constant: { type: 'boolean' } } },
        { type: 'object', additionalProperties: false, required: ['todo'], properties: { todo: { type: 'string', minLength: 1 } } },
        { type: 'object', additionalProperties: false, required: ['atLeast', 'of'], properties: { atLeast: { type: 'integer', minimum: 1 }, of: { type: 'array', minItems: 1, items: { $ref: '#/$defs/expression' } } } },
        { type: 'object', additionalProperties: false, required: ['fact'], minProperties: 2, maxProperties: 2, properties: { fact: { type: 'string' }, ...comparison } },
        { type: 'object', additionalProperties: false, required: ['sum'], minProperties: 2, maxProperties: 2, properties: { sum: { type: 'array', minItems: 1, items: { type: 'string' } }, ...comparison } },
        { type: 'object', additionalProperties: false, required: ['daysSince'], minProperties: 2, maxProperties: 2, properties: { daysSince: { type: 'string' }, ...comparison } },
        { type: 'object', additionalProperties: false, required: ['field'], minProperties: 2, maxProperties: 2, properties: { field: { type: 'string' }, ...comparison } },
        {
          type: 'object', additionalProperties: false, required: ['withinLast'],
          properties: {
            withinLast: {
              type: 'object', additionalProperties: false, required: ['date', 'value', 'unit'],
              properties: { date: { type: 'string' }, value: { type: 'integer', minimum: 0 }, unit: { enum: ['day', 'week', 'month', 'year'] } },
            },
          },
        },
        {
          type: 'object', additionalProperties: false, required: ['ageAtLeast'],
          properties: {
            ageAtLeast: {
              type: 'object', additionalProperties: false, required: ['birthDate', 'value', 'unit'],
              properties: { birthDate: { type: 'string' }, value: { type: 'integer', minimum: 0 }, unit: { enum: ['day', 'week', 'month', 'year'] } },
            },
          },
        },
      ],
    },
  },
} as const;

const validator = new Ajv({ allErrors: true, strict: false }).compile(ruleSetJsonSchema);

/** Validates parsed YAML against the schema; problems name the JSON path they concern. */
export function validateRuleSetSource(value: unknown): { source: RuleSetSource | null; problems: string[] } {
  if (validator(value)) return { source: value as unknown as RuleSetSource, problems: [] };
  const problems = (validator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  return { source: null, problems: [...new Set(problems)].sort() };
}
