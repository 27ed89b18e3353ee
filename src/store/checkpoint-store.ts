import { randomUUID } from 'node:crypto';
import type { AuditCheckpoint } from '../domain/audit-chain.ts';
import type { Client } from './database.ts';

/** The newest link of the chain: its sequence and hash; null while the chain is empty. */
export async function chainHead(client: Client): Promise<{ sequence: number; hash: string } | null> {
  const row = await client.determination.findFirst({ where: { sequence: { not: null } }, orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
  return row && row.sequence !== null && row.hash !== null ? { sequence: row.sequence, hash: row.hash } : null;
}

/** The hash of the record at `sequence`, or null when there is none. */
export async function hashAt(client: Client, sequence: number): Promise<string | null> {
  return (await client.determination.findUnique({ where: { sequence }, select: { hash: true } }))?.hash ?? null;
}

export async function insertCheckpoint(client: Client, checkpoint: AuditCheckpoint): Promise<void> {
  await client.auditCheckpoint.create({ data: { id: randomUUID(), ...checkpoint } });
}

/** The newest stored checkpoint (highest sequence), or null. */
export async function latestCheckpoint(client: Client): Promise<AuditCheckpoint | null> {
  return client.auditCheckpoint.findFirst({ orderBy: [{ sequence: 'desc' }, { signedAt: 'desc' }], select: { sequence: true, hash: true, signedAt: true, mac: true } });
}

/** Every stored checkpoint, oldest first. */
export async function storedCheckpoints(client: Client): Promise<AuditCheckpoint[]> {
  return client.auditCheckpoint.findMany({ orderBy: [{ sequence: 'asc' }, { signedAt: 'asc' }], select: { sequence: true, hash: true, signedAt: true, mac: true } });
}
