import { timingSafeEqual } from 'node:crypto';
import { apiTokenCreated, apiTokenRequest, changePasswordRequest, loginRequest, me, setupRequest, signatureStatementSchema, totpConfirm, totpEnrolment } from '@verity/contracts';
import {
  acceptSignatureStatement, type Authenticated, signatureStatement, signingReadiness,
  appendAudit, authenticateSession, changePassword, checkCurrentPassword, createApiToken, createSite, createUser, DomainError, findUser, login, logout, meOf, newTotpSecret, type Services,
  systemActor, matchTotp, withTransaction,
} from '@verity/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth, sessionCookie } from '../http/auth.js';

const noContent = { 204: z.null().describe('Done') };

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, secure: 'auto' | 'true' | 'false') {
  reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: secure === 'true' || (secure === 'auto' && request.protocol === 'https'),
  });
}

export interface AuthRouteOptions {
  services: Services;
  cookieSecure: 'auto' | 'true' | 'false';
  /** One-time setup token printed at start while no user exists; null once set up. */
  setupToken: { value: string | null };
  loginRateLimit: number;
}

export async function authRoutes(appBase: FastifyInstance, { services, cookieSecure, setupToken, loginRateLimit }: AuthRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const presentMe = async (auth: Authenticated) => meOf(auth, await signingReadiness(services.db, auth.user.id));

  app.post('/api/v1/auth/login', { schema: { tags: ['auth'], summary: 'Sign in', body: loginRequest, response: { 200: me } }, config: { rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { token } = await login(services, requestContext(request), request.body);
    setSessionCookie(request, reply, token, cookieSecure);
    const auth = await authenticateSession(services, token);
    if (!auth) throw new DomainError('UNAUTHENTICATED', 'The session could not be started');
    return await presentMe(auth);
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: noContent } }, async (request, reply) => {
    if (request.auth) await logout(services, requestContext(request), request.auth);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: me } } }, async (request) => presentMe(requireAuth(request, { allowPasswordChange: true })));

  app.post('/api/v1/auth/password', { schema: { tags: ['auth'], summary: 'Change your password', body: changePasswordRequest, response: noContent } }, async (request, reply) => {
    const auth = requireAuth(request, { allowPasswordChange: true });
    await checkCurrentPassword(services, requestContext(request), auth, request.body.currentPassword);
    await withTransaction(services, auth.actor, requestContext(request), (ctx) => changePassword(ctx, request.body.newPassword, auth.session?.id));
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/signature-statement', { schema: { tags: ['auth'], summary: 'The e-signature accountability statement to accept before the first signature', response: { 200: signatureStatementSchema } } }, async (request) => {
    requireAuth(request);
    return { version: signatureStatement.version, text: signatureStatement.text };
  });

  app.post('/api/v1/auth/signature-statement', { schema: { tags: ['auth'], summary: 'Accept the e-signature accountability statement', response: { 200: me } } }, async (request) => {
    const auth = requireAuth(request);
    if (!auth.session) throw new DomainError('FORBIDDEN', 'A person accepts the statement from a signed-in session');
    await withTransaction(services, auth.actor, requestContext(request), (ctx) => acceptSignatureStatement(ctx));
    return presentMe(auth);
  });

  app.post('/api/v1/auth/totp', { schema: { tags: ['auth'], summary: 'Start TOTP enrolment: returns a new secret', response: { 200: totpEnrolment } } }, async (request) => {
    const auth = requireAuth(request);
    const secret = newTotpSecret();
    if (auth.user.totp_enabled) throw new DomainError('DUPLICATE', 'TOTP is already enabled');
    await services.db.query('UPDATE app_user SET totp_secret = $2 WHERE id = $1 AND totp_enabled = false', [auth.user.id, secret]);
    return { secret, otpauthUrl: `otpauth://totp/Verity:${encodeURIComponent(auth.user.username)}?secret=${secret}&issuer=Verity` };
  });

  app.post('/api/v1/auth/totp/confirm', { schema: { tags: ['auth'], summary: 'Confirm TOTP enrolment with a code', body: totpConfirm, response: noContent } }, async (request, reply) => {
    const auth = requireAuth(request);
    const user = await findUser(services.db, auth.user.id);
    const step = user?.totp_secret ? matchTotp(user.totp_secret, request.body.code, services.clock.now()) : null;
    if (step === null) throw new DomainError('VALIDATION_FAILED', 'The code does not match', [{ path: 'code', message: 'does not match the authenticator' }]);
    await withTransaction(services, auth.actor, requestContext(request), async (ctx) => {
      await ctx.tx.query('UPDATE app_user SET totp_enabled = true, totp_last_step = $2 WHERE id = $1', [auth.user.id, step]);
      await appendAudit(ctx, { entityType: 'user', entityId: auth.user.id, action: 'user.totp_enrolled', changes: [{ field: 'totpEnabled', old: false, new: true }] });
    });
    return reply.code(204).send(null);
  });

  app.post('/api/v1/auth/tokens', { schema: { tags: ['auth'], summary: 'Issue a scoped API token (shown once)', body: apiTokenRequest, response: { 201: apiTokenCreated } } }, async (request, reply) => {
    const auth = requireAuth(request);
    if (!auth.session) throw new DomainError('FORBIDDEN', 'API tokens are issued from a signed-in session');
    return reply.code(201).send(await createApiToken(services, requestContext(request), auth, request.body));
  });

  app.get('/api/v1/setup/status', { schema: { tags: ['setup'], summary: 'Whether the first administrator must still be created', response: { 200: z.object({ needsSetup: z.boolean() }) } } }, async () => {
    const [{ n }] = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
    return { needsSetup: n === 0 };
  });

  app.post('/api/v1/setup', { schema: { tags: ['setup'], summary: 'Create the first administrator with the one-time setup token', body: setupRequest, response: { 201: me } }, config: { rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } } }, async (request, reply) => {
    const expected = setupToken.value;
    const given = Buffer.from(request.body.token);
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      throw new DomainError(expected ? 'FORBIDDEN' : 'SETUP_DONE', expected ? 'The setup token is wrong; use the link printed when the server started' : 'Verity is already set up');
    }
    await withTransaction(services, systemActor, requestContext(request), async (ctx) => {
      await ctx.tx.query('SELECT pg_advisory_xact_lock(7413)');
      const [{ n }] = await ctx.tx.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
      if (n > 0) throw new DomainError('SETUP_DONE', 'Verity is already set up');
      const [site] = await ctx.tx.query<{ code: string }>('SELECT code FROM site ORDER BY code LIMIT 1');
      const siteCode = site?.code ?? (await createSite(ctx, 'MAIN', 'Main site', { bypassPermission: true })).code;
      const { user } = await createUser(ctx, { ...request.body, roles: [{ role: 'sysadmin', siteCode }] }, { bypassPermission: true });
      await ctx.tx.query('UPDATE app_user SET must_change_password = false WHERE id = $1', [user.id]);
      await appendAudit(ctx, { entityType: 'system', entityId: 'system:setup', action: 'setup.completed', changes: [{ field: 'administrator', old: null, new: user.username }] });
    });
    setupToken.value = null;
    const { token } = await login(services, requestContext(request), { username: request.body.username, password: request.body.password });
    setSessionCookie(request, reply, token, cookieSecure);
    const auth = await authenticateSession(services, token);
    if (!auth) throw new DomainError('UNAUTHENTICATED', 'The session could not be started');
    return reply.code(201).send(await presentMe(auth));
  });
}
