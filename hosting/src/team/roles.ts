/** What each role may do in a workspace (teams contract, "Roles"); the API enforces the same. */
import { recruiterI18n } from '../i18n/recruiter';
import type { InvitableRole, Role } from '../types';

const RANK: Record<Role, number> = { viewer: 0, recruiter: 1, admin: 2, owner: 3 };
const ROLES = Object.keys(RANK) as Role[];

/** The roles' names and what each may do, from the recruiter catalogue (`roles`, `roleDescriptions`). */
export const ROLE_LABELS = Object.fromEntries(ROLES.map((r) => [r, recruiterI18n.t(`roles.${r}`)])) as Record<Role, string>;

export const ROLE_DESCRIPTIONS = Object.fromEntries(
  ROLES.map((r) => [r, recruiterI18n.t(`roleDescriptions.${r}`)]),
) as Record<Role, string>;

export function roleLabel(role: string | undefined): string {
  return ROLE_LABELS[role as Role] ?? (role ? role : recruiterI18n.t('roles.member'));
}

export function atLeast(role: Role | undefined, minimum: Role): boolean {
  return role !== undefined && role in RANK && RANK[role] >= RANK[minimum];
}

/** Create, cancel, re-evaluate and delete interviews. */
export const canManageInterviews = (role: Role | undefined) => atLeast(role, 'recruiter');
/** The Members and Settings pages. */
export const canAdminister = (role: Role | undefined) => atLeast(role, 'admin');
/** The link to an interview's trace: an operator's view of the whole pipeline (docs/observability.md). */
export const canSeeTraces = (role: Role | undefined) => atLeast(role, 'admin');

/** The roles an invitation may carry (never owner). */
export const INVITABLE_ROLES: InvitableRole[] = ['viewer', 'recruiter', 'admin'];

/** The roles `actor` may give a member: only an owner makes (or unmakes) owners. */
export function assignableRoles(actor: Role): Role[] {
  return actor === 'owner' ? ['owner', 'admin', 'recruiter', 'viewer'] : atLeast(actor, 'admin') ? ['admin', 'recruiter', 'viewer'] : [];
}

/** Whether `actor` may change the role of, or remove, a member whose role is `target`. */
export function canEditMember(actor: Role, target: Role): boolean {
  if (!canAdminister(actor)) return false;
  return target !== 'owner' || actor === 'owner';
}
