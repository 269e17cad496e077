import {
  actionDetail, capaDetail, changeDetail, changeImpact as changeImpactSchema, createActionRequest, createCapaRequest, createChangeRequest, extension, extensionDecisionRequest, extensionParams,
  extensionRequest, idParams, listQuery, onTimeMetrics as onTimeMetricsSchema, page, recordSummary, transitionRequest, updateCapaRequest, updateChangeRequest,
} from '@verity/contracts';
import {
  type Actor, addAction, authenticateSigner, can, capaWorkflow, changeImpact, changeWorkflow, createCapa, createChange, DomainError, decideExtension, extensionsOf, getRecord, isoDay, listRecords,
  lockRecord, onTimeMetrics, presentActionDetail, presentCapa, presentChange, readPermissionOf, type RecordRow, requestExtension, type Services, transitionAction, transitionCapa,
  transitionChange, updateCapa, updateChange, withTransaction,
} from '@verity/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../http/auth.js';

async function readable(services: Services, actor: Actor, id: string, type: string, what: string): Promise<RecordRow> {
  const record = await getRecord(services.db, id, type);
  if (!record || (!can(actor, readPermissionOf(type), record.site_id) && record.owner_id !== actor.id)) throw new DomainError('NOT_FOUND', `No such ${what}`);
  return record;
}

