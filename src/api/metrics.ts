import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * What Prometheus scrapes at /metrics (prom-client). Labels are bounded by the schema and the
 * server, never by what a caller sends: an operation is the one root field a request asked for
 * (`guideline`, `evaluateRequest`), `multiple` or `none`, never the caller's operation name.
 * Nothing about a request's content (facts, patients, guideline text) is a label.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'guideline_api_http_requests_total', help: 'HTTP requests answered, by route, GraphQL root field and status.', labelNames: ['route', 'operation', 'status'] as const, registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'guideline_api_http_request_duration_seconds', help: 'Time from a request arriving to its response finishing, by route and GraphQL root field.',
    labelNames: ['route', 'operation'] as const, buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  private readonly determinations = new Counter({ name: 'guideline_api_determinations_total', help: 'Determinations returned by evaluateRequest, by outcome (a replay of an idempotency key included).', labelNames: ['outcome'] as const, registers: [this.registry] });
  private readonly cache = new Counter({ name: 'guideline_api_response_cache_lookups_total', help: 'Whole-response cache lookups for catalog queries, by result.', labelNames: ['result'] as const, registers: [this.registry] });
  private readonly refused = new Counter({ name: 'guideline_api_rate_limited_total', help: 'Requests refused with 429, by the limit they were over.', labelNames: ['limit'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'guideline_api_' });
  }

  requestFinished(route: string, operation: string, status: number, seconds: number): void {
    this.requests.inc({ route, operation, status: String(status) });
    this.duration.observe({ route, operation }, seconds);
  }

  determined(outcome: string): void {
    this.determinations.inc({ outcome });
  }

  cacheLookup(hit: boolean): void {
    this.cache.inc({ result: hit ? 'hit' : 'miss' });
  }

  rateLimited(limit: 'address' | 'key' | 'key-check'): void {
    this.refused.inc({ limit });
  }
}

/** What a GraphQL request turned out to ask, written by the plugin below and read when its response finishes. */
export interface RequestObservation {
  operation: string;
}

/** The routes this server answers; anything else is `other`. */
export function routeOf(pathname: string): string {
  switch (pathname) {
    case '/graphql':
      return 'graphql';
    case '/healthz':
    case '/readyz':
    case '/metrics':
    case '/playground':
      return pathname.slice(1);
    default:
      return pathname.startsWith('/playground/assets/') ? 'playground' : 'other';
  }
}

/** The root field a resolved operation asks for: its one field, `multiple`, `fragment` (spread at the root), `introspection` (__schema/__type alone) or `typename`. */
export function operationLabel(operation: OperationDefinitionNode): string {
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== 'Field') return 'fragment';
    if (selection.name.value !== '__typename') names.add(selection.name.value);
  }
  if (names.size === 0) return 'typename';
  if ([...names].every((name) => name.startsWith('__'))) return 'introspection';
  // Validated by then: a root field of the schema, a bounded set.
  return names.size === 1 ? ([...names][0] as string) : 'multiple';
}

/** Records the operation's root field on the request's observation once Apollo has resolved it. */
export function observeOperationPlugin<Context extends { readonly observed: RequestObservation }>(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, contextValue }) => {
        if (operation) contextValue.observed.operation = operationLabel(operation);
      },
    }),
  };
}
