import { readFileSync } from 'node:fs';
import type { AuditCheckpoint } from '../domain/audit-chain.ts';
import { checkpointSigned, recordSealed, signCheckpoint } from '../domain/audit-chain.ts';
import type { Client } from '../store/database.ts';
import { chainHead, hashAt, insertCheckpoint, latestCheckpoint, storedCheckpoints } from '../store/checkpoint-store.ts';
import type { ChainReport } from './verify-audit-chain.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { determinationsInChainOrder } from '../store/determination-store.ts';

export class AuditKeyError extends Error {
  readonly code = 'AUDIT_KEY';
}

/**
 * The key checkpoints are signed with: AUDIT_HMAC_KEY, or the contents of the file AUDIT_HMAC_KEY_FILE
 * (readable by the service, not by the database role). At least 32 characters; null when neither is set.
 */
export function auditKeyFromEnvironment(env: NodeJS.ProcessEnv): Uint8Array | null {
  const file = env['AUDIT_HMAC_KEY_FILE'];
  const text = file ? readFileSync(file, 'utf8').trim() : env['AUDIT_HMAC_KEY'];
  if (text === undefined || text === '') return null;
  if (text.length < 32) throw new AuditKeyError('the audit HMAC key must be at least 32 characters');
  return new TextEncoder().encode(text);
}

/** A checkpoint refused: signing would vouch for a record nobody holding the key appended. */
export class UnsealedRecordError extends Error {
  readonly code = 'AUDIT_UNSEALED';
}

/** The seals of the records after `afterSequence`: how many verify under the key, and the ones that do not, in chain order. */
async function sealsAfter(client: Client, key: Uint8Array, afterSequence: number): Promise<{ sealed: number; unsealed: { sequence: number; id: string; afterSealed: boolean }[] }> {
  let sealed = 0;
  const unsealed: { sequence: number; id: string; afterSealed: boolean }[] = [];
  for (let sequence = afterSequence; ;) {
    const page = await determinationsInChainOrder(client, sequence, 500);
    for (const row of page) {
      if (row.hash !== null && recordSealed(key, row.hash, row.seal)) sealed += 1;
      else unsealed.push({ sequence: row.sequence ?? 0, id: row.id, afterSealed: sealed > 0 });
    }
    if (page.length < 500) break;
    sequence = page.at(-1)?.sequence ?? sequence;
  }
  return { sealed, unsealed };
}

/**
 * Signs the chain's head and stores the checkpoint (unless the head is already anchored); null
 * while the chain is empty. Refused (UnsealedRecordError) when a record after the last signed
 * checkpoint follows a sealed one without a seal of its own: signing would anchor a forgery. Unsealed
 * records before the first sealed one are from before this server sealed (an upgrade, or a server
 * run without the key) and are anchored, as checkpoints did before seals existed.
 */
export async function writeCheckpoint(client: Client, key: Uint8Array, now: Date): Promise<AuditCheckpoint | null> {
  const head = await chainHead(client);
  if (!head) return null;
  const latest = await latestCheckpoint(client);
  if (latest && latest.sequence === head.sequence && latest.hash === head.hash && checkpointSigned(key, latest)) return latest;
  const anchored = latest && checkpointSigned(key, latest) ? latest.sequence : 0;
  const forged = (await sealsAfter(client, key, anchored)).unsealed.find((record) => record.afterSealed);
  if (forged) throw new UnsealedRecordError(`record ${forged.sequence} (determination ${forged.id}) follows sealed records without a seal made with the key: not signed; run audit:verify`);
  const checkpoint = signCheckpoint(key, head.sequence, head.hash, now);
  await insertCheckpoint(client, checkpoint);
  return checkpoint;
}

export type CheckpointProblem =
  /** The MAC does not verify under the key: the checkpoint was not written by a holder of the key. */
  | 'FORGED_CHECKPOINT'
  /** The chain ends before the checkpoint's record: records were removed. */
  | 'TRUNCATED'
  /** The record at the checkpoint's sequence has another hash: the chain was rewritten up to there. */
  | 'REWRITTEN';

