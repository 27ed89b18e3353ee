import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, send, wantsHtml } from './http-io.ts';
import { createServer } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Database } from '../store/database.ts';
import { ping } from '../store/database.ts';
import { openMigrationDriver } from '../store/migrations/migration-drivers.ts';
import { pendingMigrationNames } from './readiness.ts';
import { VersionCatalog } from '../services/version-catalog.ts';
import { CatalogGeneration } from '../services/catalog-generation.ts';
import type { CachedResponse } from './response-cache.ts';
import { BoundedSet, CacheableQueries, ResponseCache } from './response-cache.ts';
import { jsonNestingDepth, MAX_JSON_DEPTH, selectionProblem } from './selection-limits.ts';
import type { RateLimits } from './rate-limits.ts';
import { DEFAULT_RATE_LIMITS, RequestRateLimits } from './rate-limits.ts';
import { createDraftEvaluator, DEFAULT_DRAFT_DEADLINE_MS } from '../services/draft-evaluator.ts';
import { writeCheckpoint } from '../services/audit-checkpoints.ts';
import type { ApiContext } from './context.ts';
import { createLoaders } from './context.ts';
import type { AbuseLimits } from './abuse-limits.ts';
import { armor, DEFAULT_LIMITS } from './abuse-limits.ts';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { ApiKeyVerifier } from '../services/api-keys.ts';
import type { Caller } from './authorization.ts';
import { enforceRoles } from './authorization.ts';
import { ResponseBudget, responseTooLarge, weighLists } from './response-budget.ts';
import { SOURCE_PAGE_CSP, sourcePage } from './source-page.ts';
import { handleStandards, isStandardsPath } from './standards-routes.ts';
import { discovery } from '../services/coverage-requirements.ts';
import { formatError } from './errors.ts';
import { safeError } from './safe-error.ts';
import { loadPlaygroundAssets, PLAYGROUND_CSP, playgroundHtml } from './playground.ts';
import { resolvers } from './resolvers/index.ts';
import { requestIdOf } from './request-id.ts';
import { createCorsHandler } from './cors.ts';
import type { RequestObservation } from './metrics.ts';
import { observeOperationPlugin, routeOf, ServerMetrics } from './metrics.ts';
import { endRequestSpan, startRequestSpan } from './tracing.ts';

export interface ServerOptions {
  readonly database: Database;
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** Serve GraphiQL at GET /graphql (browsers) and /playground. Off in production unless asked. */
  readonly playground: boolean;
  /** Allow introspection (the playground's docs explorer needs it). */
  readonly introspection: boolean;
  readonly maxBodyBytes?: number;
  /** "Now" for currentVersion; tests pin it. */
  readonly clock?: () => Date;
  readonly limits?: AbuseLimits;
  /** Callers without an API key read policy content as READER (never decide or audit). */
  readonly anonymousRead: boolean;
  /** Hard deadline for one evaluateDraft (parsed in a worker thread); default 2 s. */
  readonly draftDeadlineMs?: number;
  /** Whole-response cache for catalog queries (on unless false); entries are dropped when the catalog changes. */
  readonly responseCache?: boolean;
  /** How often the catalog's generation is polled, to see ingestion by another process; default 500 ms. */
  readonly generationPollMs?: number;
  /** Requests per second per API key and per address (default DEFAULT_RATE_LIMITS). */
  readonly rateLimits?: RateLimits;
  /** The key audit checkpoints are signed with; without it none are written. */
  readonly auditKey?: Uint8Array | null;
  /** This server's address as EHRs reach it, for the links and questionnaire URLs CRD answers carry (PUBLIC_BASE_URL); default the request's host. */
  readonly publicBaseUrl?: string | null;
  /** How often the chain's head is signed and stored (when it moved); default 60 s, and on stop. */
  readonly checkpointEveryMs?: number;
  /** Prometheus metrics at /metrics (on unless false). */
  readonly metrics?: boolean;
  /** When set, /metrics needs `Authorization: Bearer <this>`. */
  readonly metricsToken?: string | null;
  /** Origins whose pages may call /graphql from a browser (CORS); none unless listed. */
  readonly corsOrigins?: readonly string[];
}

