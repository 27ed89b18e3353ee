/**
 * What may be logged of an unexpected error. Database client errors can quote the query arguments
 * (clinical facts of a request), so their message is dropped; the name, code and stack frames
 * (code locations, no data) are enough to find the fault.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const fromDatabaseClient = error.name.startsWith('PrismaClient') || 'clientVersion' in error;
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(fromDatabaseClient ? {} : { message: error.message.slice(0, 300) }),
    stack: error.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8).join('\n'),
  };
}
