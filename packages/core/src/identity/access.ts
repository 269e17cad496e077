import type { RoleName } from '@verity/contracts';
import type { Actor } from '../context.js';

/**
 * What each role may do, per site where it is granted. The system administrator manages users
 * but can neither change quality content nor sign (21 CFR 11.10(g), FDA DI Q&A).
 */
const documentReader = ['document:read'];
const documentAuthor = ['document:read', 'document:create', 'document:review'];
const documentApprover = [...documentAuthor, 'document:approve', 'document:obsolete', 'training:read'];
const loopReader = ['capa:read', 'change:read', 'action:read'];
const loopWorker = [...loopReader, 'capa:create', 'capa:update', 'change:create', 'change:update', 'action:complete'];
const loopApprover = [...loopWorker, 'capa:approve', 'capa:verify', 'change:approve'];

export const rolePermissions: Record<RoleName, readonly string[]> = {
  operator: ['deviation:read', 'deviation:create', 'record:comment', 'record:attach', ...documentReader, 'sign:read_understood', ...loopReader, 'action:complete', 'sign:responsibility'],
  investigator: [
    'deviation:read', 'deviation:create', 'deviation:update', 'deviation:investigate', 'record:comment', 'record:attach', 'record:link', 'sign:authorship', 'sign:review',
    ...documentAuthor, 'sign:read_understood', ...loopWorker, 'sign:responsibility',
  ],
  qa_reviewer: [
    'deviation:read', 'deviation:create', 'deviation:update', 'deviation:investigate', 'deviation:triage', 'deviation:approve', 'deviation:close', 'deviation:cancel',
    'record:comment', 'record:attach', 'record:link', 'sign:authorship', 'sign:review', 'sign:approval', 'sign:closure', 'audit:read',
    ...documentApprover, 'sign:read_understood', ...loopApprover, 'sign:responsibility', 'sign:verification',
  ],
  qa_manager: [
    'deviation:read', 'deviation:create', 'deviation:update', 'deviation:investigate', 'deviation:triage', 'deviation:approve', 'deviation:close', 'deviation:cancel',
    'record:comment', 'record:attach', 'record:link', 'sign:authorship', 'sign:review', 'sign:approval', 'sign:closure', 'audit:read', 'audit:verify',
    ...documentApprover, 'document:manage', 'training:manage', 'training:deliver', 'sign:read_understood', 'sign:training_delivered', ...loopApprover, 'sign:responsibility',
    'sign:verification',
  ],
  document_controller: [
    'record:comment', 'record:attach', 'record:link', 'sign:authorship', 'sign:review', ...documentAuthor, 'document:manage', 'training:read', 'training:manage', 'audit:read',
    'sign:read_understood', ...loopReader, 'change:create', 'change:update', 'change:approve', 'action:complete', 'sign:responsibility', 'sign:approval',
  ],
  trainer: [
    'record:comment', ...documentReader, 'document:review', 'sign:review', 'training:read', 'training:deliver', 'sign:read_understood', 'sign:training_delivered', ...loopReader,
    'change:approve', 'action:complete', 'sign:responsibility', 'sign:approval',
  ],
  inspector: ['deviation:read', 'audit:read', 'audit:verify', ...documentReader, 'training:read', ...loopReader],
  sysadmin: ['user:manage', 'audit:read', 'audit:verify'],
};

/** Permissions that need no site (administration of the instance itself). */
const globalPermissions = new Set(['user:manage', 'audit:read', 'audit:verify', 'sign:read_understood', 'training:read', 'training:manage', 'document:manage']);

/** Whether the actor holds a permission at a site (or anywhere, for instance-wide permissions). */
export function can(actor: Actor, permission: string, siteId?: string): boolean {
  if (actor.tokenScopes && !actor.tokenScopes.includes(isRead(permission) ? 'read' : 'write')) return false;
  return actor.roles.some(
    (grant) =>
      (rolePermissions[grant.role as RoleName] ?? []).includes(permission) &&
      (siteId === undefined || globalPermissions.has(permission) || grant.siteId === siteId),
  );
}

function isRead(permission: string): boolean {
  return permission.endsWith(':read') || permission === 'audit:verify';
}

/** Every permission the actor holds somewhere: sent to the UI to show what it may offer. */
export function permissionsOf(actor: Actor): string[] {
  const all = new Set<string>();
  for (const grant of actor.roles) for (const p of rolePermissions[grant.role as RoleName] ?? []) all.add(p);
  return [...all].sort();
}

/** The permission that lets a person read records of a type (a revision is read as part of its document). */
export function readPermissionOf(type: string): string {
  return type === 'document_revision' ? 'document:read' : `${type}:read`;
}

/** The sites where the actor may read records of a type. */
export function readableSites(actor: Actor, type: string): string[] {
  if (actor.tokenScopes && !actor.tokenScopes.includes('read')) return [];
  return [...new Set(actor.roles.filter((g) => (rolePermissions[g.role as RoleName] ?? []).includes(readPermissionOf(type))).map((g) => g.siteId))];
}