export interface ApiServer {
  readonly http: Server;
  /** The executable schema, with role checks applied. */
  readonly schema: GraphQLSchema;
  readonly apollo: ApolloServer<ApiContext>;
  readonly catalog: VersionCatalog;
  readonly responses: ResponseCache | null;
  readonly generation: CatalogGeneration;
  readonly metrics: ServerMetrics;
  stop(): Promise<void>;
}


const typeDefs = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

/**
 * The HTTP server: GraphQL at /graphql (Apollo, plain node:http), the offline playground, and
 * health endpoints. Logs carry a request id, method, path, status and duration, never bodies
 * (requests carry clinical facts).
 */
export async function createApiServer(options: ServerOptions): Promise<ApiServer> {
  const { database, logger } = options;
  const catalog = new VersionCatalog(database.client, 1000, true);
  // The catalog only grows; when it does (here or in another process), what was cached of it goes.
  const generation = new CatalogGeneration(database, options.generationPollMs ?? 500);
  const responses = options.responseCache === false ? null : new ResponseCache();
  const cacheable = new CacheableQueries();
  // Request bodies already known to be catalog queries (bounded like the cache itself).
  const cacheableBodies = new BoundedSet(2000);
  const soundShapes = new BoundedSet(2000);
  const refusedShapes = new Map<string, string>();
  generation.onChange(() => {
    responses?.clear();
    catalog.clear();
  });
  await generation.start();
  const drafts = createDraftEvaluator({ deadlineMs: options.draftDeadlineMs ?? DEFAULT_DRAFT_DEADLINE_MS });
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const clock = options.clock ?? (() => new Date());
  const limits = options.limits ?? DEFAULT_LIMITS;
  const protection = armor(limits, options.introspection);
  const schema = weighLists(enforceRoles(makeExecutableSchema({ typeDefs, resolvers: resolvers as never })));
  const mutationFields = new Set(Object.keys(schema.getMutationType()?.getFields() ?? {}));
  const verifier = new ApiKeyVerifier(database.client);
  const rates = new RequestRateLimits(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const metrics = new ServerMetrics();
  // Each response's route and root field, read when it finishes.
  const observations = new WeakMap<ServerResponse, RequestObservation>();
  // A caller over its limit that does not wait as told would otherwise cost a full HTTP exchange
  // per refusal, back to back: the refusal is held up to a second first (an idle socket costs no
  // CPU), for at most 1,000 such callers at a time, so it can only come back slowly.
  let heldRefusals = 0;
  const tooMany = async (limit: 'address' | 'key' | 'key-check', response: ServerResponse, seconds: number, message: string): Promise<void> => {
    metrics.rateLimited(limit);
    if (heldRefusals < 1000) {
      heldRefusals += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, seconds * 1000)));
      heldRefusals -= 1;
    }
    send(response, 429, 'application/json', JSON.stringify({ errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } }] }), { 'retry-after': String(seconds) });
  };
  const apollo = new ApolloServer<ApiContext>({
    schema,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // Signals are handled by the process (src/cli/serve.ts drains HTTP first); Apollo's own handler,
    // installed whenever NODE_ENV is not "test", would stop it under requests still in flight.
    stopOnTerminationSignals: false,
    // Apollo's own landing page loads Apollo Sandbox from a CDN: never served; ours is offline.
    // No field sets cache hints, and the default cache-control plugin wraps every resolver to look for them.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), observeOperationPlugin<ApiContext>(), ...protection.plugins],
    formatError: (formatted, error) => formatError(formatted, error, (unexpected) => logger.error({ err: safeError(unexpected) }, 'unexpected error in a resolver')),
  });
  await apollo.start();
  const assets = options.playground ? loadPlaygroundAssets('/graphql') : new Map();
  const answerCors = createCorsHandler(options.corsOrigins ?? []);

  /**
   * Readiness: the database answers and every migration is applied, checked over a short-lived
   * connection (a held one would die with a database restart). One check at a time, its answer
   * reused for 2 s, so that probes cannot flood the database with connections.
   */
  let lastReadiness: { at: number; answer: Promise<{ status: number; body: unknown }> } | null = null;
  const readiness = (): Promise<{ status: number; body: unknown }> => {
    const now = performance.now();
    if (lastReadiness && now - lastReadiness.at < 2000) return lastReadiness.answer;
    const answer = (async () => {
      try {
        await ping(database);
        const driver = await openMigrationDriver(options.databaseUrl);
        const pending = await pendingMigrationNames(driver).finally(() => driver.close());
        return pending.length > 0 ? { status: 503, body: { status: 'migrations pending', pending } } : { status: 200, body: { status: 'ready', database: database.provider } };
      } catch {
        return { status: 503, body: { status: 'database unreachable' } };
      }
    })();
    lastReadiness = { at: now, answer };
    return answer;
  };

  /** The caller's role, for the request log line (never anything about the request's content). */
  const roles = new WeakMap<ServerResponse, string>();
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // The path and query string by hand: a URL object per request costs more than the rest of a cached answer.
    const target = request.url ?? '/';
    const question = target.indexOf('?');
    const url = { pathname: question < 0 ? target : target.slice(0, question), search: question < 0 ? '' : target.slice(question) };
    if (url.pathname === '/metrics' && options.metrics !== false) {
      const token = options.metricsToken ?? null;
      if (token !== null && request.headers.authorization !== `Bearer ${token}`) return send(response, 401, 'application/json', JSON.stringify({ error: 'metrics need the metrics token' }), { 'www-authenticate': 'Bearer' });
      return send(response, 200, metrics.registry.contentType, await metrics.registry.metrics());
    }
    if (url.pathname === '/healthz') return send(response, 200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (url.pathname === '/readyz') {
      const { status, body } = await readiness();
      return send(response, status, 'application/json', JSON.stringify(body));
    }
    if (options.playground && (url.pathname === '/playground' || (url.pathname === '/graphql' && wantsHtml(request)))) {
      return send(response, 200, 'text/html; charset=utf-8', playgroundHtml(), { 'content-security-policy': PLAYGROUND_CSP, 'cache-control': 'no-cache' });
    }
    if (options.playground && url.pathname.startsWith('/playground/assets/')) {
      const asset = assets.get(url.pathname.slice('/playground/assets/'.length));
      if (asset) return send(response, 200, asset.type, asset.body, { 'cache-control': 'public, max-age=3600' });
    }
    // CDS Hooks discovery and the guideline text a card links to are public, as the payer publishes them.
    if (url.pathname === '/cds-services' && request.method === 'GET') return send(response, 200, 'application/json', JSON.stringify(discovery()));
    const sourcePath = /^\/guidelines\/([0-9a-f-]{36})\/source$/.exec(url.pathname);
    if (sourcePath && request.method === 'GET') {
      // Public, so counted by address as anonymous callers are.
      const wait = await rates.forAddress(request.socket.remoteAddress ?? 'unknown');
      if (wait !== null) return tooMany('address', response, wait, `more than the allowed requests per second from this address; retry after ${wait} s`);
      const version = await catalog.get(sourcePath[1] as string);
      if (!version) return send(response, 404, 'text/plain; charset=utf-8', 'no such guideline version');
      return send(response, 200, 'text/html; charset=utf-8', sourcePage(version, new URLSearchParams(url.search)), { 'content-security-policy': SOURCE_PAGE_CSP });
    }
    const standards = isStandardsPath(url.pathname);
    if (url.pathname !== '/graphql' && !standards) return send(response, 404, 'application/json', JSON.stringify({ error: 'not found' }));
    // A browser's preflight is answered before anything else (it carries no key and no body).
    if (answerCors(request, response)) return;

    // The time limit covers the whole request: a slowly sent body as much as a slow query. When it
    // is up the caller gets TIMEOUT (the outcome of a mutation already running is then unknown:
    // send an idempotency key and ask again). The timer is always cleared on the way out.
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve('timeout');
      }, limits.timeoutMs);
    });
    try {
      if (standards) await handleStandardsRequest(request, response, url.pathname, timedOut, () => expired);
      else await handleGraphQL(request, response, url, timedOut, () => expired);
    } finally {
      clearTimeout(timer);
    }
  };

  const timeoutResponse = (response: ServerResponse): void =>
    send(response, 503, 'application/json', JSON.stringify({ errors: [{ message: `the request took longer than ${limits.timeoutMs} ms`, extensions: { code: 'TIMEOUT' } }] }));

  /**
   * Admission, for GraphQL and the standards routes alike: anonymous callers counted by address
   * before their body is read, the body read within the time limit, the API key checked and its
   * rate counted. Null when the caller has been answered already (429, 401, 413, TIMEOUT).
   */
  const admit = async (request: IncomingMessage, response: ServerResponse, timedOut: Promise<'timeout'>): Promise<{ caller: Caller; body: string; observed: RequestObservation } | null> => {
    const observed: RequestObservation = { operation: 'none' };
    observations.set(response, observed);
    const address = request.socket.remoteAddress ?? 'unknown';
    const authorization = request.headers.authorization ?? '';
    // Anonymous callers are counted by address before their body is even read.
    if (authorization === '') {
      const wait = await rates.forAddress(address);
      if (wait !== null) {
        await tooMany('address', response, wait, `more than the allowed requests per second from this address without an API key; retry after ${wait} s`);
        return null;
      }
    }
    let body: string;
    try {
      const read = await Promise.race([request.method === 'POST' ? readBody(request, maxBodyBytes) : Promise.resolve(''), timedOut]);
      if (read === 'timeout') {
        // Answer, then stop reading a body that is still arriving.
        response.once('finish', () => request.destroy());
        timeoutResponse(response);
        return null;
      }
      body = read;
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        send(response, 413, 'application/json', JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'BAD_REQUEST' } }] }));
        return null;
      }
      throw error;
    }
    let caller: Caller = options.anonymousRead ? { role: 'reader', authenticated: false } : { role: null, authenticated: false };
    if (authorization !== '') {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      // The key's public prefix (gpa_<prefix>.<secret>), never the secret, counts its requests and failures.
      const prefix = token?.split('.')[0]?.slice(0, 40) ?? '';
      // Each check not answered from memory runs a scrypt: counted per prefix before it runs (once
      // for all requests sharing it), so a flood of wrong secrets for one key costs a bounded number
      // of them however many arrive at once. The check counts against the request's time limit.
      const key = token ? await Promise.race([verifier.keyOf(token, clock(), () => rates.keyCheck(prefix)), timedOut]) : null;
      if (key === 'timeout') {
        timeoutResponse(response);
        return null;
      }
      if (key && 'retryAfterSeconds' in key) {
        await tooMany('key-check', response, key.retryAfterSeconds, `too many checks of this API key; retry after ${key.retryAfterSeconds} s`);
        return null;
      }
      if (!key) {
        // Requests with a key that is not one count against their address, as anonymous ones do.
        await rates.forAddress(address);
        send(response, 401, 'application/json', JSON.stringify({ errors: [{ message: 'the API key is unknown, revoked or expired', extensions: { code: 'UNAUTHENTICATED' } }] }), { 'www-authenticate': 'Bearer' });
        return null;
      }
      const wait = await rates.forKey(prefix);
      if (wait !== null) {
        await tooMany('key', response, wait, `more than the allowed requests per second for this API key; retry after ${wait} s`);
        return null;
      }
      caller = { role: key.role, authenticated: true, keyId: key.keyId };
    }
    roles.set(response, caller.authenticated ? (caller.role ?? 'none') : 'anonymous');
    return { caller, body, observed };
  };

  /** CDS Hooks and DTR, admitted as GraphQL requests are (key, rate limits, body limit, time limit). */
  const handleStandardsRequest = async (request: IncomingMessage, response: ServerResponse, pathname: string, timedOut: Promise<'timeout'>, isExpired: () => boolean): Promise<void> => {
    const admitted = await admit(request, response, timedOut);
    if (!admitted) return;
    // Time already up (a slow key check): do not start deciding.
    if (isExpired()) return timeoutResponse(response);
    admitted.observed.operation = pathname.startsWith('/cds-services/') ? 'cds-hook' : 'fhir';
    const host = request.headers.host ?? '';
    const baseUrl = options.publicBaseUrl ?? `http://${/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host) ? host : 'localhost'}`;
    const answered = handleStandards({
      database, catalog, now: clock(), baseUrl, auditKey: options.auditKey ?? null, isExpired,
      onFailure: (error) => logger.error({ err: safeError(error) }, 'coverage hook failed for an order; answered indeterminate (technical)'),
    }, request, response, pathname, admitted.caller, admitted.body);
    if ((await Promise.race([answered, timedOut])) === 'timeout') {
      // A decision already running finishes and is stored (its answer is dropped): retry with the same order to see it decided again.
      answered.catch((error: unknown) => logger.error({ err: safeError(error) }, 'standards request failed after its time limit'));
      timeoutResponse(response);
    }
  };

  const handleGraphQL = async (request: IncomingMessage, response: ServerResponse, url: { pathname: string; search: string }, timedOut: Promise<'timeout'>, isExpired: () => boolean): Promise<void> => {
    const admitted = await admit(request, response, timedOut);
    if (!admitted) return;
    const { caller, body, observed } = admitted;
    // A body seen before as a catalog query is looked up before it is even parsed.
    const jsonPost = request.method === 'POST' && (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
    // The day (for currentVersion) as a UTC day number.
    const keyOf = (): string => `${generation.value}\u0000${Math.floor(clock().getTime() / 86_400_000)}\u0000${caller.authenticated ? 'key' : 'anonymous'}:${caller.role ?? 'none'}\u0000${request.headers.accept ?? ''}\u0000${body}`;
    const sendCached = (cached: CachedResponse): void => {
      metrics.cacheLookup(true);
      observed.operation = cached.operation;
      response.writeHead(cached.status, { ...cached.headers, 'x-cache': 'hit' });
      response.end(cached.body);
    };
    if (responses && jsonPost && cacheableBodies.has(body) && !isExpired()) {
      const early = responses.get(keyOf());
      if (early) return sendCached(early);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    let parsedBody: unknown = undefined;
    // Variables nested deeper than any request needs would be walked recursively further on.
    const getVariables = request.method === 'GET' ? (new URLSearchParams(url.search).get('variables') ?? '') : '';
    if ((body !== '' && jsonNestingDepth(body) > MAX_JSON_DEPTH) || (getVariables !== '' && jsonNestingDepth(getVariables) > MAX_JSON_DEPTH)) {
      return send(response, 400, 'application/json', JSON.stringify({ errors: [{ message: `the request body nests deeper than ${MAX_JSON_DEPTH} levels`, extensions: { code: 'BAD_REQUEST' } }] }));
    }
    if (body !== '') {
      try {
        parsedBody = JSON.parse(body);
      } catch {
        return send(response, 400, 'application/json', JSON.stringify({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
      }
    }
    // Time already up (a slow key check): do not start executing.
    if (isExpired()) return timeoutResponse(response);
    // A catalog query answered before by the same role on the same day, with the catalog unchanged,
    // is answered again byte for byte (published versions never change).
    const graphqlBody = parsedBody as { query?: unknown; operationName?: unknown } | undefined;
    const query = typeof graphqlBody?.query === 'string' ? graphqlBody.query : null;
    const operationName = typeof graphqlBody?.operationName === 'string' ? graphqlBody.operationName : null;
    // POST with a JSON body only: anything else Apollo refuses (or checks for CSRF), and a cached answer must never skip that.
    const cacheKey = responses && jsonPost && query !== null && cacheable.isCacheable(query, operationName) ? keyOf() : null;
    if (cacheKey !== null) cacheableBodies.add(body);
    const cached = cacheKey !== null ? responses?.get(cacheKey) : undefined;
    if (cached) return sendCached(cached);
    if (cacheKey !== null) metrics.cacheLookup(false);
    // The query's shape is checked before GraphQL validates it (whose cost grows with the square of
    // repeated fields), for every caller; a query text found sound once is not checked again.
    const queryText = query ?? (request.method === 'GET' ? new URLSearchParams(url.search).get('query') : null);
    if (queryText !== null && !soundShapes.has(queryText)) {
      // A query refused before is refused again without parsing it again (an attacker repeats itself).
      const problem = refusedShapes.get(queryText) ?? selectionProblem(queryText, limits, limits.maxTokens);
      if (problem) {
        if (queryText.length <= 16_384) {
          if (refusedShapes.size >= 500) refusedShapes.delete(refusedShapes.keys().next().value as string);
          refusedShapes.set(queryText, problem);
        }
        return send(response, 400, 'application/json', JSON.stringify({ errors: [{ message: problem, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }));
      }
      soundShapes.add(queryText);
    }
    const generationAtStart = generation.value;
    const budget = new ResponseBudget(limits.maxListItems);
    const result = await Promise.race([
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body: parsedBody },
        context: async () => ({ caller, database, catalog, drafts, now: clock(), loaders: createLoaders(database, catalog), metrics, observed, budget, auditKey: options.auditKey ?? null }),
      }),
      timedOut,
    ]);
    if (result === 'timeout') return timeoutResponse(response);
    // An answer over the budget is refused whole: a partial one would look like data that is missing.
    // A mutation refused this way was still carried out: said, so a caller does not take the 400 for "nothing happened".
    const mutated = mutationFields.has(observed.operation) || (observed.operation === 'multiple' && /\bmutation\b/.test(queryText ?? ''));
    const wrote = mutated ? ' (the mutation was carried out: read its result again with fewer fields)' : '';
    if (budget.exceeded) return send(response, 400, 'application/json', responseTooLarge(`the answer would hold more than ${limits.maxListItems.toLocaleString('en-US')} list items: ask for fewer fields or guidelines at a time${wrote}`));
    if (result.body.kind === 'complete' && result.body.string.length * 3 > limits.maxResponseBytes && Buffer.byteLength(result.body.string) > limits.maxResponseBytes) {
      return send(response, 400, 'application/json', responseTooLarge(`the answer would be larger than ${limits.maxResponseBytes.toLocaleString('en-US')} bytes: ask for fewer fields or guidelines at a time${wrote}`));
    }
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of result.headers) outHeaders[key] = value;
    response.writeHead(result.status ?? 200, outHeaders);
    // Only whole successful answers are kept, and only if the catalog did not change while computing them
    // ("errors" can only appear unescaped in the JSON as a key).
    if (cacheKey !== null && result.body.kind === 'complete' && (result.status ?? 200) === 200 && generation.value === generationAtStart && !result.body.string.includes('"errors":')) {
      responses?.set(cacheKey, { status: 200, headers: Object.fromEntries(result.headers), body: result.body.string, operation: observed.operation });
    }
    if (result.body.kind === 'complete') response.end(result.body.string);
    else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  };

  const http = createServer((request, response) => {
    const requestId = requestIdOf(request);
    // Set before anything can answer, so that every response carries it (401, 404, 413, 429 and 500 too).
    response.setHeader('x-request-id', requestId);
    const started = performance.now();
    const path = request.url ?? '';
    const question = path.indexOf('?');
    const route = routeOf(question < 0 ? path : path.slice(0, question));
    const span = startRequestSpan(request.method ?? 'GET', route, requestId);
    response.on('finish', () => {
      const operation = observations.get(response)?.operation ?? 'none';
      metrics.requestFinished(route, operation, response.statusCode, (performance.now() - started) / 1000);
      endRequestSpan(span, operation, response.statusCode);
      if (!logger.isLevelEnabled('info')) return;
      logger.info({ requestId, role: roles.get(response), method: request.method, path: (request.url ?? '').split('?')[0], status: response.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    handle(request, response).catch((error: unknown) => {
      logger.error({ requestId, err: safeError(error) }, 'request failed');
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      else response.end();
    });
  });

  const auditKey = options.auditKey ?? null;
  const checkpoint = async (): Promise<void> => {
    if (!auditKey) return;
    try {
      await writeCheckpoint(database.client, auditKey, clock());
    } catch (error) {
      logger.error({ err: safeError(error) }, 'audit checkpoint failed');
    }
  };
  // One at start too: what was appended before the server held the key (or before records were sealed) is anchored at once.
  if (auditKey) void checkpoint();
  const checkpoints = auditKey ? setInterval(() => void checkpoint(), options.checkpointEveryMs ?? 60_000) : null;
  checkpoints?.unref();

  return {
    http,
    schema,
    apollo,
    catalog,
    responses,
    generation,
    metrics,
    stop: async () => {
      if (checkpoints) clearInterval(checkpoints);
      generation.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await apollo.stop();
      await drafts.close();
      // The last determinations are anchored before the process ends.
      await checkpoint();
    },
  };
}
