import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTimeISO, GraphQLJSON } from 'graphql-scalars';
import { epochDay } from '../../domain/calendar.ts';

function stringScalar(name: string, valid: (value: string) => boolean, expected: string): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) throw new TypeError(`${name} must be ${expected}, got ${JSON.stringify(value)?.slice(0, 40)}`);
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError(`${name} must be a string ${expected}`);
      return check(ast.value);
    },
  });
}

/**
 * Only a scalar's behaviour: graphql-tools copies every own property of a resolver scalar over the
 * type built from schema.graphql (its name, description, specifiedBy URL and AST nodes, even when
 * undefined), and the served schema would then differ from the contract clients generate code
 * from (`DateTimeISO` for `DateTime`, descriptions lost).
 */
function behaviourOnly(scalar: GraphQLScalarType): GraphQLScalarType {
  const { serialize, parseValue, parseLiteral } = scalar.toConfig();
  const behaviour = new GraphQLScalarType({ name: scalar.name, serialize, parseValue, parseLiteral });
  for (const schemaText of ['name', 'description', 'specifiedByURL', 'astNode', 'extensionASTNodes', 'extensions'] as const) delete (behaviour as Partial<Record<typeof schemaText, unknown>>)[schemaText];
  return behaviour;
}

export const DateScalar = behaviourOnly(stringScalar('Date', (value) => epochDay(value) !== null, 'a real calendar date YYYY-MM-DD'));
export const YearMonthScalar = behaviourOnly(stringScalar('YearMonth', (value) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value), 'a month YYYY-MM'));
export const DateTimeScalar = behaviourOnly(GraphQLDateTimeISO);
export const JSONScalar = behaviourOnly(GraphQLJSON);
