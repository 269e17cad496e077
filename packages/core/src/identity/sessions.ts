import { randomBytes, randomUUID } from 'node:crypto';
import type { Me } from '@verity/contracts';
import type { Actor, RequestContext, Services } from '../context.js';
import { withTransaction } from '../context.js';
import { DomainError } from '../errors.js';
import { appendAudit } from '../kernel/audit.js';
import { sha256 } from '../kernel/canonical.js';
import { emit } from '../kernel/outbox.js';
import { permissionsOf } from './access.js';
import { decoyVerify, verifyPassword } from './passwords.js';
import { acceptSignatureStatement, type SigningReadiness, signingReadiness } from './signing-prerequisites.js';
import { matchTotp } from './totp.js';
import { findUser, findUserByName, rolesOf, type UserRow } from './users.js';

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  signing_started_at: Date | null;
}

export interface Authenticated {
  actor: Actor;
  user: UserRow;
  session: SessionRow | null;
  mustChangePassword: boolean;
}

/** Where a password was presented: every failure counts toward the same lockout. */
type Channel = 'login' | 'signature' | 'password-change';

const anonymous = (username: string): Actor => ({ id: null, username, fullName: `unauthenticated (${username.slice(0, 64)})`, roles: [] });

/**
 * Counts a failed authentication (sign-in or signing) in its own committed transaction, locks the
 * account at the threshold and raises a security alert (11.300(d)).
 */
async function recordFailure(services: Services, request: RequestContext, user: UserRow, channel: Channel, why: string): Promise<boolean> {
  return withTransaction(services, anonymous(user.username), request, async (ctx) => {
    const [row] = await ctx.tx.query<{ failed_attempts: number; locked_at: Date | null }>(
      'UPDATE app_user SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts, locked_at',
      [user.id],
    );
    await appendAudit(ctx, { entityType: 'user', entityId: user.id, action: channel === 'signature' ? 'auth.signature_failed' : 'auth.login_failed', reason: why, details: { channel } });
    if (channel === 'signature') await emit(ctx, 'security.signature_failed', { userId: user.id, username: user.username, ip: request.ip ?? null, at: ctx.now.toISOString() });
    if (row.locked_at === null && row.failed_attempts >= services.settings.lockoutThreshold) {
      await ctx.tx.query('UPDATE app_user SET locked_at = $2 WHERE id = $1', [user.id, ctx.now]);
      await appendAudit(ctx, { entityType: 'user', entityId: user.id, action: 'user.locked', reason: `${row.failed_attempts} consecutive failed ${channel} attempts`, changes: [{ field: 'locked', old: false, new: true }], details: { channel } });
      await emit(ctx, 'security.account_locked', { userId: user.id, username: user.username, ip: request.ip ?? null, channel, at: ctx.now.toISOString() });
      return true;
    }
    return row.locked_at !== null;
  });
}

/** Checks user name, password and (when enrolled) TOTP; refusals are audited and counted. */
async function checkCredentials(services: Services, request: RequestContext, input: { username: string; password: string; totp?: string }, channel: Channel): Promise<UserRow> {
  const user = await findUserByName(services.db, input.username);
  if (!user) {
    await decoyVerify(input.password);
    await withTransaction(services, anonymous(input.username), request, (ctx) =>
      appendAudit(ctx, { entityType: 'security', entityId: 'security:unknown-user', action: channel === 'signature' ? 'auth.signature_failed' : 'auth.login_failed', reason: 'unknown user name', details: { channel, username: input.username.slice(0, 64) } }),
    );
    throw new DomainError('INVALID_CREDENTIALS', 'User name or password is wrong');
  }
  const refuse = async (code: 'ACCOUNT_INACTIVE' | 'ACCOUNT_LOCKED' | 'TEMPORARY_PASSWORD_EXPIRED', message: string) => {
    await withTransaction(services, anonymous(user.username), request, (ctx) =>
      appendAudit(ctx, { entityType: 'user', entityId: user.id, action: channel === 'signature' ? 'auth.signature_failed' : 'auth.login_failed', reason: message, details: { channel } }),
    );
    throw new DomainError(code, message);
  };
  if (!user.active) await refuse('ACCOUNT_INACTIVE', 'This account is deactivated');
  if (user.locked_at) await refuse('ACCOUNT_LOCKED', 'This account is locked after repeated failed attempts; ask an administrator to unlock it');
  const now = services.clock.now();
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  // A password change happens inside a session that already passed the second factor.
  const totpStep = channel === 'password-change' || !user.totp_enabled || !input.totp || !user.totp_secret ? null : matchTotp(user.totp_secret, input.totp, now, user.totp_last_step);
  const totpOk = channel === 'password-change' || !user.totp_enabled || totpStep !== null;
  if (!passwordOk || !totpOk) {
    const why = !passwordOk ? 'wrong password' : input.totp ? 'wrong or reused authenticator code' : 'authenticator code missing';
    const locked = await recordFailure(services, request, user, channel, why);
    if (locked) throw new DomainError('ACCOUNT_LOCKED', 'This account is locked after repeated failed attempts; ask an administrator to unlock it');
    if (!passwordOk) throw new DomainError('INVALID_CREDENTIALS', 'User name or password is wrong');
    throw new DomainError('TOTP_REQUIRED', input.totp ? 'The authenticator code is wrong or was already used' : 'Enter the 6-digit code from your authenticator app', [{ path: 'totp', message: input.totp ? 'wrong or already used' : 'is required' }]);
  }
  if (totpStep !== null) await services.db.query('UPDATE app_user SET totp_last_step = $2 WHERE id = $1', [user.id, totpStep]);
  if (user.must_change_password && user.temp_password_expires_at && user.temp_password_expires_at < now) {
    await refuse('TEMPORARY_PASSWORD_EXPIRED', 'The temporary password has expired; ask an administrator for a new one');
  }
  if (user.failed_attempts > 0) await services.db.query('UPDATE app_user SET failed_attempts = 0 WHERE id = $1', [user.id]);
  return user;
}

