import { createUserRequest, identityVerification, peopleQuery, person, identityVerificationRequest, idParams, reasonRequest, setRolesRequest, site, temporaryPassword, updateUserRequest, userSummary } from '@verity/contracts';
import { can, createSite, createUser, recordIdentityVerification, deactivateUser, DomainError, listSites, listUsers, refreshTrainingOf, resetPassword, type Services, setRoles, unlockUser, updateUser, withTransaction } from '@verity/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../http/auth.js';

export async function userRoutes(appBase: FastifyInstance, { services }: { services: Services }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['administration'];
  const tx = <T>(request: Parameters<typeof requireAuth>[0], fn: Parameters<typeof withTransaction<T>>[3]) => withTransaction(services, requireAuth(request).actor, requestContext(request), fn);

  app.get('/api/v1/people', { schema: { tags: ['people'], summary: 'Active people for pickers (reviewers, approvers, owners), filtered by name, site and permission', querystring: peopleQuery, response: { 200: z.object({ items: z.array(person) }) } } }, async (request) => {
    const auth = requireAuth(request);
    if (auth.actor.roles.length === 0) throw new DomainError('FORBIDDEN', 'You have no role in Verity');
    const { q, site: siteCode, permission, limit } = request.query;
    const rows = await services.db.query<{ id: string; full_name: string; username: string; department: string | null; grants: { role: string; siteId: string; siteCode: string }[] }>(
      `SELECT u.id, u.full_name, u.username, u.department,
              COALESCE((SELECT json_agg(json_build_object('role', r.role, 'siteId', r.site_id, 'siteCode', s.code) ORDER BY s.code, r.role) FROM user_role r JOIN site s ON s.id = r.site_id WHERE r.user_id = u.id), '[]'::json) AS grants
         FROM app_user u WHERE u.active AND ($1::text IS NULL OR u.full_name ILIKE '%' || $1 || '%' OR u.username_key LIKE lower($1) || '%')
        ORDER BY u.full_name LIMIT 2000`,
      [q?.trim() || null],
    );
    const items = rows
      .filter((r) => {
        const roles = r.grants.map((g) => ({ role: g.role, siteId: g.siteId, siteCode: g.siteCode }));
        const atSite = siteCode ? roles.filter((g) => g.siteCode === siteCode) : roles;
        if (atSite.length === 0) return false;
        return !permission || can({ id: r.id, username: r.username, fullName: r.full_name, roles: atSite }, permission, siteCode ? atSite[0].siteId : undefined);
      })
      .slice(0, limit)
      .map((r) => ({ id: r.id, fullName: r.full_name, username: r.username, department: r.department, roles: r.grants.map((g) => ({ role: g.role, siteCode: g.siteCode })) }));
    return { items };
  });

  app.get('/api/v1/users', { schema: { tags, summary: 'All users (system administrator)', response: { 200: z.object({ items: z.array(userSummary) }) } } }, async (request) => ({
    items: await tx(request, (ctx) => listUsers(ctx)),
  }));

  app.post('/api/v1/users', { schema: { tags, summary: 'Create a user; returns a one-time temporary password', body: createUserRequest, response: { 201: temporaryPassword } } }, async (request, reply) => {
    const created = await tx(request, async (ctx) => {
      const result = await createUser(ctx, request.body);
      await refreshTrainingOf(ctx, result.user.id);
      return result;
    });
    return reply.code(201).send({ user: created.user, temporaryPassword: created.temporaryPassword as string, expiresAt: (created.expiresAt as Date).toISOString() });
  });

  app.patch('/api/v1/users/:id', { schema: { tags, summary: 'Correct the printed name or e-mail of a user', params: idParams, body: updateUserRequest, response: { 200: userSummary } } }, async (request) =>
    tx(request, (ctx) => updateUser(ctx, request.params.id, request.body)),
  );

  app.post('/api/v1/users/:id/identity-verification', { schema: { tags, summary: "Record how a person's identity was verified: establishes their electronic signature (11.100(b))", params: idParams, body: identityVerificationRequest, response: { 201: identityVerification } } }, async (request, reply) =>
    reply.code(201).send(await tx(request, (ctx) => recordIdentityVerification(ctx, request.params.id, request.body))),
  );

  app.post('/api/v1/users/:id/deactivate', { schema: { tags, summary: 'Deactivate a user (revokes sessions and tokens)', params: idParams, body: reasonRequest, response: { 200: userSummary } } }, async (request) =>
    tx(request, async (ctx) => {
      const user = await deactivateUser(ctx, request.params.id, request.body.reason);
      await refreshTrainingOf(ctx, request.params.id);
      return user;
    }),
  );

  app.post('/api/v1/users/:id/reset-password', { schema: { tags, summary: 'Issue a temporary password', params: idParams, body: reasonRequest, response: { 200: temporaryPassword } } }, async (request) => {
    const result = await tx(request, (ctx) => resetPassword(ctx, request.params.id, request.body.reason));
    return { ...result, expiresAt: result.expiresAt.toISOString() };
  });

  app.post('/api/v1/users/:id/unlock', { schema: { tags, summary: 'Unlock a locked account', params: idParams, body: reasonRequest, response: { 200: userSummary } } }, async (request) =>
    tx(request, (ctx) => unlockUser(ctx, request.params.id, request.body.reason)),
  );

  app.put('/api/v1/users/:id/roles', { schema: { tags, summary: 'Replace the roles of a user', params: idParams, body: setRolesRequest, response: { 200: userSummary } } }, async (request) =>
    tx(request, async (ctx) => {
      const user = await setRoles(ctx, request.params.id, request.body.roles, request.body.reason);
      await refreshTrainingOf(ctx, request.params.id);
      return user;
    }),
  );

  app.get('/api/v1/sites', { schema: { tags, summary: 'Sites', response: { 200: z.object({ items: z.array(site) }) } } }, async (request) => {
    requireAuth(request);
    return { items: await listSites(services.db) };
  });

  app.post('/api/v1/sites', { schema: { tags, summary: 'Create a site (system administrator)', body: z.object({ code: z.string().trim().regex(/^[A-Z0-9]{2,10}$/, '2-10 capital letters or digits'), name: z.string().trim().min(1).max(200) }), response: { 201: site } } }, async (request, reply) => {
    const created = await tx(request, (ctx) => createSite(ctx, request.body.code, request.body.name));
    return reply.code(201).send(created);
  });

  // The audit trail has no write endpoints; say so explicitly rather than 404 (11.10(e)).
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    app.route({ method, url: '/api/v1/audit-trail/*', schema: { hide: true }, handler: async () => { throw new DomainError('METHOD_NOT_ALLOWED', 'The audit trail cannot be changed'); } });
    app.route({ method, url: '/api/v1/records/:id/signatures', schema: { hide: true }, handler: async () => { throw new DomainError('METHOD_NOT_ALLOWED', 'Signatures cannot be changed'); } });
  }
}