export interface CheckpointReport {
  readonly chain: ChainReport;
  readonly problems: readonly { readonly checkpoint: AuditCheckpoint; readonly external: boolean; readonly problem: CheckpointProblem }[];
  /** The highest sequence a sound checkpoint anchors (0 for none). */
  readonly anchoredThrough: number;
  /** Records after it that carry a seal made with the key: each was appended by a holder of the key. */
  readonly sealed: number;
  /**
   * Records after it without a seal that verifies (null when no key is given to check seals): with
   * a key, appended by someone who does not hold it (a forgery, or a server run without the key).
   */
  readonly unsealed: { readonly count: number; readonly first: { readonly sequence: number; readonly id: string } | null } | null;
  /** Records after it neither anchored nor sealed (a forger could have appended them). */
  readonly unanchored: number;
}

/**
 * Verifies the chain, then every stored checkpoint and the one given (kept outside the database):
 * each must be signed under the key (when given) and its record must still be there with the same
 * hash. Truncation, rewriting and forgery before a sound checkpoint are detected. After the last
 * one, each record must carry its own seal (with a key): a record appended without the key is
 * reported, as soon as it is there; without a key, what follows is only "not yet anchored".
 */
export async function verifyWithCheckpoints(client: Client, key: Uint8Array | null, external: AuditCheckpoint | null): Promise<CheckpointReport> {
  const chain = await verifyAuditChain(client);
  const head = await chainHead(client);
  const problems: CheckpointReport['problems'][number][] = [];
  let anchoredThrough = 0;
  const candidates = [...(await storedCheckpoints(client)).map((checkpoint) => ({ checkpoint, external: false })), ...(external ? [{ checkpoint: external, external: true }] : [])];
  for (const { checkpoint, external: outside } of candidates) {
    if (key && !checkpointSigned(key, checkpoint)) {
      problems.push({ checkpoint, external: outside, problem: 'FORGED_CHECKPOINT' });
      continue;
    }
    // Stored checkpoints without a key to check them anchor nothing; an external one is trusted as kept.
    if (!key && !outside) continue;
    const hash = await hashAt(client, checkpoint.sequence);
    if (hash === null || (head?.sequence ?? 0) < checkpoint.sequence) problems.push({ checkpoint, external: outside, problem: 'TRUNCATED' });
    else if (hash !== checkpoint.hash) problems.push({ checkpoint, external: outside, problem: 'REWRITTEN' });
    else anchoredThrough = Math.max(anchoredThrough, checkpoint.sequence);
  }
  const after = Math.max(0, (head?.sequence ?? 0) - anchoredThrough);
  if (!key) return { chain, problems, anchoredThrough, sealed: 0, unsealed: null, unanchored: after };
  // After the last anchor, each record must carry its own seal.
  const seals = await sealsAfter(client, key, anchoredThrough);
  const sealed = seals.sealed;
  const count = seals.unsealed.length;
  const first = seals.unsealed[0] ? { sequence: seals.unsealed[0].sequence, id: seals.unsealed[0].id } : null;
  return { chain, problems, anchoredThrough, sealed, unsealed: { count, first }, unanchored: count };
}

/** Reads a checkpoint given as JSON (the line `npm run audit:checkpoint` prints). */
export function parseCheckpoint(text: string): AuditCheckpoint {
  const value = JSON.parse(text) as Partial<AuditCheckpoint>;
  if (typeof value.sequence !== 'number' || typeof value.hash !== 'string' || typeof value.signedAt !== 'string' || typeof value.mac !== 'string') {
    throw new AuditKeyError('a checkpoint is {"sequence", "hash", "signedAt", "mac"} as audit:checkpoint prints it');
  }
  return { sequence: value.sequence, hash: value.hash, signedAt: value.signedAt, mac: value.mac };
}
