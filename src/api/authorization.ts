import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { defaultFieldResolver, GraphQLError } from 'graphql';
import type { Role } from '../domain/roles.ts';

/** Who is calling: the role of the API key sent, or of anonymous access where it is allowed. */
export interface Caller {
  readonly role: Role | null;
  readonly authenticated: boolean;
  /** The API key's id (never its secret), when the caller sent one. */
  readonly keyId?: string | null;
}

/** Roles a field demands: its own @requires, else its type's; null when the field is open. */
export function requiredRoles(schema: GraphQLSchema, typeName: string, fieldName: string): Role[] | null {
  const type = schema.getType(typeName);
  if (!type || !('getFields' in type)) return null;
  const field = (type.getFields() as Record<string, Parameters<typeof getDirective>[1]>)[fieldName];
  const own = field ? getDirective(schema, field, 'requires')?.[0] : undefined;
  const inherited = getDirective(schema, type, 'requires')?.[0];
  const roles = (own ?? inherited)?.['roles'] as string[] | undefined;
  return roles ? roles.map((role) => role.toLowerCase() as Role) : null;
}

export function allows(required: readonly Role[] | null, role: Role | null): boolean {
  return required === null || role === 'admin' || (role !== null && required.includes(role));
}

/**
 * Enforces @requires in the schema itself: every field that carries it (or whose type carries it)
 * is wrapped once, at start-up, with the role check. Resolvers never check roles themselves.
 */
export function enforceRoles(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const required = requiredRoles(schema, typeName, fieldName);
      if (!required) return fieldConfig;
      const resolve: GraphQLFieldResolver<unknown, { caller: Caller }> = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve: (source, args, context, info) => {
          const { caller } = context;
          if (!allows(required, caller.role)) {
            if (!caller.authenticated) throw new GraphQLError(`${typeName}.${fieldName} needs an API key with role ${required.join(' or ')}`, { extensions: { code: 'UNAUTHENTICATED' } });
            throw new GraphQLError(`role ${caller.role ?? 'none'} may not read ${typeName}.${fieldName}`, { extensions: { code: 'FORBIDDEN' } });
          }
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
