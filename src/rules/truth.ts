/** Three-valued (Kleene) logic. Unknown never silently passes or fails. */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export function and(values: readonly Truth[]): Truth {
  let unknown = false;
  for (const value of values) {
    if (value === FALSE) return FALSE;
    if (value === UNKNOWN) unknown = true;
  }
  return unknown ? UNKNOWN : TRUE;
}

export function or(values: readonly Truth[]): Truth {
  let unknown = false;
  for (const value of values) {
    if (value === TRUE) return TRUE;
    if (value === UNKNOWN) unknown = true;
  }
  return unknown ? UNKNOWN : FALSE;
}

export function not(value: Truth): Truth {
  return value === UNKNOWN ? UNKNOWN : value === TRUE ? FALSE : TRUE;
}

export function atLeast(n: number, values: readonly Truth[]): Truth {
  let yes = 0;
  let maybe = 0;
  for (const value of values) {
    if (value === TRUE) yes += 1;
    else if (value === UNKNOWN) maybe += 1;
  }
  if (yes >= n) return TRUE;
  return yes + maybe >= n ? UNKNOWN : FALSE;
}

export type CriterionResult = 'MET' | 'NOT_MET' | 'UNKNOWN' | 'NOT_EVALUATED';

export function resultOf(value: Truth): CriterionResult {
  return value === TRUE ? 'MET' : value === FALSE ? 'NOT_MET' : 'UNKNOWN';
}
