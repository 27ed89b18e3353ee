import type { Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * One OpenTelemetry span per HTTP request. Without a tracer provider registered (tracing not
 * configured: src/cli/tracing-setup.ts) the API hands out no-op spans that cost next to nothing.
 * Attributes are the route, the GraphQL root field, the status and the request id: never anything
 * a request carries (facts, names, guideline text).
 */
const tracer = trace.getTracer('guideline-policy-api');

export function startRequestSpan(method: string, route: string, requestId: string): Span {
  return tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route, 'guideline_api.request_id': requestId } });
}

export function endRequestSpan(span: Span, operation: string, status: number): void {
  span.setAttribute('graphql.root_field', operation);
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
