import {
  createDocumentRequest, diffQuery, distributionRequest, documentDetail, documentListQuery, documentPage, documentType, evidence, idParams, newRevisionRequest, revisionDetail, revisionDiff,
  transitionRequest, updateDocumentRequest, updateDocumentTypeRequest, updateRevisionRequest,
} from '@verity/contracts';
import {
  type Actor, authenticateSigner, canReadDocument, createDocument, DomainError, diffRevisions, documentTypes, getRecord, listDocuments, presentDocument, presentRevision, readBlob,
  type RecordRow, renderControlledCopy, renderTrainingEvidence, type Services, setDistribution, setOriginal, signaturesOf, startRevision, trainingEvidence, transitionDocument, transitionRevision,
  updateDocument, updateDocumentType, updateRevision, withTransaction,
} from '@verity/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../http/auth.js';

const originalTypes = new Set([
  'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/msword', 'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel', 'text/plain', 'text/markdown', 'image/png', 'image/jpeg',
]);

async function readableRecord(services: Services, actor: Actor, id: string, type: 'document' | 'document_revision'): Promise<RecordRow> {
  const record = await getRecord(services.db, id, type);
  if (!record || !(await canReadDocument(services.db, actor, record))) throw new DomainError('NOT_FOUND', type === 'document' ? 'No such document' : 'No such document revision');
  return record;
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // Cells starting with = + - @ are prefixed so that spreadsheets do not run them as formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
export const csvLine = (values: unknown[]) => `${values.map(csvCell).join(',')}\r\n`;

export async function documentRoutes(appBase: FastifyInstance, { services }: { services: Services }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['documents'];
  const now = () => services.clock.now();

  app.get('/api/v1/document-types', { schema: { tags, summary: 'Document types with numbering prefix, review period, grace, effective gate and retraining', response: { 200: z.object({ items: z.array(documentType) }) } } }, async (request) => {
    requireAuth(request);
    return { items: await documentTypes(services.db) };
  });

  app.patch('/api/v1/document-types/:code', { schema: { tags, summary: 'Change the rules of a document type (document control)', params: z.object({ code: z.string().max(50) }), body: updateDocumentTypeRequest, response: { 200: documentType } } }, async (request) => {
    const auth = requireAuth(request);
    return withTransaction(services, auth.actor, requestContext(request), (ctx) => updateDocumentType(ctx, request.params.code, request.body));
  });

  app.get('/api/v1/documents', { schema: { tags, summary: 'The documents library', querystring: documentListQuery, response: { 200: documentPage } } }, async (request) => {
    const auth = requireAuth(request);
    return listDocuments(services.db, auth.actor, request.query, now());
  });

  app.post('/api/v1/documents', { schema: { tags, summary: 'Create a controlled document with its first draft revision', body: createDocumentRequest, response: { 201: documentDetail } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const detail = await withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentDocument(ctx.tx, ctx.actor, (await createDocument(ctx, request.body)).document, ctx.now));
    return reply.code(201).header('location', `/api/v1/documents/${detail.id}`).send(detail);
  });

  app.get('/api/v1/documents/:id', { schema: { tags, summary: 'A document with its revisions, distribution and training', params: idParams, response: { 200: documentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return presentDocument(services.db, auth.actor, await readableRecord(services, auth.actor, request.params.id, 'document'), now());
  });

  app.patch('/api/v1/documents/:id', { schema: { tags, summary: 'Change confidentiality or the processes the document governs (document control)', params: idParams, body: updateDocumentRequest, response: { 200: documentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentDocument(ctx.tx, ctx.actor, await updateDocument(ctx, request.params.id, request.body), ctx.now));
  });

  app.post('/api/v1/documents/:id/revisions', { schema: { tags, summary: 'Start the next (major or minor) revision', params: idParams, body: newRevisionRequest, response: { 201: revisionDetail } } }, async (request, reply) => {
    const auth = requireAuth(request);
    await readableRecord(services, auth.actor, request.params.id, 'document');
    const detail = await withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentRevision(services, ctx.tx, ctx.actor, await startRevision(ctx, request.params.id, request.body), ctx.now));
    return reply.code(201).header('location', `/api/v1/document-revisions/${detail.id}`).send(detail);
  });

  app.put('/api/v1/documents/:id/distribution', { schema: { tags, summary: 'Set who must read the document; training is assigned to people it newly applies to', params: idParams, body: distributionRequest, response: { 200: documentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentDocument(ctx.tx, ctx.actor, await setDistribution(ctx, request.params.id, request.body), ctx.now));
  });

  app.post('/api/v1/documents/:id/transitions', { schema: { tags, summary: 'Periodic review or make obsolete, signed', params: idParams, body: transitionRequest, response: { 200: documentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    const { signature, ...step } = request.body;
    if (signature) await authenticateSigner(services, requestContext(request), auth, signature);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) =>
      presentDocument(ctx.tx, ctx.actor, await transitionDocument(ctx, request.params.id, { ...step, signatureMeaning: signature?.meaning }), ctx.now),
    );
  });

  app.get('/api/v1/documents/:id/diff', { schema: { tags, summary: 'Line diff of the text of two revisions and their other changed fields', params: idParams, querystring: diffQuery, response: { 200: revisionDiff } } }, async (request) => {
    const auth = requireAuth(request);
    await readableRecord(services, auth.actor, request.params.id, 'document');
    const from = await readableRecord(services, auth.actor, request.query.from, 'document_revision');
    const to = await readableRecord(services, auth.actor, request.query.to, 'document_revision');
    if (from.data.documentId !== request.params.id) throw new DomainError('VALIDATION_FAILED', 'Not a revision of this document', [{ path: 'from', message: 'is a revision of another document' }]);
    return diffRevisions(services.db, auth.actor, from, to);
  });

  app.get('/api/v1/document-revisions/:id', { schema: { tags, summary: 'A revision with review status, signatures, training and abilities', params: idParams, response: { 200: revisionDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return presentRevision(services, services.db, auth.actor, await readableRecord(services, auth.actor, request.params.id, 'document_revision'), now());
  });

  app.patch('/api/v1/document-revisions/:id', { schema: { tags, summary: 'Edit a draft revision (current version and a reason required)', params: idParams, body: updateRevisionRequest, response: { 200: revisionDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) => presentRevision(services, ctx.tx, ctx.actor, await updateRevision(ctx, request.params.id, request.body), ctx.now));
  });

  app.post('/api/v1/document-revisions/:id/transitions', { schema: { tags, summary: 'Send for review, review, request changes, approve (sets effective date and training impact), withdraw', params: idParams, body: transitionRequest, response: { 200: revisionDetail } } }, async (request) => {
    const auth = requireAuth(request);
    const { signature, ...step } = request.body;
    await readableRecord(services, auth.actor, request.params.id, 'document_revision');
    if (signature) await authenticateSigner(services, requestContext(request), auth, signature);
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) =>
      presentRevision(services, ctx.tx, ctx.actor, await transitionRevision(ctx, request.params.id, { ...step, signatureMeaning: signature?.meaning }), ctx.now),
    );
  });

  app.post('/api/v1/document-revisions/:id/original', { schema: { tags, summary: 'Upload the original file of a draft (multipart fields "version" then "file"); stored unchanged by its SHA-256', params: idParams, consumes: ['multipart/form-data'], response: { 200: revisionDetail } } }, async (request) => {
    const auth = requireAuth(request);
    await readableRecord(services, auth.actor, request.params.id, 'document_revision');
    if (!request.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in the field "file"');
    let version: number | undefined;
    let upload: { fileName: string; mediaType: string; bytes: Buffer } | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'field' && part.fieldname === 'version') version = Number(part.value);
      else if (part.type === 'file' && part.fieldname === 'file') {
        const mediaType = part.mimetype.split(';')[0].trim().toLowerCase();
        if (!originalTypes.has(mediaType)) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `Originals of type ${mediaType} are not accepted`, [{ path: 'file', message: 'type not accepted' }]);
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new DomainError('PAYLOAD_TOO_LARGE', 'The file is larger than allowed');
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed from file names on purpose
        upload = { fileName: part.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255) || 'original', mediaType, bytes };
      }
    }
    if (!Number.isInteger(version) || (version as number) < 1) throw new DomainError('VALIDATION_FAILED', 'The version you edited is required', [{ path: 'version', message: 'is required (a positive integer)' }]);
    if (!upload || upload.bytes.length === 0) throw new DomainError('VALIDATION_FAILED', 'No file', [{ path: 'file', message: 'is required and must not be empty' }]);
    const file = upload;
    return withTransaction(services, auth.actor, requestContext(request), async (ctx) =>
      presentRevision(services, ctx.tx, ctx.actor, await setOriginal(ctx, request.params.id, { ...file, version: version as number }), ctx.now),
    );
  });

  app.get('/api/v1/document-revisions/:id/original', { schema: { tags, summary: 'Download the original file of a revision, unchanged', params: idParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    const revision = await readableRecord(services, auth.actor, request.params.id, 'document_revision');
    const original = revision.data.original as { fileName: string; mediaType: string; sha256: string } | null;
    if (!original) throw new DomainError('NOT_FOUND', `${revision.number} has no uploaded original`);
    const bytes = await readBlob(services.files.dir, original.sha256);
    return reply
      .type(original.mediaType)
      .header('content-disposition', `attachment; filename="${encodeURIComponent(original.fileName)}"`)
      .header('x-content-sha256', original.sha256)
      .send(bytes);
  });

  app.get('/api/v1/document-revisions/:id/rendition.pdf', { schema: { tags, summary: 'Controlled PDF rendition: cover, text or original, signature manifestations; marked uncontrolled when printed', params: idParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    const revision = await readableRecord(services, auth.actor, request.params.id, 'document_revision');
    const document = (await getRecord(services.db, revision.data.documentId as string)) as RecordRow;
    const detail = await presentRevision(services, services.db, auth.actor, revision, now());
    const original = revision.data.original as { fileName: string; mediaType: string; sha256: string } | null;
    const pdf = await renderControlledCopy({
      number: document.number,
      title: revision.title,
      versionLabel: revision.data.versionLabel as string,
      typeLabel: detail.typeLabel,
      statusLabel: detail.statusLabel,
      effectiveFrom: detail.effectiveFrom,
      effectiveTo: detail.effectiveTo,
      siteCode: revision.site_code,
      department: detail.department,
      ownerName: revision.owner_name,
      changeSummary: (revision.data.changeSummary as string | null) ?? null,
      body: (revision.data.body as string | null) ?? null,
      original: original ? { ...original, bytes: await readBlob(services.files.dir, original.sha256) } : null,
      signatures: (await signaturesOf(services, services.db, revision, { excludeActions: ['train', 'deliver_training'] })).map((s) => ({ signerName: s.signerName, signedAt: s.signedAt, meaningLabel: s.meaningLabel, manifestation: s.manifestation, valid: s.valid })),
      printedBy: auth.actor.fullName,
      printedAt: now(),
      contentHash: revision.content_hash,
    });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${document.number}-v${revision.data.versionLabel}.pdf"`).header('x-content-sha256', revision.content_hash).send(pdf);
  });

  const evidenceOf = async (request: { params: { id: string } } & Parameters<typeof requireAuth>[0]) => {
    const auth = requireAuth(request);
    await readableRecord(services, auth.actor, request.params.id, 'document_revision');
    return { auth, report: await trainingEvidence(services.db, auth.actor, request.params.id, now()) };
  };
  const fileNameOf = (report: { number: string; versionLabel: string }) => `${report.number}-v${report.versionLabel}-training`;

  app.get('/api/v1/document-revisions/:id/training', { schema: { tags, summary: 'Training evidence for a revision: who, when, how, with what signature', params: idParams, response: { 200: evidence } } }, async (request) => {
    return (await evidenceOf(request)).report;
  });

  app.get('/api/v1/document-revisions/:id/training.csv', { schema: { tags, summary: 'Training evidence for a revision as CSV', params: idParams } }, async (request, reply) => {
    const { report } = await evidenceOf(request);
    const lines = [csvLine(['Name', 'User name', 'Department', 'Status', 'Method', 'Assigned (UTC)', 'Due (UTC)', 'Completed (UTC)', 'Time spent (s)', 'Signature', 'Signature id', 'Signature valid'])];
    for (const r of report.rows) {
      lines.push(csvLine([r.fullName, r.username, r.department, r.status, r.method, r.assignedAt, r.dueAt, r.completedAt, r.timeSpentSeconds, r.signature?.manifestation, r.signature?.id, r.signature ? r.signature.valid : '']));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileNameOf(report)}.csv"`).send(lines.join(''));
  });

  app.get('/api/v1/document-revisions/:id/training.pdf', { schema: { tags, summary: 'Training evidence for a revision as PDF, with every signature manifestation', params: idParams } }, async (request, reply) => {
    const { auth, report } = await evidenceOf(request);
    const pdf = await renderTrainingEvidence({
      number: report.number,
      title: report.title,
      versionLabel: report.versionLabel,
      effectiveFrom: report.effectiveFrom,
      effectiveTo: report.effectiveTo,
      generatedBy: auth.actor.fullName,
      generatedAt: now(),
      summary: report.summary,
      rows: report.rows,
    });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileNameOf(report)}.pdf"`).send(pdf);
  });
}
