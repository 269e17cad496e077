import {
  assignment, assignmentDetail, completeTrainingRequest, createJobFunctionRequest, idParams, jobFunction, matrixPage, matrixQuery, matrixSummary as matrixSummarySchema, myTraining as myTrainingSchema,
  qualification, qualificationQuery, quizAnswersRequest, quizResult, reasonText, trainingProfile, trainingProfileRequest, trainingSession, trainingSessionRequest,
} from '@verity/contracts';
import {
  answerQuiz, assignmentDetail as detailOf, authenticateSigner, can, completeAssignment, createJobFunction, DomainError, jobFunctions, matrixRows, matrixSummary, myTraining, openAssignment, qualificationAt,
  reassign, recordSession, type Services, setTrainingProfile, trainingMatrix, trainingProfileOf, withTransaction,
} from '@verity/core';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../http/auth.js';
import { csvLine } from './documents.js';

export async function trainingRoutes(appBase: FastifyInstance, { services }: { services: Services }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['training'];
  const now = () => services.clock.now();

  app.get('/api/v1/training/my', { schema: { tags, summary: 'My open and completed training', response: { 200: myTrainingSchema } } }, async (request) => {
    const auth = requireAuth(request);
    return myTraining(services.db, auth.actor, now());
  });

  app.get('/api/v1/training/assignments/:id', { schema: { tags, summary: 'A training assignment with the document to study and the quiz (without answers)', params: idParams, response: { 200: assignmentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    return detailOf(services.db, auth.actor, request.params.id, now());
  });

  app.post('/api/v1/training/assignments/:id/open', { schema: { tags, summary: 'The trainee opened the document (starts the server-side time measure)', params: idParams, response: { 200: assignmentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    await withTransaction(services, auth.actor, requestContext(request), (ctx) => openAssignment(ctx, request.params.id));
    return detailOf(services.db, auth.actor, request.params.id, now());
  });

  app.post('/api/v1/training/assignments/:id/quiz', { schema: { tags, summary: 'Answer the quiz; graded on the server', params: idParams, body: quizAnswersRequest, response: { 200: quizResult } } }, async (request) => {
    const auth = requireAuth(request);
    return withTransaction(services, auth.actor, requestContext(request), (ctx) => answerQuiz(ctx, request.params.id, request.body.answers));
  });

  app.post('/api/v1/training/assignments/:id/complete', { schema: { tags, summary: 'Complete training with the e-signature "Read and understood"', params: idParams, body: completeTrainingRequest, response: { 200: assignmentDetail } } }, async (request) => {
    const auth = requireAuth(request);
    await detailOf(services.db, auth.actor, request.params.id, now());
    if (request.body.signature.meaning !== 'read_understood') {
      throw new DomainError('SIGNATURE_MEANING_INVALID', 'Training is signed with the meaning "read_understood"', [{ path: 'signature.meaning', message: 'must be read_understood' }]);
    }
    await authenticateSigner(services, requestContext(request), auth, request.body.signature);
    await withTransaction(services, auth.actor, requestContext(request), (ctx) => completeAssignment(ctx, request.params.id, request.body));
    return detailOf(services.db, auth.actor, request.params.id, now());
  });

  app.post('/api/v1/training/assignments/:id/reassign', { schema: { tags, summary: 'Give failed training (quiz attempts used up) a new attempt', params: idParams, body: z.object({ reason: reasonText }).strict(), response: { 201: assignment.pick({ id: true }) } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const row = await withTransaction(services, auth.actor, requestContext(request), (ctx) => reassign(ctx, request.params.id, request.body.reason));
    return reply.code(201).send({ id: row.id });
  });

  app.post('/api/v1/training/sessions', { schema: { tags, summary: 'Record an instructor-led session; the trainer signs "Training delivered" and attendees are trained', body: trainingSessionRequest, response: { 201: trainingSession } } }, async (request, reply) => {
    const auth = requireAuth(request);
    const { signature, ...session } = request.body;
    if (signature.meaning !== 'training_delivered') {
      throw new DomainError('SIGNATURE_MEANING_INVALID', 'A session is signed with the meaning "training_delivered"', [{ path: 'signature.meaning', message: 'must be training_delivered' }]);
    }
    if (!can(auth.actor, 'training:deliver')) throw new DomainError('FORBIDDEN', 'You may not record training sessions');
    await authenticateSigner(services, requestContext(request), auth, signature);
    return reply.code(201).send(await withTransaction(services, auth.actor, requestContext(request), (ctx) => recordSession(ctx, session)));
  });

  app.get('/api/v1/training/matrix', { schema: { tags, summary: 'Training matrix: a page of people x the documents they need', querystring: matrixQuery, response: { 200: matrixPage } } }, async (request) => {
    const auth = requireAuth(request);
    return trainingMatrix(services.db, auth.actor, request.query, now());
  });

  app.get('/api/v1/training/matrix/summary', { schema: { tags, summary: 'Counts of matrix cells by status for the filter', querystring: matrixQuery, response: { 200: matrixSummarySchema } } }, async (request) => {
    const auth = requireAuth(request);
    return matrixSummary(services.db, auth.actor, request.query, now());
  });

  const exportColumns = ['Name', 'User name', 'Department', 'Document', 'Title', 'Version', 'Status', 'Due (UTC)', 'Completed (UTC)'];

  app.get('/api/v1/training/matrix.csv', { schema: { tags, summary: 'The whole training matrix for the filter as CSV (one row per person and document)', querystring: matrixQuery } }, async (request, reply) => {
    const auth = requireAuth(request);
    const lines = [csvLine(exportColumns)];
    for await (const { person, document, cell } of matrixRows(services.db, auth.actor, request.query, now())) {
      lines.push(csvLine([person.fullName, person.username, person.department, document.number, document.title, cell.versionLabel, cell.status, cell.dueAt, cell.completedAt]));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="training-matrix.csv"').send(lines.join(''));
  });

  app.get('/api/v1/training/matrix.xlsx', { schema: { tags, summary: 'The whole training matrix for the filter as an Excel workbook (matrix sheet and detail sheet)', querystring: matrixQuery } }, async (request, reply) => {
    const auth = requireAuth(request);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Verity';
    workbook.created = now();
    const detail = workbook.addWorksheet('Detail');
    detail.addRow(exportColumns).font = { bold: true };
    const people = new Map<string, { name: string; department: string | null; cells: Map<string, string> }>();
    const documents = new Map<string, string>();
    for await (const { person, document, cell } of matrixRows(services.db, auth.actor, request.query, now())) {
      detail.addRow([person.fullName, person.username, person.department, document.number, document.title, cell.versionLabel, cell.status, cell.dueAt, cell.completedAt]);
      documents.set(document.number, document.title);
      const row = people.get(person.id) ?? { name: person.fullName, department: person.department, cells: new Map() };
      row.cells.set(document.number, cell.status);
      people.set(person.id, row);
    }
    const numbers = [...documents.keys()].sort();
    const matrix = workbook.addWorksheet('Matrix', { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
    matrix.addRow(['Name', 'Department', ...numbers]).font = { bold: true };
    for (const person of people.values()) matrix.addRow([person.name, person.department, ...numbers.map((n) => person.cells.get(n) ?? '')]);
    workbook.views = [{ x: 0, y: 0, width: 10000, height: 20000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="training-matrix.xlsx"')
      .send(buffer);
  });

  app.get('/api/v1/training/qualification', { schema: { tags, summary: 'Was (or is) this person qualified for this document at a moment? From the training ledger', querystring: qualificationQuery, response: { 200: qualification } } }, async (request) => {
    const auth = requireAuth(request);
    return qualificationAt(services.db, auth.actor, request.query, now());
  });

  app.get('/api/v1/job-functions', { schema: { tags, summary: 'Job functions with their curricula (documents distributed to them)', response: { 200: z.object({ items: z.array(jobFunction) }) } } }, async (request) => {
    requireAuth(request);
    return { items: await jobFunctions(services.db) };
  });

  app.post('/api/v1/job-functions', { schema: { tags, summary: 'Create a job function', body: createJobFunctionRequest, response: { 201: jobFunction } } }, async (request, reply) => {
    const auth = requireAuth(request);
    return reply.code(201).send(await withTransaction(services, auth.actor, requestContext(request), (ctx) => createJobFunction(ctx, request.body)));
  });

  app.get('/api/v1/users/:id/training-profile', { schema: { tags, summary: "A person's department, manager and job functions", params: idParams, response: { 200: trainingProfile } } }, async (request) => {
    const auth = requireAuth(request);
    if (request.params.id !== auth.actor.id && !can(auth.actor, 'training:read') && !can(auth.actor, 'user:manage')) throw new DomainError('NOT_FOUND', 'No such person');
    return trainingProfileOf(services.db, request.params.id);
  });

  app.put('/api/v1/users/:id/training-profile', { schema: { tags, summary: "Set a person's department, manager and job functions; training is assigned for documents that now apply", params: idParams, body: trainingProfileRequest, response: { 200: trainingProfile } } }, async (request) => {
    const auth = requireAuth(request);
    await withTransaction(services, auth.actor, requestContext(request), (ctx) => setTrainingProfile(ctx, request.params.id, request.body));
    return trainingProfileOf(services.db, request.params.id);
  });
}
