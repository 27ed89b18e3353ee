import type { Client } from './database.ts';

export interface ApiKeyRow {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly prefix: string;
  readonly hash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export async function insertApiKey(client: Client, row: Omit<ApiKeyRow, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRow> {
  return client.apiKey.create({ data: row });
}

export async function findApiKeyByPrefix(client: Client, prefix: string): Promise<ApiKeyRow | null> {
  return client.apiKey.findUnique({ where: { prefix } });
}

/** Revocation is the one change an API key record ever gets. */
export async function revokeApiKey(client: Client, id: string, at: Date): Promise<boolean> {
  const { count } = await client.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  return count === 1;
}

export async function listApiKeys(client: Client): Promise<ApiKeyRow[]> {
  return client.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
}
