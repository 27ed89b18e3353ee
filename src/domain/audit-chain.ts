import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The previous hash of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal content always hashes equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** A record's link in the chain: the hash of its content together with the previous record's hash. */
export function chainHash(content: unknown, previousHash: string): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** A signed anchor of the chain: its head's sequence and hash at an instant. */
export interface AuditCheckpoint {
  readonly sequence: number;
  readonly hash: string;
  /** ISO instant. */
  readonly signedAt: string;
  /** HMAC-SHA256 of "sequence\nhash\nsignedAt" under the audit key, hex. */
  readonly mac: string;
}

function checkpointMac(key: Uint8Array, sequence: number, hash: string, signedAt: string): string {
  return createHmac('sha256', key).update(`${sequence}\n${hash}\n${signedAt}`).digest('hex');
}

export function signCheckpoint(key: Uint8Array, sequence: number, hash: string, signedAt: Date): AuditCheckpoint {
  const at = signedAt.toISOString();
  return { sequence, hash, signedAt: at, mac: checkpointMac(key, sequence, hash, at) };
}

/** Whether the checkpoint was signed with this key (compared in constant time). */
export function checkpointSigned(key: Uint8Array, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(checkpointMac(key, checkpoint.sequence, checkpoint.hash, checkpoint.signedAt), 'hex');
  const actual = Buffer.from(/^[0-9a-f]{64}$/.test(checkpoint.mac) ? checkpoint.mac : '', 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A record's own seal: HMAC-SHA256 of "record\n<hash>" under the audit key, hex. A server holding
 * the key seals each record as it appends it; someone who can write to the database but cannot
 * read the key cannot seal the records they add.
 */
export function recordSeal(key: Uint8Array, hash: string): string {
  return createHmac('sha256', key).update(`record\n${hash}`).digest('hex');
}

/** Whether a record's seal was made with this key over this hash (compared in constant time). */
export function recordSealed(key: Uint8Array, hash: string, seal: string | null): boolean {
  const expected = Buffer.from(recordSeal(key, hash), 'hex');
  const actual = Buffer.from(seal !== null && /^[0-9a-f]{64}$/.test(seal) ? seal : '', 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
