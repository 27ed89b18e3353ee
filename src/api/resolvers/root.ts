import { DomainError, badInput, refuseControlCharacters } from '../../domain/errors.ts';
import { allCriteria } from '../../domain/criteria.ts';
import { startOfDay } from '../../domain/calendar.ts';
import { compareGuidelineVersions } from '../../services/version-comparison.ts';
import { analyzeImpact } from '../../services/analyze-impact.ts';
import { evaluateRequest, toDetermination } from '../../services/evaluate-request.ts';
import { searchGuidelines } from '../../services/search-guidelines.ts';
import { resolveGuideline } from '../../services/guideline-lookup.ts';
import { findDetermination } from '../../store/determination-store.ts';
import { findGuidelinesByNumbers, lineOfBusinessCodes, pageOfMatchingGuidelines } from '../../store/guideline-reader.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import { fromGlobalId } from '../global-id.ts';
import type { ApiContext } from '../context.ts';
import { allows, requiredRoles } from '../authorization.ts';

/** Date arguments are validated by the Date scalar before resolvers run. */
const dateOf = (value: string): Date => startOfDay(value) as Date;

function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!decoded.startsWith('guideline:')) throw badInput('after is not a cursor from this API', [{ field: 'after', message: 'malformed cursor' }]);
  return decoded.slice('guideline:'.length);
}

const encodeCursor = (number: string): string => Buffer.from(`guideline:${number}`).toString('base64url');

/** Search hits are ranked, not keyed: a cursor is the number of hits already read. */
const encodeSearchCursor = (read: number): string => Buffer.from(`search:${read}`).toString('base64url');
function decodeSearchCursor(cursor: string): number {
  const match = /^search:(\d{1,6})$/.exec(/^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '');
  if (!match) throw badInput('after is not a cursor from search', [{ field: 'after', message: 'malformed cursor' }]);
  return Number(match[1]);
}

async function versionById(context: ApiContext, id: string, field: string) {
  const { parts } = fromGlobalId(id, 'GuidelineVersion');
  const version = await context.loaders.version.load(parts[0] as string);
  if (!version) throw new DomainError('NOT_FOUND', `no guideline version ${id}`, [{ field, message: 'unknown version' }]);
  return version;
}

