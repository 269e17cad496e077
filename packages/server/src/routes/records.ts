import {
  attachment, auditEntry, comment, createCommentRequest, createLinkRequest, idParams, link, signature, trace, versionSnapshot,
} from '@verity/contracts';
import {
  addComment, appendAudit, attachFile, exportRecord, renderRecordPdf, attachmentsOf, auditTrailOf, can, commentsOf, DomainError, getAttachment, getRecord, linkRecords, readPermissionOf, trainingCounts, workflowOf, linksOf, lockRecord, readBlob,
  type RecordRow, type Services, signaturesOf, traceOf, versionsOf, withTransaction,
} from '@verity/core';
import type { Actor } from '@verity/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../http/auth.js';

const items = <T extends z.ZodTypeAny>(schema: T) => z.object({ items: z.array(schema) });

/** The record if the actor may read it; otherwise 404, so outsiders learn nothing of its existence. */
async function readable(services: Services, actor: Actor, id: string): Promise<RecordRow> {
  const record = await getRecord(services.db, id);
  if (!record || !can(actor, readPermissionOf(record.type), record.site_id)) throw new DomainError('NOT_FOUND', 'No such record');
  // Readers at the point of use see the document in force, not its history (drafts, quiz answers).
  const pointOfUse = workflowOf(record.type)?.pointOfUse;
  if (pointOfUse && !pointOfUse.seesAll(actor, record.site_id)) throw new DomainError('NOT_FOUND', 'No such record');
  return record;
}

const allowedUploadTypes = new Set([
  'application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain', 'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/msword', 'application/vnd.ms-excel', 'application/zip', 'application/json', 'application/xml', 'text/xml',
]);

