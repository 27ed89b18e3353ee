import type { IncomingMessage, ServerResponse } from 'node:http';

/** Plain node:http plumbing the server answers with: a bounded body read and one-call responses. */

export class BodyTooLarge extends Error {}

/** The request body, refused past `limit` bytes (read with events: an async iterator costs more per request). */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLarge(`request body over ${limit} bytes`));
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  // Answered already (the time limit ran out first): the late answer has no one to go to.
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', ...headers });
  response.end(body);
}

export function wantsHtml(request: IncomingMessage): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !new URL(request.url ?? '/', 'http://x').searchParams.has('query');
}