export const queryResolvers: QueryResolvers = {
  node: async (_root, { id }, context, info) => {
    const { type, parts } = fromGlobalId(id);
    switch (type) {
      case 'Guideline': {
        const guideline = await context.loaders.guideline.load(parts[0] as string);
        return guideline ? { ...guideline, __typename: 'Guideline' as const } : null;
      }
      case 'GuidelineVersion': {
        const version = await context.loaders.version.load(parts[0] as string);
        return version ? { ...version, __typename: 'GuidelineVersion' as const } : null;
      }
      case 'Criterion': {
        const version = await context.loaders.version.load(parts[0] as string);
        const criterion = version ? allCriteria(version.document).find((candidate) => candidate.key === parts[1]) : undefined;
        return version && criterion ? { criterion, version, __typename: 'Criterion' as const } : null;
      }
      case 'Determination': {
        // Checked before loading: a reader must not even learn whether a determination exists.
        if (!allows(requiredRoles(info.schema, 'Determination', 'id'), context.caller.role)) {
          throw new DomainError('FORBIDDEN', 'determinations need an evaluator, auditor or reviewer key');
        }
        const row = await findDetermination(context.database.client, parts[0] as string);
        return row ? { ...toDetermination(row), __typename: 'Determination' as const } : null;
      }
      // Reviews are read through their determination; their IDs are not refetchable nodes.
      case 'Review':
        return null;
      default: {
        const exhaustive: never = type;
        return exhaustive;
      }
    }
  },
  guidelineByDrug: async (_root, { name }, context) => {
    // Exact (case-insensitive) brand or generic name, as a request names a drug: several guidelines for one name is an error, never a pick.
    try {
      const found = await context.catalog.lookup(`guideline-by-drug:${name.trim().toLowerCase()}`, () => resolveGuideline(context.database.client, context.database.provider, { drug: name }));
      return { id: found.id, number: found.number };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  },
  guideline: async (_root, { number }, context) => {
    if (number.length > 100) throw badInput('number is at most 100 characters', [{ field: 'number', message: 'too long' }]);
    refuseControlCharacters({ number });
    const trimmed = number.trim();
    const [guideline] = await context.catalog.lookup(`guideline-number:${trimmed}`, () => findGuidelinesByNumbers(context.database.client, [trimmed]));
    return guideline ?? null;
  },
  guidelines: async (_root, args, context) => {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1 to 100', [{ field: 'first', message: 'out of range' }]);
    for (const [field, value] of [['drug', args.drug], ['hcpcsCode', args.hcpcsCode], ['lineOfBusiness', args.lineOfBusiness]] as const) {
      if (value && value.length > 100) throw badInput(`${field} is at most 100 characters`, [{ field, message: 'too long' }]);
    }
    refuseControlCharacters({ drug: args.drug, hcpcsCode: args.hcpcsCode, lineOfBusiness: args.lineOfBusiness });
    // As strict as evaluateRequest: a line of business no stored version lists is a typo, not an empty page.
    if (args.lineOfBusiness) {
      const code = args.lineOfBusiness.trim().toUpperCase();
      const known = await context.catalog.lookup('line-of-business-codes', () => lineOfBusinessCodes(context.database.client));
      if (!known.includes(code)) throw badInput(`lineOfBusiness ${code} is not listed by any guideline (they list ${known.join(', ')})`, [{ field: 'lineOfBusiness', message: 'not listed by any guideline' }]);
    }
    const after = args.after ? decodeCursor(args.after) : null;
    const filter = { drugPrefix: args.drug, hcpcsCode: args.hcpcsCode, lineOfBusiness: args.lineOfBusiness, effectiveOn: args.effectiveOn ? dateOf(args.effectiveOn) : null };
    // Which guidelines match changes only with the catalog: remembered until its next change.
    const { rows, totalCount } = await context.catalog.lookup(`guideline-page:${JSON.stringify([filter, after, first])}`, () =>
      pageOfMatchingGuidelines(context.database.client, context.database.provider, filter, after, first + 1));
    const page = rows.slice(0, first);
    return {
      edges: page.map((node) => ({ node, cursor: encodeCursor(node.number) })),
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: after !== null,
        startCursor: page[0] ? encodeCursor(page[0].number) : null,
        endCursor: page.at(-1) ? encodeCursor((page.at(-1) as { number: string }).number) : null,
      },
      totalCount,
    };
  },
  search: async (_root, { text, asOf, allVersions, first, after }, context) => {
    refuseControlCharacters({ text });
    if (allVersions && asOf) throw badInput('give asOf or allVersions, not both', [{ field: 'allVersions', message: 'conflicts with asOf' }]);
    const take = first ?? 20;
    const offset = after ? decodeSearchCursor(after) : 0;
    // Today's versions unless asked otherwise: a superseded version's copy of a criterion is not a hit a portal wants.
    const versionsOn = allVersions ? null : asOf ? dateOf(asOf) : dateOf(context.now.toISOString().slice(0, 10));
    const { rows, totalCount } = await searchGuidelines(context.database, text, versionsOn, take, offset);
    return {
      edges: rows.map((node, index) => ({ node, cursor: encodeSearchCursor(offset + index + 1) })),
      pageInfo: {
        hasNextPage: offset + rows.length < totalCount, hasPreviousPage: offset > 0,
        startCursor: rows.length > 0 ? encodeSearchCursor(offset + 1) : null, endCursor: rows.length > 0 ? encodeSearchCursor(offset + rows.length) : null,
      },
      totalCount,
    };
  },
  compareVersions: async (_root, { from, to }, context) => {
    const [before, after] = await Promise.all([versionById(context, from, 'from'), versionById(context, to, 'to')]);
    return compareGuidelineVersions(before, after);
  },
  determination: async (_root, { id }, context) => {
    const { parts } = fromGlobalId(id, 'Determination');
    const row = await findDetermination(context.database.client, parts[0] as string);
    return row ? toDetermination(row) : null;
  },
};

export const mutationResolvers: MutationResolvers = {
  evaluateRequest: async (_root, { input }, context) => {
    const versionId = input.versionId ? (fromGlobalId(input.versionId, 'GuidelineVersion').parts[0] as string) : null;
    const determination = await evaluateRequest(context.database, context.catalog, {
      guidelineNumber: input.guidelineNumber, hcpcsCode: input.hcpcsCode, drug: input.drug,
      dateOfService: input.dateOfService, lineOfBusiness: input.lineOfBusiness,
      facts: input.facts, evidence: input.evidence ?? null, idempotencyKey: input.idempotencyKey, versionId, expedited: input.expedited ?? false,
      caller: { keyId: context.caller.keyId ?? null, role: context.caller.role },
    }, { sealKey: context.auditKey });
    context.metrics.determined(determination.outcome);
    return determination;
  },
  evaluateDraft: (_root, { input }, context) => context.drafts.evaluate({ ...input, facts: input.facts.map((fact) => ({ key: fact.key, value: fact.value })), evidence: input.evidence ?? null }),
  analyzeImpact: async (_root, { versionId, limit }, context) => {
    const id = fromGlobalId(versionId, 'GuidelineVersion').parts[0] as string;
    const result = await analyzeImpact(context.database.client, context.catalog, id, limit ?? 100);
    return { ...result, items: result.items };
  },
};
