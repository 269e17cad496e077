import { auditQuery, notification, searchHit, task, verifyResult } from '@verity/contracts';
import { can, DomainError, searchAudit, searchRecords, type Services, tasksOf, verifyIntegrity, workflows } from '@verity/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { z } from 'zod';
import { requestContext, requireAuth } from '../http/auth.js';

export interface SystemRouteOptions {
  services: Services;
  version: { version: string; commit: string };
}

export async function systemRoutes(appBase: FastifyInstance, { services, version }: SystemRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'verity_http_requests_total', help: 'HTTP requests by status class', labelNames: ['status'], registers: [registry] });
  app.addHook('onResponse', async (_request, reply) => {
    requests.inc({ status: `${Math.floor(reply.statusCode / 100)}xx` });
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await services.db.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  app.get('/api/v1/version', { schema: { tags: ['system'], summary: 'Running version and commit', response: { 200: z.object({ version: z.string(), commit: z.string() }) } } }, async () => version);

  app.get('/api/v1/search', { schema: { tags: ['system'], summary: 'Full-text search across records you may read', querystring: z.object({ q: z.string().trim().min(1).max(200), limit: z.coerce.number().int().min(1).max(100).default(25) }), response: { 200: z.object({ items: z.array(searchHit) }) } } }, async (request) => {
    const auth = requireAuth(request);
    return { items: await searchRecords(services.db, auth.actor, workflows, request.query.q, request.query.limit, services.clock.now()) };
  });

  app.get('/api/v1/tasks', { schema: { tags: ['system'], summary: 'My tasks: records waiting for a step I may take', response: { 200: z.object({ items: z.array(task) }) } } }, async (request) => {
    const auth = requireAuth(request);
    return { items: await tasksOf(services.db, auth.actor, services.clock.now()) };
  });

  app.get('/api/v1/notifications', { schema: { tags: ['system'], summary: 'My in-app notifications, newest first', response: { 200: z.object({ items: z.array(notification), unread: z.number().int() }) } } }, async (request) => {
    const auth = requireAuth(request);
    const rows = await services.db.query<{ id: string; record_id: string | null; record_type: string | null; message: string; created_at: Date; read_at: Date | null }>(
      `SELECT n.id, n.record_id, r.type AS record_type, n.message, n.created_at, n.read_at
         FROM notification n LEFT JOIN record r ON r.id = n.record_id WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id LIMIT 100`,
      [auth.user.id],
    );
    return {
      items: rows.map((r) => ({ id: r.id, recordId: r.record_id, recordType: r.record_type, message: r.message, createdAt: r.created_at.toISOString(), read: r.read_at !== null })),
      unread: rows.filter((r) => r.read_at === null).length,
    };
  });

  app.post('/api/v1/notifications/read', { schema: { tags: ['system'], summary: 'Mark all my notifications read', response: { 204: z.null() } } }, async (request, reply) => {
    const auth = requireAuth(request);
    await services.db.query('UPDATE notification SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL', [auth.user.id, services.clock.now()]);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/audit-trail', { schema: { tags: ['system'], summary: 'Export audit entries filtered by user and time range (JSON or CSV), in sequence order', querystring: auditQuery } }, async (request, reply) => {
    const auth = requireAuth(request);
    if (!can(auth.actor, 'audit:read')) throw new DomainError('FORBIDDEN', 'You may not read the audit trail of the whole system');
    const { actorId, from, to, afterSeq, limit, format } = request.query;
    const items = await searchAudit(services.db, { actorId, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, afterSeq, limit });
    const nextAfterSeq = items.length === limit ? items[items.length - 1].seq : null;
    if (format === 'json') return { items, nextAfterSeq };
    const cell = (value: unknown) => {
      const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"` : text;
    };
    const header = ['seq', 'at', 'entityType', 'entityId', 'entitySeq', 'action', 'actorId', 'actorName', 'reason', 'changes', 'hash'];
    const lines = items.map((e) => [e.seq, e.at, e.entityType, e.entityId, e.entitySeq, e.action, e.actorId, e.actorName, e.reason, e.changes, e.hash].map(cell).join(','));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-trail.csv"').send([header.join(','), ...lines].join('\r\n'));
  });

  app.post('/api/v1/audit-trail/verify', { schema: { tags: ['system'], summary: 'Verify audit trail, record hashes and signature seals', response: { 200: verifyResult } } }, async (request) => {
    const auth = requireAuth(request);
    if (!can(auth.actor, 'audit:verify')) throw new DomainError('FORBIDDEN', 'You may not run the integrity check');
    return verifyIntegrity(services, auth.actor, requestContext(request));
  });
}
