import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { defaultFieldResolver, GraphQLError } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';

/**
 * What one response may hold. The cost limit weighs a query before it runs, but a list without
 * `first` (a version's references, criteria, codes …) is as long as its document made it: only
 * its stored size says what it costs. So every list is weighed as it resolves, by its length, and
 * the serialized answer is weighed again before it is sent.
 */
export interface ResponseLimits {
  /** List items in one response, summed over every list at every level. */
  readonly maxListItems: number;
  /** Bytes of one serialized response. */
  readonly maxResponseBytes: number;
}

export const DEFAULT_RESPONSE_LIMITS: ResponseLimits = { maxListItems: 20_000, maxResponseBytes: 8 * 1024 * 1024 };

/** One request's running count of list items. */
export class ResponseBudget {
  #items = 0;
  #exceeded = false;
  constructor(readonly maxListItems: number) {}

  get exceeded(): boolean {
    return this.#exceeded;
  }

  /** Counts a resolved list; past the limit every later list is refused too, so the work stops. */
  count(value: unknown): unknown {
    if (this.#exceeded) throw tooManyItems(this.maxListItems);
    if (Array.isArray(value)) this.#items += value.length;
    if (this.#items > this.maxListItems) {
      this.#exceeded = true;
      throw tooManyItems(this.maxListItems);
    }
    return value;
  }
}

const tooManyItems = (limit: number) =>
  new GraphQLError(`the answer would hold more than ${limit.toLocaleString('en-US')} list items: ask for fewer fields or guidelines at a time`, { extensions: { code: 'RESPONSE_TOO_LARGE' } });

/** The single error a whole refused answer is replaced with (the partial data is never sent). */
export function responseTooLarge(message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code: 'RESPONSE_TOO_LARGE' } }] });
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Wraps the resolver of every list-typed field so that the request's budget counts what it
 * returns. Scalars and objects are untouched: one call per list, not per item.
 */
export function weighLists(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      // By the type's printed form ("[Reference!]!"), not graphql's instanceof checks: under the test
      // runner the schema's types can come from graphql's other module build.
      if (!String(field.type).startsWith('[')) return field;
      const resolve: GraphQLFieldResolver<unknown, { readonly budget?: ResponseBudget }> = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: (source, args, context, info) => {
          const value = resolve(source, args, context, info);
          const budget = context?.budget;
          if (!budget) return value;
          return isThenable(value) ? Promise.resolve(value).then((resolved) => budget.count(resolved)) : budget.count(value);
        },
      };
    },
  });
}
