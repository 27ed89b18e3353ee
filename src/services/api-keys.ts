import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { badInput } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import { isRole, ROLES } from '../domain/roles.ts';
import type { Client } from '../store/database.ts';
import { findApiKeyByPrefix, insertApiKey } from '../store/api-key-store.ts';

const derive = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const TOKEN = /^gpa_([0-9a-f]{16})\.([A-Za-z0-9_-]{32})$/;

async function hashToken(token: string, salt: Buffer): Promise<string> {
  const hash = await derive(token, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Creates a key and returns it once: only its prefix and a salted scrypt hash are stored. */
export async function createApiKey(client: Client, input: { name: string; role: string; expiresAt: Date | null }): Promise<{ id: string; token: string }> {
  if (!isRole(input.role)) throw badInput(`role must be one of ${ROLES.join(', ')}`, [{ field: 'role', message: 'unknown role' }]);
  if (input.name.trim() === '' || input.name.length > 100) throw badInput('name must be 1 to 100 characters', [{ field: 'name', message: 'bad length' }]);
  const prefix = randomBytes(8).toString('hex');
  const token = `gpa_${prefix}.${randomBytes(24).toString('base64url')}`;
  const row = await insertApiKey(client, { id: randomUUID(), name: input.name.trim(), role: input.role, prefix, hash: await hashToken(token, randomBytes(16)), expiresAt: input.expiresAt });
  return { id: row.id, token };
}

/**
 * Checks bearer tokens. scrypt is deliberately slow, so a verified token is remembered for a short
 * while (by its SHA-256, never in clear); a revocation takes effect within that time.
 */
/** A key check's answer: the key, not a key (null), or not checked now (retry after so many seconds). */
export type KeyCheck = { readonly role: Role; readonly keyId: string } | { readonly retryAfterSeconds: number } | null;

export class ApiKeyVerifier {
  readonly #cache = new Map<string, { role: Role; keyId: string; until: number }>();
  /** Checks under way, by token digest: concurrent requests with one token share one scrypt. */
  readonly #inFlight = new Map<string, Promise<KeyCheck>>();

  constructor(
    private readonly client: Client,
    private readonly cacheMilliseconds = 30_000,
  ) {}

  /** The role of a valid, unexpired, unrevoked key; null otherwise. */
  async roleOf(token: string, now: Date): Promise<Role | null> {
    const key = await this.keyOf(token, now);
    return key && 'role' in key ? key.role : null;
  }

  /**
   * The id and role of a valid, unexpired, unrevoked key (the id names the caller in the audit
   * trail); null otherwise. A check not answered from memory runs a scrypt: `admit` is asked first
   * (a rate limit), once per check however many requests with the same token wait for it, and its
   * refusal is the answer to all of them.
   */
  async keyOf(token: string, now: Date, admit: () => Promise<number | null> = async () => null): Promise<KeyCheck> {
    const digest = createHash('sha256').update(token).digest('hex');
    const cached = this.#cache.get(digest);
    if (cached && cached.until > now.getTime()) return { role: cached.role, keyId: cached.keyId };
    const running = this.#inFlight.get(digest);
    if (running) return running;
    const check = this.#check(token, digest, now, admit);
    this.#inFlight.set(digest, check);
    try {
      return await check;
    } finally {
      this.#inFlight.delete(digest);
    }
  }

  async #check(token: string, digest: string, now: Date, admit: () => Promise<number | null>): Promise<KeyCheck> {
    this.#cache.delete(digest);
    const match = TOKEN.exec(token);
    if (!match) return null;
    const wait = await admit();
    if (wait !== null) return { retryAfterSeconds: wait };
    const row = await findApiKeyByPrefix(this.client, match[1] as string);
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !isRole(row.role)) return null;
    const [, , , , salt = ''] = row.hash.split('$');
    const expected = Buffer.from(row.hash);
    const actual = Buffer.from(await hashToken(token, Buffer.from(salt, 'base64url')));
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const until = Math.min(now.getTime() + this.cacheMilliseconds, row.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.#cache.set(digest, { role: row.role, keyId: row.id, until });
    return { role: row.role, keyId: row.id };
  }
}
