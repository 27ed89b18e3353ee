import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTimeISO, GraphQLJSON } from 'graphql-scalars';
import { epochDay } from '../../domain/calendar.ts';

function stringScalar(name: string, description: string, valid: (value: string) => boolean, expected: string): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) throw new TypeError(`${name} must be ${expected}, got ${JSON.stringify(value)?.slice(0, 40)}`);
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError(`${name} must be a string ${expected}`);
      return check(ast.value);
    },
  });
}

export const DateScalar = stringScalar('Date', 'A calendar date, YYYY-MM-DD.', (value) => epochDay(value) !== null, 'a real calendar date YYYY-MM-DD');
export const YearMonthScalar = stringScalar('YearMonth', 'A calendar month, YYYY-MM.', (value) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value), 'a month YYYY-MM');
export const DateTimeScalar = GraphQLDateTimeISO;
export const JSONScalar = GraphQLJSON;
