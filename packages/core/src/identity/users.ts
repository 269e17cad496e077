import { randomUUID } from 'node:crypto';
import type { UserSummary } from '@verity/contracts';
import type { Actor, Ctx, RoleGrant } from '../context.js';
import type { Queryable } from '../db/database.js';
import { sqlState } from '../db/database.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { appendAudit } from '../kernel/audit.js';
import { can } from './access.js';
import { checkPasswordPolicy, hashPassword, temporaryPassword } from './passwords.js';

export interface UserRow {
  id: string;
  username: string;
  full_name: string;
  email: string | null;
  password_hash: string | null;
  password_changed_at: Date | null;
  must_change_password: boolean;
  temp_password_expires_at: Date | null;
  failed_attempts: number;
  locked_at: Date | null;
  active: boolean;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
  last_login_at: Date | null;
  created_at: Date;
}

export async function findUserByName(db: Queryable, username: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM app_user WHERE username_key = $1', [username.toLowerCase()]);
  return row;
}

export async function findUser(db: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM app_user WHERE id = $1', [id]);
  return row;
}

export async function rolesOf(db: Queryable, userId: string): Promise<RoleGrant[]> {
  return db.query<RoleGrant>(
    'SELECT r.role, r.site_id AS "siteId", s.code AS "siteCode" FROM user_role r JOIN site s ON s.id = r.site_id WHERE r.user_id = $1 ORDER BY s.code, r.role',
    [userId],
  );
}

/** The actor for a user id, with roles, as commands need it. */
export async function loadActor(db: Queryable, userId: string): Promise<Actor> {
  const user = await findUser(db, userId);
  if (!user) throw notFound('user');
  return { id: user.id, username: user.username, fullName: user.full_name, roles: await rolesOf(db, user.id) };
}

/** Users as the administration API shows them, with roles and signature status, in one query. */
async function summaries(db: Queryable, userId?: string): Promise<UserSummary[]> {
  const rows = await db.query<UserRow & { identity_verified: boolean; grants: { role: UserSummary['roles'][number]['role']; siteCode: string }[] }>(
    `SELECT u.*,
            EXISTS (SELECT 1 FROM identity_verification v WHERE v.user_id = u.id) AS identity_verified,
            COALESCE((SELECT json_agg(json_build_object('role', r.role, 'siteCode', s.code) ORDER BY s.code, r.role)
                        FROM user_role r JOIN site s ON s.id = r.site_id WHERE r.user_id = u.id), '[]'::json) AS grants
       FROM app_user u WHERE ($1::uuid IS NULL OR u.id = $1) ORDER BY u.username_key`,
    [userId ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    email: row.email,
    active: row.active,
    locked: row.locked_at !== null,
    identityVerified: row.identity_verified,
    roles: row.grants,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  }));
}

async function toSummary(db: Queryable, row: Pick<UserRow, 'id'>): Promise<UserSummary> {
  const [summary] = await summaries(db, row.id);
  return summary;
}

export async function listUsers(ctx: Ctx): Promise<UserSummary[]> {
  requireUserManager(ctx.actor);
  return summaries(ctx.tx);
}

function requireUserManager(actor: Actor): void {
  if (!can(actor, 'user:manage')) throw forbidden('Only a system administrator manages users');
}

async function resolveGrants(db: Queryable, grants: { role: string; siteCode: string }[]): Promise<{ role: string; siteId: string }[]> {
  const resolved = [];
  for (const [index, grant] of grants.entries()) {
    const [site] = await db.query<{ id: string }>('SELECT id FROM site WHERE code = $1', [grant.siteCode]);
    if (!site) throw new DomainError('VALIDATION_FAILED', `No site with code ${grant.siteCode}`, [{ path: `roles.${index}.siteCode`, message: 'no such site' }]);
    resolved.push({ role: grant.role, siteId: site.id });
  }
  return resolved;
}

export interface NewUser {
  username: string;
  fullName: string;
  email?: string;
  roles: { role: string; siteCode: string }[];
  /** Set only by first-run setup and the CLI; otherwise a temporary password is issued. */
  password?: string;
}

/**
 * Creates a user. Without an explicit password the user gets a temporary one, shown once to the
 * administrator, valid for a limited time and to be changed at first sign-in.
 */
