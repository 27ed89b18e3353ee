/**
 * What the HTTP benches share: starting a server in a process of its own, reading its CPU time
 * and memory from /proc, and running the load generator in yet another process.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** User plus system CPU time of a process, in clock ticks. */
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime, stime
}

export function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

/** Starts `node --import tsx <args>` and resolves with the port its output announces. */
export function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, nodeOptions: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = ready.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
  });
}

export const API_READY = /GraphQL endpoint: http:\/\/127\.0\.0\.1:(\d+)\//;

export interface Measured { requestsPerSecond: number; total: number; cpuMicrosPerRequest: number; p50: number; p99: number; failed: number }

/** Runs the load generator in its own process against `url`, cycling `bodies`, and reads the server's CPU meanwhile. */
export async function measure(work: string, pid: number, url: string, bodies: string[], authorization: string, seconds: string, connections: string): Promise<Measured> {
  const file = join(work, `bodies-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(bodies));
  const before = cpuTicks(pid);
  const client = spawn(process.execPath, ['--import', 'tsx', 'bench/support/load-client.ts', url, file, seconds, connections, authorization], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  client.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => client.on('exit', resolve));
  const ticks = cpuTicks(pid) - before;
  const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { requestsPerSecond: number; total: number; p50: number; p99: number; errors: number; non2xx: number };
  return { requestsPerSecond: result.requestsPerSecond, total: result.total, cpuMicrosPerRequest: ((ticks / TICKS_PER_SECOND) * 1e6) / Math.max(1, result.total), p50: result.p50, p99: result.p99, failed: result.errors + result.non2xx };
}

/** The first `count` documents of the synthetic corpus, as bytes ready to ingest. */
export async function syntheticCatalogDocuments(count: number): Promise<{ fileName: string; bytes: Uint8Array }[]> {
  const { syntheticGuideline } = await import('../../src/corpus/synthetic-guideline.ts');
  return Array.from({ length: count }, (_, index) => {
    const { fileName, text } = syntheticGuideline(index);
    return { fileName, bytes: new TextEncoder().encode(text) };
  });
}

/**
 * The benches drive the server with one API key at far more than one client's share (the default
 * per-key limit is 5,000 requests/s): the limit is lifted there, and only there.
 */
export const BENCH_KEY_RATE = '100000000';
