import { createDeviationRequest, deviationDetail, idParams, listQuery, page, recordSummary, transitionRequest, updateDeviationRequest } from '@verity/contracts';
import {
  authenticateSigner, canReadDeviation, createDeviation, DomainError, deviationWorkflow, getRecord, listRecords, presentDeviation, type Services, transitionDeviation, updateDeviation, withTransaction,
} from '@verity/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestContext, requireAuth } from '../http/auth.js';

export async function deviationRoutes(appBase: FastifyInstance, { services }: { services: Services }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['deviations'];

  app.get('/api/v1/deviations', { schema: { tags, summary: 'List deviations', querystring: listQuery, response: { 200: page(recordSummary) } } }, async (request) => {
    const auth = requireAuth(request);
    return listRecords(services.db, auth.actor, deviationWorkflow, request.query, services.clock.now());
  });

  app.post('/api/v1/deviations', { schema: { tags, summary: 'Report a deviation', body: createDeviationRequest, response: { 201: deviationDetail } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const detail = await withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentDeviation(ctx.tx, ctx.actor, await createDeviation(ctx, request.body), ctx.now));
    return reply.code(201).header('location', `/api/v1/deviations/${detail.id}`).send(detail);
  });

  app.get('/api/v1/deviations/:id', { schema: { tags, summary: 'A deviation with its abilities', params: idParams, response: { 200: deviationDetail } } }, async (request) => {
    const auth = requireAuth(request);
    const record = await getRecord(services.db, request.params.id, 'deviation');
    if (!record || !canReadDeviation(auth.actor, record)) throw new DomainError('NOT_FOUND', 'No such deviation');
    return presentDeviation(services.db, auth.actor, record, services.clock.now());
  });

  app.patch('/api/v1/deviations/:id', { schema: { tags, summary: 'Edit a deviation (current version required)', params: idParams, body: updateDeviationRequest, response: { 200: deviationDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentDeviation(ctx.tx, ctx.actor, await updateDeviation(ctx, request.params.id, request.body), ctx.now));
  });

  app.post('/api/v1/deviations/:id/transitions', { schema: { tags, summary: 'Take a workflow step, signing where required', params: idParams, body: transitionRequest, response: { 200: deviationDetail } } }, async (request) => {
    const auth = requireAuth(request);
    const { signature, ...step } = request.body;
    if (signature) await authenticateSigner(services, requestContext(request), auth, signature);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) =>
      presentDeviation(ctx.tx, ctx.actor, await transitionDeviation(ctx, request.params.id, { ...step, signatureMeaning: signature?.meaning }), ctx.now),
    );
  });
}
