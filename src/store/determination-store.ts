import type { Client } from './database.ts';

export interface DeterminationRow {
  readonly id: string;
  readonly idempotencyKey: string | null;
  readonly requestSha256: string;
  readonly guidelineNumber: string;
  readonly versionId: string | null;
  readonly ruleSetSha256: string | null;
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly outcome: string;
  readonly whatIf: boolean;
  readonly factsUsed: unknown;
  readonly evidence: unknown;
  readonly result: unknown;
  readonly createdAt: Date;
}

/** Append-only: there is no update or delete here, and the database refuses both. */
export async function insertDetermination(client: Client, row: Omit<DeterminationRow, 'createdAt'>): Promise<DeterminationRow> {
  return (await client.determination.create({ data: row as never })) as DeterminationRow;
}

export async function findDetermination(client: Client, id: string): Promise<DeterminationRow | null> {
  return (await client.determination.findUnique({ where: { id } })) as DeterminationRow | null;
}

export async function findDeterminationByIdempotencyKey(client: Client, key: string): Promise<DeterminationRow | null> {
  return (await client.determination.findUnique({ where: { idempotencyKey: key } })) as DeterminationRow | null;
}

export async function recentDeterminations(client: Client, guidelineNumber: string, limit: number): Promise<DeterminationRow[]> {
  return (await client.determination.findMany({
    where: { guidelineNumber, whatIf: false, versionId: { not: null } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
  })) as DeterminationRow[];
}
