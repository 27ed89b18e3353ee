/** Who may do what: portals read policy content, evaluators decide requests, auditors audit, clinical reviewers review pended requests. */
export const ROLES = ['reader', 'evaluator', 'auditor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