/** Signs a user in: returns the session token for the cookie (only its hash is stored). */
export async function login(services: Services, request: RequestContext, input: { username: string; password: string; totp?: string }): Promise<{ token: string; userId: string }> {
  const user = await checkCredentials(services, request, input, 'login');
  const token = randomBytes(32).toString('base64url');
  await withTransaction(services, { id: user.id, username: user.username, fullName: user.full_name, roles: [] }, { ...request, authMethod: 'session' }, async (ctx) => {
    const expires = new Date(ctx.now.getTime() + services.settings.sessionAbsoluteHours * 3600_000);
    await ctx.tx.query(
      'INSERT INTO session (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6)',
      [sha256(token), user.id, ctx.now, expires, request.ip ?? null, request.userAgent?.slice(0, 500) ?? null],
    );
    await ctx.tx.query('UPDATE app_user SET last_login_at = $2 WHERE id = $1', [user.id, ctx.now]);
    await appendAudit(ctx, { entityType: 'user', entityId: user.id, action: 'auth.login_succeeded' });
  });
  return { token, userId: user.id };
}

function passwordExpired(services: Services, user: UserRow, now: Date): boolean {
  if (!user.password_changed_at) return true;
  return now.getTime() - user.password_changed_at.getTime() > services.settings.passwordMaxAgeDays * 86400_000;
}

/**
 * Resolves a session token: refused when revoked, idle longer than the idle timeout, past its
 * absolute lifetime, or when the user is deactivated (11.10(d)).
 */
