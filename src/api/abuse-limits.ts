import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_RESPONSE_LIMITS } from './response-budget.ts';
import { DEFAULT_SELECTION_LIMITS } from './selection-limits.ts';
import type { RateLimits } from './rate-limits.ts';
import { DEFAULT_RATE_LIMITS } from './rate-limits.ts';

/** Limits applied before a query executes; each can be overridden from the environment. */
export interface AbuseLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxCost: number;
  readonly maxDirectives: number;
  /** Milliseconds a request may take before the caller gets a TIMEOUT error. */
  readonly timeoutMs: number;
  /** Checked before validation (see selection-limits.ts). */
  readonly maxSelections: number;
  readonly maxRepeats: number;
  readonly maxFragments: number;
  /** What one answer may hold (see response-budget.ts): list items in all, and serialized bytes. */
  readonly maxListItems: number;
  readonly maxResponseBytes: number;
}

export const DEFAULT_LIMITS: AbuseLimits = { maxDepth: 12, maxAliases: 15, maxTokens: 2000, maxCost: 5000, maxDirectives: 20, timeoutMs: 10_000, ...DEFAULT_SELECTION_LIMITS, ...DEFAULT_RESPONSE_LIMITS };

export function rateLimitsFromEnvironment(env: NodeJS.ProcessEnv): RateLimits {
  const read = (name: string, fallback: number): number => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    perKeyPerSecond: read('RATE_LIMIT_PER_KEY', DEFAULT_RATE_LIMITS.perKeyPerSecond),
    perAddressPerSecond: read('RATE_LIMIT_PER_ADDRESS', DEFAULT_RATE_LIMITS.perAddressPerSecond),
    keyChecksPerMinute: read('RATE_LIMIT_KEY_CHECKS_PER_MINUTE', DEFAULT_RATE_LIMITS.keyChecksPerMinute),
  };
}

export function limitsFromEnvironment(env: NodeJS.ProcessEnv): AbuseLimits {
  const read = (name: string, fallback: number): number => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    maxDepth: read('GRAPHQL_MAX_DEPTH', DEFAULT_LIMITS.maxDepth),
    maxAliases: read('GRAPHQL_MAX_ALIASES', DEFAULT_LIMITS.maxAliases),
    maxTokens: read('GRAPHQL_MAX_TOKENS', DEFAULT_LIMITS.maxTokens),
    maxCost: read('GRAPHQL_MAX_COST', DEFAULT_LIMITS.maxCost),
    maxDirectives: read('GRAPHQL_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives),
    timeoutMs: read('GRAPHQL_TIMEOUT_MS', DEFAULT_LIMITS.timeoutMs),
    maxSelections: read('GRAPHQL_MAX_SELECTIONS', DEFAULT_LIMITS.maxSelections),
    maxRepeats: read('GRAPHQL_MAX_REPEATED_FIELDS', DEFAULT_LIMITS.maxRepeats),
    maxFragments: read('GRAPHQL_MAX_FRAGMENTS', DEFAULT_LIMITS.maxFragments),
    maxListItems: read('GRAPHQL_MAX_LIST_ITEMS', DEFAULT_LIMITS.maxListItems),
    maxResponseBytes: read('GRAPHQL_MAX_RESPONSE_BYTES', DEFAULT_LIMITS.maxResponseBytes),
  };
}

/**
 * graphql-armor's validation rules and plugins: queries deeper, wider or costlier than the limits
 * are refused with GRAPHQL_VALIDATION_FAILED, longer ones with GRAPHQL_PARSE_FAILED, before any
 * resolver runs. Field suggestions are
 * blocked so the schema is not leaked by typos when introspection is off.
 */
export function armor(limits: AbuseLimits, introspection: boolean) {
  const protection = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // Token counting is left to graphql's own parser (Apollo's parseOptions.maxTokens): armor's
    // CommonJS parser throws errors from another copy of graphql, which Apollo cannot classify.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    // Cost is computed below with graphql-query-complexity, which weighs lists by their `first`.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  }).protect();
  // graphql-armor ships CommonJS typings whose Apollo types differ from the ESM ones: same runtime objects.
  return {
    validationRules: protection.validationRules as never[],
    plugins: [...(protection.plugins as never[]), costPlugin(limits.maxCost)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** A page of `first: n` costs n times what one item costs. */
const firstWeighted: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args['first'] === 'number' ? Math.max(1, args['first']) * (1 + childComplexity) : undefined;

/** Refuses operations whose estimated cost is over the budget, before any resolver runs. */
function costPlugin(maxCost: number): ApolloServerPlugin {
  // The cost depends only on the query text, the operation and the variables: computed once for each (bounded).
  const known = new Map<string, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const key = request.query === undefined ? null : `${request.operationName ?? ''}\u0000${request.query}\u0000${JSON.stringify(request.variables ?? {})}`;
          let cost = key === null ? undefined : known.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({ schema, query: document, operationName: request.operationName ?? undefined, variables: request.variables ?? {}, estimators: [firstWeighted, simpleEstimator({ defaultComplexity: 1 })] });
            } catch {
              // Variables that do not coerce: nothing will execute, and Apollo reports them as BAD_USER_INPUT.
              return;
            }
            if (key !== null && key.length < 20_000) {
              if (known.size >= 2000) known.delete(known.keys().next().value as string);
              known.set(key, cost);
            }
          }
          if (cost > maxCost) {
            throw new GraphQLError(`the query's estimated cost ${cost} exceeds the limit ${maxCost} (lists count once per item of "first")`, { extensions: { code: 'QUERY_TOO_COSTLY', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