export async function recordRoutes(appBase: FastifyInstance, { services }: { services: Services }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['records'];

  app.get('/api/v1/records/:id/audit-trail', { schema: { tags, summary: 'The audit trail of a record', params: idParams, response: { 200: items(auditEntry) } } }, async (request) => {
    const record = await readable(services, requireAuth(request).actor, request.params.id);
    return { items: await auditTrailOf(services.db, record.id) };
  });

  app.get('/api/v1/records/:id/signatures', { schema: { tags, summary: 'Signatures with their validity and manifestation', params: idParams, response: { 200: items(signature) } } }, async (request) => {
    const record = await readable(services, requireAuth(request).actor, request.params.id);
    return { items: await signaturesOf(services, services.db, record) };
  });

  app.get('/api/v1/records/:id/export', { schema: { tags, summary: 'A signed true copy of the record: content, versions, signatures, audit trail (JSON; verify with /api/v1/instance-key)', params: idParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    const record = await readable(services, auth.actor, request.params.id);
    const copy = await exportRecord(services, auth.actor, record);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${record.number}.json"`)
      .header('x-verity-signature', copy.signature)
      .header('x-verity-key-id', copy.keyId)
      .header('x-content-sha256', copy.digest)
      .send(copy.canonical);
  });

  app.get('/api/v1/records/:id/export.pdf', { schema: { tags, summary: 'The human-readable true copy: fields, signature manifestations, audit trail; marked uncontrolled when printed', params: idParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    const record = await readable(services, auth.actor, request.params.id);
    const copy = await exportRecord(services, auth.actor, record);
    const pdf = await renderRecordPdf(copy.body, copy.digest);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${record.number}.pdf"`).header('x-content-sha256', copy.digest).send(pdf);
  });

  app.get('/api/v1/instance-key', { schema: { tags, summary: "The instance's public signing key (Ed25519, SPKI PEM) to verify exported records offline", response: { 200: z.object({ keyId: z.string(), publicKeyPem: z.string(), algorithm: z.literal('Ed25519') }) } } }, async (request) => {
    requireAuth(request);
    return { keyId: services.key.keyId, publicKeyPem: services.key.publicKeyPem, algorithm: 'Ed25519' as const };
  });

  app.get('/api/v1/records/:id/versions', { schema: { tags, summary: 'Every version of a record', params: idParams, response: { 200: items(versionSnapshot) } } }, async (request) => {
    const record = await readable(services, requireAuth(request).actor, request.params.id);
    return { items: await versionsOf(services.db, record.id) };
  });

  app.get('/api/v1/records/:id/links', { schema: { tags, summary: 'Typed links of a record', params: idParams, response: { 200: items(link) } } }, async (request) => {
    const record = await readable(services, requireAuth(request).actor, request.params.id);
    return { items: await linksOf(services.db, record.id) };
  });

  app.post('/api/v1/records/:id/links', { schema: { tags, summary: 'Link a record to another', params: idParams, body: createLinkRequest, response: { 201: items(link) } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const record = await readable(services, auth.actor, request.params.id);
    if (!can(auth.actor, 'record:link', record.site_id)) throw new DomainError('FORBIDDEN', 'You may not link records here');
    await readable(services, auth.actor, request.body.targetId).catch(() => {
      throw new DomainError('VALIDATION_FAILED', 'No such target record', [{ path: 'targetId', message: 'no such record' }]);
    });
    await withTransaction(services, auth.actor, requestContext(request), async (ctx) => linkRecords(ctx, await lockRecord(ctx, record.id, record.type), request.body.targetId, request.body.type, request.body.reason));
    return reply.code(201).send({ items: await linksOf(services.db, record.id) });
  });

  app.get('/api/v1/records/:id/trace', { schema: { tags, summary: 'The trace graph around a record', params: idParams, response: { 200: trace } } }, async (request) => {
    const auth = requireAuth(request);
    const record = await readable(services, auth.actor, request.params.id);
    const graph = await traceOf(services.db, record.id);
    const visible = await services.db.query<{ id: string; type: string; site_id: string }>('SELECT id, type, site_id FROM record WHERE id = ANY($1::uuid[])', [graph.nodes.map((n) => n.id)]);
    const allowed = new Set(visible.filter((r) => can(auth.actor, readPermissionOf(r.type), r.site_id)).map((r) => r.id));
    const nodes = [];
    for (const node of graph.nodes.filter((n) => allowed.has(n.id))) {
      if (node.type !== 'document_revision' || !['approved', 'effective', 'superseded', 'obsolete'].includes(node.status)) {
        nodes.push(node);
        continue;
      }
      // The loop ends in people trained: each revision in the trace carries its training counts.
      const revision = await getRecord(services.db, node.id);
      nodes.push({ ...node, training: await trainingCounts(services.db, revision?.data.documentId as string, node.id, services.clock.now()) });
    }
    return { nodes, edges: graph.edges.filter((e) => allowed.has(e.from) && allowed.has(e.to)) };
  });

  app.get('/api/v1/records/:id/comments', { schema: { tags, summary: 'Comments on a record', params: idParams, response: { 200: items(comment) } } }, async (request) => {
    const record = await readable(services, requireAuth(request).actor, request.params.id);
    return { items: await commentsOf(services.db, record.id) };
  });

  app.post('/api/v1/records/:id/comments', { schema: { tags, summary: 'Comment on a record', params: idParams, body: createCommentRequest, response: { 201: comment } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const record = await readable(services, auth.actor, request.params.id);
    if (!can(auth.actor, 'record:comment', record.site_id)) throw new DomainError('FORBIDDEN', 'You may not comment here');
    return reply.code(201).send(await withTransaction(services, auth.actor, requestContext(request), async (ctx) => addComment(ctx, await lockRecord(ctx, record.id, record.type), request.body.body)));
  });

  app.get('/api/v1/records/:id/attachments', { schema: { tags, summary: 'Attachments of a record', params: idParams, response: { 200: items(attachment) } } }, async (request) => {
    const record = await readable(services, requireAuth(request).actor, request.params.id);
    return { items: await attachmentsOf(services.db, record.id) };
  });

  app.post('/api/v1/records/:id/attachments', { schema: { tags, summary: 'Attach a file (multipart field "file")', params: idParams, consumes: ['multipart/form-data'], response: { 201: attachment } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const record = await readable(services, auth.actor, request.params.id);
    if (!can(auth.actor, 'record:attach', record.site_id)) throw new DomainError('FORBIDDEN', 'You may not attach files here');
    if (!request.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in the field "file"');
    const file = await request.file();
    if (file?.fieldname !== 'file') throw new DomainError('VALIDATION_FAILED', 'No file', [{ path: 'file', message: 'is required' }]);
    const mediaType = file.mimetype.split(';')[0].trim().toLowerCase();
    if (!allowedUploadTypes.has(mediaType)) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `Files of type ${mediaType} are not accepted`, [{ path: 'file', message: 'type not accepted' }]);
    const bytes = await file.toBuffer();
    if (file.file.truncated) throw new DomainError('PAYLOAD_TOO_LARGE', 'The file is larger than allowed');
    if (bytes.length === 0) throw new DomainError('VALIDATION_FAILED', 'The file is empty', [{ path: 'file', message: 'is empty' }]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed from file names on purpose
    const fileName = file.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255) || 'file';
    const created = await withTransaction(services, auth.actor, requestContext(request), async (ctx) => attachFile(ctx, await lockRecord(ctx, record.id, record.type), { fileName, mediaType, bytes }));
    return reply.code(201).send(created);
  });

  // Records are never deleted (11.10(c)): the attempt is refused and audited on the record.
  for (const url of ['/api/v1/records/:id', '/api/v1/deviations/:id', '/api/v1/documents/:id', '/api/v1/document-revisions/:id', '/api/v1/capas/:id', '/api/v1/changes/:id', '/api/v1/actions/:id']) {
    app.delete(url, { schema: { tags, summary: 'Refused: records are never deleted (cancel or void them with a reason)', params: idParams } }, async (request) => {
      const auth = requireAuth(request);
      const record = await readable(services, auth.actor, request.params.id);
      await withTransaction(services, auth.actor, requestContext(request), (ctx) =>
        appendAudit(ctx, { entityType: record.type, entityId: record.id, action: 'record.delete_refused', reason: 'Records are never deleted' }),
      );
      throw new DomainError('METHOD_NOT_ALLOWED', `${record.number} cannot be deleted: quality records are kept for their whole retention period. Cancel it with a reason instead.`);
    });
  }

  app.get('/api/v1/attachments/:id/content', { schema: { tags, summary: 'Download the original bytes of an attachment', params: idParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    const found = await getAttachment(services.db, request.params.id);
    await readable(services, auth.actor, found.recordId);
    const bytes = await readBlob(services.files.dir, found.sha256);
    return reply
      .type(found.media_type)
      .header('content-disposition', `attachment; filename="${encodeURIComponent(found.file_name)}"`)
      .header('x-content-sha256', found.sha256)
      .send(bytes);
  });
}
