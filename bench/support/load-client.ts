/**
 * The load generator, in a process of its own (so the server measured is never slowed by it):
 * autocannon against one URL with a list of request bodies cycled in turn, for a bounded time.
 * Prints one JSON line: requests/s, latency p50/p99, errors and non-2xx.
 *
 *   node --import tsx bench/support/load-client.ts <url> <bodies.json> <seconds> <connections> [authorization]
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, bodiesFile, seconds, connections, authorization] = process.argv.slice(2);
if (!url || !bodiesFile) throw new Error('usage: load-client <url> <bodies.json> <seconds> <connections> [authorization]');
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as string[];
const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
const result = await autocannon({
  url, method: 'POST', headers, connections: Number(connections ?? 10), duration: Number(seconds ?? 10),
  requests: bodies.map((body) => ({ method: 'POST', path: new URL(url).pathname, headers, body })),
});
console.log(JSON.stringify({ requestsPerSecond: result.requests.average, total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx }));
