import { DomainError } from '../domain/errors.ts';

export type NodeType = 'Guideline' | 'GuidelineVersion' | 'Criterion' | 'Determination' | 'Review';
const TYPES: readonly NodeType[] = ['Guideline', 'GuidelineVersion', 'Criterion', 'Determination', 'Review'];

/** Opaque IDs: base64url of "Type:part:part". Clients must not parse them. */
export function toGlobalId(type: NodeType, ...parts: string[]): string {
  return Buffer.from([type, ...parts].join(':'), 'utf8').toString('base64url');
}

export function fromGlobalId(id: string, expected?: NodeType): { type: NodeType; parts: string[] } {
  const invalid = (): DomainError => new DomainError('BAD_USER_INPUT', `"${id.slice(0, 80)}" is not an ID issued by this API${expected ? ` for a ${expected}` : ''}`, [{ field: 'id', message: 'malformed ID' }]);
  if (id.length === 0 || id.length > 300 || !/^[A-Za-z0-9_-]+$/.test(id)) throw invalid();
  const [type, ...parts] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (!TYPES.includes(type as NodeType) || parts.length === 0 || parts.some((part) => part === '')) throw invalid();
  if (expected && type !== expected) throw invalid();
  return { type: type as NodeType, parts };
}