export async function authenticateSession(services: Services, token: string): Promise<Authenticated | null> {
  const [session] = await services.db.query<SessionRow>('SELECT * FROM session WHERE id = $1 AND revoked_at IS NULL', [sha256(token)]);
  if (!session) return null;
  const now = services.clock.now();
  const idleLimit = session.last_seen_at.getTime() + services.settings.sessionIdleMinutes * 60_000;
  if (now.getTime() > idleLimit || now > session.expires_at) {
    await services.db.query('UPDATE session SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [session.id, now]);
    return null;
  }
  const user = await findUser(services.db, session.user_id);
  if (!user?.active || user.locked_at) {
    // A locked account (possibly compromised credentials) loses its live sessions too (11.300(c),(d)).
    await services.db.query('UPDATE session SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [session.id, now]);
    return null;
  }
  if (now.getTime() - session.last_seen_at.getTime() > 10_000) {
    await services.db.query('UPDATE session SET last_seen_at = $2 WHERE id = $1', [session.id, now]);
  }
  const actor: Actor = { id: user.id, username: user.username, fullName: user.full_name, roles: await rolesOf(services.db, user.id) };
  return { actor, user, session, mustChangePassword: user.must_change_password || passwordExpired(services, user, now) };
}

export async function logout(services: Services, request: RequestContext, auth: Authenticated): Promise<void> {
  if (!auth.session) return;
  const sessionId = auth.session.id;
  await withTransaction(services, auth.actor, request, async (ctx) => {
    await ctx.tx.query('UPDATE session SET revoked_at = $2 WHERE id = $1', [sessionId, ctx.now]);
    await appendAudit(ctx, { entityType: 'user', entityId: auth.user.id, action: 'auth.logout' });
  });
}

/** Issues a scoped API token; only its SHA-256 is stored. */
export async function createApiToken(services: Services, request: RequestContext, auth: Authenticated, input: { name: string; scopes: string[]; expiresInDays: number }) {
  const token = `vty_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  return withTransaction(services, auth.actor, request, async (ctx) => {
    const expiresAt = new Date(ctx.now.getTime() + input.expiresInDays * 86400_000);
    await ctx.tx.query('INSERT INTO api_token (id, user_id, name, token_hash, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      id, auth.user.id, input.name, sha256(token), input.scopes, ctx.now, expiresAt,
    ]);
    await appendAudit(ctx, { entityType: 'user', entityId: auth.user.id, action: 'token.created', changes: [{ field: 'token', old: null, new: { id, name: input.name, scopes: input.scopes } }] });
    return { id, name: input.name, token, scopes: input.scopes, expiresAt: expiresAt.toISOString() };
  });
}

export async function authenticateApiToken(services: Services, token: string): Promise<Authenticated | null> {
  const [row] = await services.db.query<{ id: string; user_id: string; scopes: string[]; expires_at: Date; revoked_at: Date | null }>(
    'SELECT id, user_id, scopes, expires_at, revoked_at FROM api_token WHERE token_hash = $1',
    [sha256(token)],
  );
  const now = services.clock.now();
  if (!row || row.revoked_at || row.expires_at < now) return null;
  const user = await findUser(services.db, row.user_id);
  if (!user?.active || user.locked_at) return null;
  await services.db.query('UPDATE api_token SET last_used_at = $2 WHERE id = $1', [row.id, now]);
  const actor: Actor = { id: user.id, username: user.username, fullName: user.full_name, roles: await rolesOf(services.db, user.id), tokenScopes: row.scopes };
  return { actor, user, session: null, mustChangePassword: false };
}

/**
 * Re-authenticates the signer for an electronic signature (11.200(a)). The first signing of a
 * continuous session needs user name and password; later ones at least the password. The signer
 * is always the authenticated user: naming anyone else is refused and counted.
 */
export async function authenticateSigner(services: Services, request: RequestContext, auth: Authenticated, input: { username?: string; password: string; totp?: string; acceptStatement?: boolean }): Promise<void> {
  if (!auth.session) throw new DomainError('FORBIDDEN', 'API tokens cannot sign; electronic signatures need a person signed in');
  const readiness = await signingReadiness(services.db, auth.user.id);
  if (!readiness.identityVerified) {
    throw new DomainError('SIGNING_NOT_ESTABLISHED', 'Your electronic signature is not established yet: an administrator must first record how your identity was verified');
  }
  if (!readiness.statementAccepted && !input.acceptStatement) {
    throw new DomainError('SIGNATURE_STATEMENT_REQUIRED', 'Accept the e-signature accountability statement before your first signature', [{ path: 'signature.acceptStatement', message: 'must be accepted' }]);
  }
  const firstInSession = auth.session.signing_started_at === null;
  if (firstInSession && !input.username) {
    throw new DomainError('SIGNATURE_FAILED', 'The first signature of a session needs your user name and password', [{ path: 'signature.username', message: 'required for the first signature of a session' }]);
  }
  if (input.username !== undefined && input.username.toLowerCase() !== auth.user.username.toLowerCase()) {
    await recordFailure(services, request, auth.user, 'signature', 'signature attempted with another user name');
    throw new DomainError('SIGNATURE_FAILED', 'You can sign only as yourself', [{ path: 'signature.username', message: 'is not the signed-in user' }]);
  }
  const fresh = await findUser(services.db, auth.user.id);
  if (!fresh) throw new DomainError('SIGNATURE_FAILED', 'Unknown signer');
  try {
    await checkCredentials(services, request, { username: fresh.username, password: input.password, totp: input.totp }, 'signature');
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'INVALID_CREDENTIALS' || error.code === 'TOTP_REQUIRED')) {
      throw new DomainError('SIGNATURE_FAILED', error.message, error.errors.length ? error.errors.map((e) => ({ ...e, path: `signature.${e.path}` })) : [{ path: 'signature.password', message: 'is wrong' }]);
    }
    throw error;
  }
  if (fresh.must_change_password) throw new DomainError('PASSWORD_CHANGE_REQUIRED', 'Change your temporary password before signing');
  if (firstInSession) await services.db.query('UPDATE session SET signing_started_at = $2 WHERE id = $1', [auth.session.id, services.clock.now()]);
  if (!readiness.statementAccepted) await withTransaction(services, auth.actor, request, (ctx) => acceptSignatureStatement(ctx));
}

/**
 * Checks the current password before a password change; a wrong one is audited and counts toward
 * lockout like any other failed authentication.
 */
export async function checkCurrentPassword(services: Services, request: RequestContext, auth: Authenticated, password: string): Promise<void> {
  try {
    await checkCredentials(services, request, { username: auth.user.username, password }, 'password-change');
  } catch (error) {
    if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') {
      throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong', [{ path: 'currentPassword', message: 'is wrong' }]);
    }
    throw error;
  }
}

export function meOf(auth: Authenticated, readiness: SigningReadiness): Me {
  return {
    id: auth.user.id,
    username: auth.user.username,
    fullName: auth.user.full_name,
    email: auth.user.email,
    roles: auth.actor.roles.map((g) => ({ role: g.role as Me['roles'][number]['role'], siteCode: g.siteCode })),
    permissions: permissionsOf(auth.actor),
    mustChangePassword: auth.mustChangePassword,
    totpEnabled: auth.user.totp_enabled,
    signingSessionStarted: auth.session?.signing_started_at != null,
    identityVerified: readiness.identityVerified,
    signatureStatementAccepted: readiness.statementAccepted,
    identityVerifiedAt: readiness.identityVerifiedAt?.toISOString() ?? null,
    signatureStatementAcceptedAt: readiness.statementAcceptedAt?.toISOString() ?? null,
    sessionExpiresAt: auth.session?.expires_at.toISOString() ?? null,
  };
}