export async function createUser(ctx: Ctx, input: NewUser, options: { bypassPermission?: boolean } = {}): Promise<{ user: UserSummary; temporaryPassword: string | null; expiresAt: Date | null }> {
  if (!options.bypassPermission) requireUserManager(ctx.actor);
  const id = randomUUID();
  const grants = await resolveGrants(ctx.tx, input.roles);
  const password = input.password ?? temporaryPassword();
  if (input.password) await checkPasswordPolicy(ctx.tx, ctx.services.settings, { id: null, username: input.username }, input.password, 'password');
  const passwordHash = await hashPassword(password);
  const expiresAt = input.password ? null : new Date(ctx.now.getTime() + ctx.services.settings.temporaryPasswordHours * 3600_000);
  try {
    await ctx.tx.query(
      `INSERT INTO app_user (id, username, username_key, full_name, email, password_hash, password_changed_at, must_change_password, temp_password_expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7)`,
      [id, input.username, input.username.toLowerCase(), input.fullName, input.email ?? null, passwordHash, ctx.now, !input.password, expiresAt],
    );
  } catch (error) {
    if (sqlState(error) === '23505') {
      throw new DomainError('DUPLICATE', `The user name ${input.username} is or was in use; user names are never re-issued`, [{ path: 'username', message: 'already used' }]);
    }
    throw error;
  }
  await ctx.tx.query('INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)', [id, passwordHash, ctx.now]);
  for (const g of grants) await ctx.tx.query('INSERT INTO user_role (user_id, role, site_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, g.role, g.siteId]);
  await appendAudit(ctx, {
    entityType: 'user',
    entityId: id,
    action: 'user.created',
    changes: [
      { field: 'username', old: null, new: input.username },
      { field: 'fullName', old: null, new: input.fullName },
      { field: 'email', old: null, new: input.email ?? null },
      { field: 'roles', old: [], new: input.roles.map((r) => `${r.role}@${r.siteCode}`) },
    ],
  });
  const row = await findUser(ctx.tx, id);
  return { user: await toSummary(ctx.tx, row as UserRow), temporaryPassword: input.password ? null : password, expiresAt };
}

async function managedUser(ctx: Ctx, userId: string): Promise<UserRow> {
  requireUserManager(ctx.actor);
  const [row] = await ctx.tx.query<UserRow>('SELECT * FROM app_user WHERE id = $1 FOR UPDATE', [userId]);
  if (!row) throw notFound('user');
  return row;
}

/** Deactivates a user: sessions and API tokens are revoked at once (11.10(d)). The user stays, for ever. */
export async function deactivateUser(ctx: Ctx, userId: string, reason: string): Promise<UserSummary> {
  const row = await managedUser(ctx, userId);
  if (row.id === ctx.actor.id) throw new DomainError('VALIDATION_FAILED', 'You cannot deactivate yourself', [{ path: 'id', message: 'is you' }]);
  if (!row.active) return toSummary(ctx.tx, row);
  await ctx.tx.query('UPDATE app_user SET active = false, deactivated_at = $2, version = version + 1 WHERE id = $1', [userId, ctx.now]);
  await revokeCredentials(ctx, userId);
  await appendAudit(ctx, { entityType: 'user', entityId: userId, action: 'user.deactivated', reason, changes: [{ field: 'active', old: true, new: false }] });
  return toSummary(ctx.tx, row);
}

async function revokeCredentials(ctx: Ctx, userId: string): Promise<void> {
  await ctx.tx.query('UPDATE session SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, ctx.now]);
  await ctx.tx.query('UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, ctx.now]);
}

/** Issues a temporary password (revoking sessions); the user must change it before signing in fully or signing. */
export async function resetPassword(ctx: Ctx, userId: string, reason: string): Promise<{ user: UserSummary; temporaryPassword: string; expiresAt: Date }> {
  const row = await managedUser(ctx, userId);
  if (row.id === ctx.actor.id) throw new DomainError('VALIDATION_FAILED', 'Change your own password from your profile', [{ path: 'id', message: 'is you' }]);
  if (!row.active) throw new DomainError('VALIDATION_FAILED', 'This user is deactivated; deactivated accounts get no new credentials', [{ path: 'id', message: 'is deactivated' }]);
  const password = temporaryPassword();
  const expiresAt = new Date(ctx.now.getTime() + ctx.services.settings.temporaryPasswordHours * 3600_000);
  await ctx.tx.query(
    `UPDATE app_user SET password_hash = $2, password_changed_at = $3, must_change_password = true, temp_password_expires_at = $4,
       failed_attempts = 0, locked_at = NULL, version = version + 1 WHERE id = $1`,
    [userId, await hashPassword(password), ctx.now, expiresAt],
  );
  await revokeCredentials(ctx, userId);
  const changes = [{ field: 'mustChangePassword', old: row.must_change_password, new: true }];
  if (row.locked_at) changes.push({ field: 'locked', old: true, new: false });
  await appendAudit(ctx, { entityType: 'user', entityId: userId, action: 'user.password_reset', reason, changes });
  return { user: await toSummary(ctx.tx, (await findUser(ctx.tx, userId)) as UserRow), temporaryPassword: password, expiresAt };
}

export async function unlockUser(ctx: Ctx, userId: string, reason: string): Promise<UserSummary> {
  const row = await managedUser(ctx, userId);
  // A lockout is lifted by another administrator, never by the locked person's own (still live) session.
  if (row.id === ctx.actor.id) throw new DomainError('SEGREGATION_OF_DUTIES', 'Another administrator must unlock your account', [{ path: 'id', message: 'is you' }]);
  await ctx.tx.query('UPDATE app_user SET locked_at = NULL, failed_attempts = 0, version = version + 1 WHERE id = $1', [userId]);
  await appendAudit(ctx, { entityType: 'user', entityId: userId, action: 'user.unlocked', reason, changes: [{ field: 'locked', old: row.locked_at !== null, new: false }] });
  return toSummary(ctx.tx, row);
}

export async function setRoles(ctx: Ctx, userId: string, roles: { role: string; siteCode: string }[], reason: string): Promise<UserSummary> {
  const row = await managedUser(ctx, userId);
  // Otherwise an administrator could grant themselves QA roles and sign (11.10(g), admin independence).
  if (row.id === ctx.actor.id) throw new DomainError('SEGREGATION_OF_DUTIES', 'Another administrator must change your roles', [{ path: 'id', message: 'is you' }]);
  const before = (await rolesOf(ctx.tx, userId)).map((g) => `${g.role}@${g.siteCode}`);
  const grants = await resolveGrants(ctx.tx, roles);
  await ctx.tx.query('DELETE FROM user_role WHERE user_id = $1', [userId]);
  for (const g of grants) await ctx.tx.query('INSERT INTO user_role (user_id, role, site_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [userId, g.role, g.siteId]);
  const after = (await rolesOf(ctx.tx, userId)).map((g) => `${g.role}@${g.siteCode}`);
  await appendAudit(ctx, { entityType: 'user', entityId: userId, action: 'user.roles_changed', reason, changes: [{ field: 'roles', old: before, new: after }] });
  return toSummary(ctx.tx, row);
}

/** Corrects a user's printed name or e-mail; signatures already given keep the name captured at signing (11.50(b)). */
export async function updateUser(ctx: Ctx, userId: string, input: { fullName?: string; email?: string | null; reason: string }): Promise<UserSummary> {
  const row = await managedUser(ctx, userId);
  const changes = [];
  if (input.fullName !== undefined && input.fullName !== row.full_name) changes.push({ field: 'fullName', old: row.full_name, new: input.fullName });
  if (input.email !== undefined && input.email !== row.email) changes.push({ field: 'email', old: row.email, new: input.email });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'fullName', message: 'no field differs from the current values' }]);
  await ctx.tx.query('UPDATE app_user SET full_name = $2, email = $3, version = version + 1 WHERE id = $1', [userId, input.fullName ?? row.full_name, input.email === undefined ? row.email : input.email]);
  await appendAudit(ctx, { entityType: 'user', entityId: userId, action: 'user.updated', reason: input.reason, changes });
  return toSummary(ctx.tx, (await findUser(ctx.tx, userId)) as UserRow);
}

/**
 * The signed-in user changes their own password (policy and history apply); the caller has checked
 * the current password (checkCurrentPassword). Every other session of the user ends.
 */
export async function changePassword(ctx: Ctx, newPassword: string, keepSessionId?: string): Promise<void> {
  if (!ctx.actor.id) throw forbidden('No user');
  const [row] = await ctx.tx.query<UserRow>('SELECT * FROM app_user WHERE id = $1 FOR UPDATE', [ctx.actor.id]);
  if (!row) throw forbidden('No user');
  await checkPasswordPolicy(ctx.tx, ctx.services.settings, { id: row.id, username: row.username }, newPassword);
  const passwordHash = await hashPassword(newPassword);
  await ctx.tx.query(
    'UPDATE app_user SET password_hash = $2, password_changed_at = $3, must_change_password = false, temp_password_expires_at = NULL, version = version + 1 WHERE id = $1',
    [row.id, passwordHash, ctx.now],
  );
  await ctx.tx.query('INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)', [row.id, passwordHash, ctx.now]);
  await ctx.tx.query('UPDATE session SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3', [row.id, ctx.now, keepSessionId ?? null]);
  await appendAudit(ctx, { entityType: 'user', entityId: row.id, action: 'user.password_changed', changes: [{ field: 'password', old: '(hidden)', new: '(changed)' }] });
}

export async function createSite(ctx: Ctx, code: string, name: string, options: { bypassPermission?: boolean } = {}): Promise<{ id: string; code: string; name: string }> {
  if (!options.bypassPermission) requireUserManager(ctx.actor);
  const id = randomUUID();
  try {
    await ctx.tx.query('INSERT INTO site (id, code, name, created_at) VALUES ($1, $2, $3, $4)', [id, code, name, ctx.now]);
  } catch (error) {
    if (sqlState(error) === '23505') throw new DomainError('DUPLICATE', `Site ${code} exists`, [{ path: 'code', message: 'already used' }]);
    throw error;
  }
  await appendAudit(ctx, { entityType: 'site', entityId: id, action: 'site.created', changes: [{ field: 'code', old: null, new: code }, { field: 'name', old: null, new: name }] });
  return { id, code, name };
}

export async function listSites(db: Queryable): Promise<{ id: string; code: string; name: string }[]> {
  return db.query('SELECT id, code, name FROM site ORDER BY code');
}
