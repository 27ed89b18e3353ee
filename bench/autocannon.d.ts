// autocannon ships no types; only what bench/api.ts uses.
declare module 'autocannon' {
  interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string }
  interface Options { url: string; method?: string; headers?: Record<string, string>; body?: string; connections?: number; duration?: number; requests?: Request[] }
  interface Result { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number }
  export default function autocannon(options: Options): Promise<Result>;
}
