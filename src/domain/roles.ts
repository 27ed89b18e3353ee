/** Who may do what: portals read policy content, evaluators decide requests, auditors review. */
export const ROLES = ['reader', 'evaluator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