export async function capaRoutes(appBase: FastifyInstance, { services }: { services: Services }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const now = () => services.clock.now();
  const ctxOf = (request: Parameters<typeof requireAuth>[0]) => ({ auth: requireAuth(request), context: requestContext(request) });

  // CAPA
  {
    const tags = ['capa'];
    app.get('/api/v1/capas', { schema: { tags, summary: 'List CAPAs', querystring: listQuery, response: { 200: page(recordSummary) } } }, async (request) =>
      listRecords(services.db, requireAuth(request).actor, capaWorkflow, request.query, now()),
    );
    app.post('/api/v1/capas', { schema: { tags, summary: 'Open a CAPA, from a source record (linked both ways) or standalone', body: createCapaRequest, response: { 201: capaDetail } } }, async (request, reply) => {
      const { auth, context } = ctxOf(request);
      const detail = await withTransaction(services, auth.actor, context, async (ctx) => presentCapa(ctx.tx, ctx.actor, await createCapa(ctx, request.body), ctx.now));
      return reply.code(201).header('location', `/api/v1/capas/${detail.id}`).send(detail);
    });
    app.get('/api/v1/capas/:id', { schema: { tags, summary: 'A CAPA with its actions, extensions and abilities', params: idParams, response: { 200: capaDetail } } }, async (request) => {
      const { auth } = ctxOf(request);
      return presentCapa(services.db, auth.actor, await readable(services, auth.actor, request.params.id, 'capa', 'CAPA'), now());
    });
    app.patch('/api/v1/capas/:id', { schema: { tags, summary: 'Edit a CAPA (current version and a reason required)', params: idParams, body: updateCapaRequest, response: { 200: capaDetail } } }, async (request) => {
      const { auth, context } = ctxOf(request);
      return withTransaction(services, auth.actor, context, async (ctx) => presentCapa(ctx.tx, ctx.actor, await updateCapa(ctx, request.params.id, request.body), ctx.now));
    });
    app.post('/api/v1/capas/:id/transitions', { schema: { tags, summary: 'Take a CAPA step, signing where required', params: idParams, body: transitionRequest, response: { 200: capaDetail } } }, async (request) => {
      const { auth, context } = ctxOf(request);
      const { signature, ...step } = request.body;
      await readable(services, auth.actor, request.params.id, 'capa', 'CAPA');
      if (signature) await authenticateSigner(services, context, auth, signature);
      return withTransaction(services, auth.actor, context, async (ctx) => presentCapa(ctx.tx, ctx.actor, await transitionCapa(ctx, request.params.id, { ...step, signatureMeaning: signature?.meaning }), ctx.now));
    });
    app.post('/api/v1/capas/:id/actions', { schema: { tags, summary: 'Plan a corrective or preventive action', params: idParams, body: createActionRequest, response: { 201: actionDetail } } }, async (request, reply) => {
      const { auth, context } = ctxOf(request);
      const detail = await withTransaction(services, auth.actor, context, async (ctx) => presentActionDetail(ctx.tx, ctx.actor, await addAction(ctx, request.params.id, request.body), ctx.now));
      return reply.code(201).send(detail);
    });
  }

  // Actions (of CAPAs and changes)
  {
    const tags = ['actions'];
    app.get('/api/v1/actions/:id', { schema: { tags, summary: 'An action with its abilities', params: idParams, response: { 200: actionDetail } } }, async (request) => {
      const { auth } = ctxOf(request);
      return presentActionDetail(services.db, auth.actor, await readable(services, auth.actor, request.params.id, 'action', 'action'), now());
    });
    app.post('/api/v1/actions/:id/transitions', { schema: { tags, summary: 'Complete an action with evidence (signed by its owner) or cancel it', params: idParams, body: transitionRequest, response: { 200: actionDetail } } }, async (request) => {
      const { auth, context } = ctxOf(request);
      const { signature, ...step } = request.body;
      await readable(services, auth.actor, request.params.id, 'action', 'action');
      if (signature) await authenticateSigner(services, context, auth, signature);
      return withTransaction(services, auth.actor, context, async (ctx) =>
        presentActionDetail(ctx.tx, ctx.actor, await transitionAction(ctx, request.params.id, { ...step, signatureMeaning: signature?.meaning }), ctx.now),
      );
    });
  }

  // Change control
  {
    const tags = ['changes'];
    app.get('/api/v1/changes', { schema: { tags, summary: 'List change controls', querystring: listQuery, response: { 200: page(recordSummary) } } }, async (request) =>
      listRecords(services.db, requireAuth(request).actor, changeWorkflow, request.query, now()),
    );
    app.post('/api/v1/changes', { schema: { tags, summary: 'Request a change', body: createChangeRequest, response: { 201: changeDetail } } }, async (request, reply) => {
      const { auth, context } = ctxOf(request);
      const detail = await withTransaction(services, auth.actor, context, async (ctx) => presentChange(ctx.tx, ctx.actor, await createChange(ctx, request.body), ctx.now));
      return reply.code(201).header('location', `/api/v1/changes/${detail.id}`).send(detail);
    });
    app.get('/api/v1/changes/:id', { schema: { tags, summary: 'A change with its approvals, tasks and abilities', params: idParams, response: { 200: changeDetail } } }, async (request) => {
      const { auth } = ctxOf(request);
      return presentChange(services.db, auth.actor, await readable(services, auth.actor, request.params.id, 'change', 'change'), now());
    });
    app.patch('/api/v1/changes/:id', { schema: { tags, summary: 'Edit a change: impacts by area, risk, approvers (current version and a reason required)', params: idParams, body: updateChangeRequest, response: { 200: changeDetail } } }, async (request) => {
      const { auth, context } = ctxOf(request);
      return withTransaction(services, auth.actor, context, async (ctx) => presentChange(ctx.tx, ctx.actor, await updateChange(ctx, request.params.id, request.body), ctx.now));
    });
    app.post('/api/v1/changes/:id/transitions', { schema: { tags, summary: 'Take a change-control step, signing where required', params: idParams, body: transitionRequest, response: { 200: changeDetail } } }, async (request) => {
      const { auth, context } = ctxOf(request);
      const { signature, ...step } = request.body;
      await readable(services, auth.actor, request.params.id, 'change', 'change');
      if (signature) await authenticateSigner(services, context, auth, signature);
      return withTransaction(services, auth.actor, context, async (ctx) => presentChange(ctx.tx, ctx.actor, await transitionChange(ctx, request.params.id, { ...step, signatureMeaning: signature?.meaning }), ctx.now));
    });
    app.post('/api/v1/changes/:id/actions', { schema: { tags, summary: 'Add an implementation task', params: idParams, body: createActionRequest, response: { 201: actionDetail } } }, async (request, reply) => {
      const { auth, context } = ctxOf(request);
      const detail = await withTransaction(services, auth.actor, context, async (ctx) => presentActionDetail(ctx.tx, ctx.actor, await addAction(ctx, request.params.id, request.body), ctx.now));
      return reply.code(201).send(detail);
    });
    app.get('/api/v1/changes/:id/impact', { schema: { tags, summary: 'Change impact: linked documents and who must be trained, open CAPAs, linked records, risk', params: idParams, response: { 200: changeImpactSchema } } }, async (request) => {
      const { auth } = ctxOf(request);
      return changeImpact(services.db, await readable(services, auth.actor, request.params.id, 'change', 'change'));
    });
  }

  // Due-date extensions (any record with a due date) and on-time metrics
  {
    const tags = ['records'];
    const extendable = async (actor: Actor, id: string) => {
      const record = await getRecord(services.db, id);
      if (!record || !['capa', 'change', 'action', 'deviation'].includes(record.type) || (!can(actor, readPermissionOf(record.type), record.site_id) && record.owner_id !== actor.id)) {
        throw new DomainError('NOT_FOUND', 'No such record');
      }
      return record;
    };
    app.get('/api/v1/records/:id/extensions', { schema: { tags, summary: 'Due-date extension requests of a record', params: idParams, response: { 200: z.object({ items: z.array(extension) }) } } }, async (request) => {
      const { auth } = ctxOf(request);
      return { items: await extensionsOf(services.db, (await extendable(auth.actor, request.params.id)).id) };
    });
    app.post('/api/v1/records/:id/extensions', { schema: { tags, summary: 'Request a later due date with a justification', params: idParams, body: extensionRequest, response: { 201: z.object({ items: z.array(extension) }) } } }, async (request, reply) => {
      const { auth, context } = ctxOf(request);
      const record = await extendable(auth.actor, request.params.id);
      const updatePermission = record.type === 'action' ? 'capa:update' : `${record.type}:update`;
      if (record.owner_id !== auth.actor.id && !can(auth.actor, updatePermission, record.site_id)) throw new DomainError('FORBIDDEN', 'Only the owner or an editor may request an extension');
      await withTransaction(services, auth.actor, context, async (ctx) => requestExtension(ctx, await lockRecord(ctx, record.id, record.type), request.body));
      return reply.code(201).send({ items: await extensionsOf(services.db, record.id) });
    });
    app.post('/api/v1/records/:id/extensions/:extensionId/decision', { schema: { tags, summary: 'Approve (signed) or reject a due-date extension', params: extensionParams, body: extensionDecisionRequest, response: { 200: z.object({ items: z.array(extension) }) } } }, async (request) => {
      const { auth, context } = ctxOf(request);
      const record = await extendable(auth.actor, request.params.id);
      const approvePermission = record.type === 'deviation' ? 'deviation:approve' : record.type === 'change' ? 'change:approve' : 'capa:approve';
      if (!can(auth.actor, approvePermission, record.site_id)) throw new DomainError('FORBIDDEN', 'You may not decide extensions here');
      if (request.body.approve && !request.body.signature) throw new DomainError('SIGNATURE_REQUIRED', 'Approving an extension needs your electronic signature', [{ path: 'signature', message: 'is required' }]);
      if (request.body.signature) {
        if (request.body.signature.meaning !== 'approval') throw new DomainError('SIGNATURE_MEANING_INVALID', 'An extension is approved with the meaning "approval"', [{ path: 'signature.meaning', message: 'must be approval' }]);
        await authenticateSigner(services, context, auth, request.body.signature);
      }
      await withTransaction(services, auth.actor, context, (ctx) =>
        decideExtension(ctx, record.id, record.type, request.params.extensionId, { approve: request.body.approve, reason: request.body.reason, signed: Boolean(request.body.signature) }),
      );
      return { items: await extensionsOf(services.db, record.id) };
    });
    app.get('/api/v1/metrics/on-time', { schema: { tags: ['system'], summary: 'On-time closure of CAPAs, changes, actions and deviations (against current and original due dates)', response: { 200: z.object({ items: z.array(onTimeMetricsSchema) }) } } }, async (request) => {
      const { auth } = ctxOf(request);
      if (!can(auth.actor, 'capa:read') && !can(auth.actor, 'audit:read')) throw new DomainError('FORBIDDEN', 'You may not see quality metrics');
      const today = isoDay(now());
      return {
        items: [
          await onTimeMetrics(services.db, 'capa', ['closed', 'cancelled'], 'closed', today),
          await onTimeMetrics(services.db, 'change', ['closed', 'rejected', 'cancelled'], 'closed', today),
          await onTimeMetrics(services.db, 'action', ['done', 'cancelled'], 'done', today),
          await onTimeMetrics(services.db, 'deviation', ['closed', 'cancelled'], 'closed', today),
        ],
      };
    });
  }
}
