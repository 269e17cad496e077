import { randomUUID } from 'node:crypto';
import type { Quiz } from '@verity/contracts';
import type { Ctx } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { sqlState } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can } from '../../identity/access.js';
import { appendAudit } from '../../kernel/audit.js';
import { getRecord, type RecordRow } from '../../kernel/records.js';
import { applySignature } from '../../kernel/signatures.js';
import { documentType } from '../documents/types.js';
import { refreshTrainingOf } from './assign.js';

export interface AssignmentRow {
  id: string;
  user_id: string;
  document_id: string;
  revision_id: string;
  reason: string;
  status: 'open' | 'completed' | 'failed' | 'superseded';
  current: boolean;
  assigned_at: Date;
  due_at: Date;
  opened_at: Date | null;
  completed_at: Date | null;
  method: string | null;
  signature_id: string | null;
  time_spent_seconds: number | null;
  attempts: number;
  expires_at: Date | null;
  last_reminded_at: Date | null;
  escalated_at: Date | null;
  version: number;
}

async function lockAssignment(ctx: Ctx, id: string): Promise<AssignmentRow> {
  const [row] = await ctx.tx.query<AssignmentRow>('SELECT * FROM training_assignment WHERE id = $1 FOR UPDATE', [id]);
  if (!row || (row.user_id !== ctx.actor.id && !can(ctx.actor, 'training:read'))) throw new DomainError('NOT_FOUND', 'No such training assignment');
  return row;
}

async function ownOpenAssignment(ctx: Ctx, id: string, version?: number): Promise<{ assignment: AssignmentRow; revision: RecordRow }> {
  const assignment = await lockAssignment(ctx, id);
  if (assignment.user_id !== ctx.actor.id) throw new DomainError('FORBIDDEN', 'Only the trainee can complete their own training');
  if (assignment.status !== 'open') throw new DomainError('INVALID_TRANSITION', `This training is ${assignment.status}`);
  if (version !== undefined && version !== assignment.version) throw new DomainError('VERSION_CONFLICT', 'This training assignment changed since you opened it; reload', [{ path: 'version', message: 'is stale' }]);
  const revision = (await getRecord(ctx.tx, assignment.revision_id)) as RecordRow;
  return { assignment, revision };
}

async function ledger(ctx: Ctx, a: AssignmentRow, event: string, details: Record<string, unknown> = {}, signatureId: string | null = null): Promise<void> {
  await ctx.tx.query(
    'INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, actor_id, signature_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [a.id, a.user_id, a.document_id, a.revision_id, event, ctx.now, ctx.actor.id, signatureId, JSON.stringify(details)],
  );
}

/** The trainee opened the document: the server's own measure of time spent starts here. */
export async function openAssignment(ctx: Ctx, id: string): Promise<AssignmentRow> {
  const { assignment } = await ownOpenAssignment(ctx, id);
  if (assignment.opened_at) return assignment;
  const [row] = await ctx.tx.query<AssignmentRow>('UPDATE training_assignment SET opened_at = $2, version = version + 1 WHERE id = $1 RETURNING *', [id, ctx.now]);
  await ledger(ctx, row, 'opened');
  await appendAudit(ctx, { entityType: 'training_assignment', entityId: id, action: 'training.opened', changes: [{ field: 'openedAt', old: null, new: ctx.now.toISOString() }] });
  return row;
}

/** Whether the quiz of this assignment was passed since it was assigned. */
async function quizPassed(db: Queryable, assignmentId: string): Promise<boolean> {
  const [row] = await db.query("SELECT 1 FROM training_ledger WHERE assignment_id = $1 AND event = 'quiz_passed' LIMIT 1", [assignmentId]);
  return Boolean(row);
}

/** Grades a quiz attempt on the server; the last allowed failed attempt fails the assignment until it is re-assigned. */
export async function answerQuiz(ctx: Ctx, id: string, answers: number[]) {
  const { assignment, revision } = await ownOpenAssignment(ctx, id);
  const quiz = revision.data.quiz as Quiz | null;
  if (revision.data.trainingMethod !== 'quiz' || !quiz) throw new DomainError('INVALID_TRANSITION', 'This training has no quiz');
  if (await quizPassed(ctx.tx, id)) throw new DomainError('INVALID_TRANSITION', 'The quiz is passed already; sign your training');
  if (answers.length !== quiz.questions.length) throw new DomainError('VALIDATION_FAILED', `Answer all ${quiz.questions.length} questions`, [{ path: 'answers', message: `must have ${quiz.questions.length} answers` }]);
  const correct = quiz.questions.filter((q, i) => q.correctIndex === answers[i]).length;
  const scorePercent = Math.round((correct * 100) / quiz.questions.length);
  const passed = scorePercent >= quiz.passMarkPercent;
  const attempts = assignment.attempts + 1;
  const status = !passed && attempts >= quiz.maxAttempts ? 'failed' : 'open';
  const [row] = await ctx.tx.query<AssignmentRow>('UPDATE training_assignment SET attempts = $2, status = $3, version = version + 1 WHERE id = $1 RETURNING *', [id, attempts, status]);
  await ledger(ctx, row, passed ? 'quiz_passed' : 'quiz_failed', { scorePercent, attempt: attempts, answers });
  await appendAudit(ctx, {
    entityType: 'training_assignment',
    entityId: id,
    action: 'training.quiz_attempted',
    changes: [{ field: 'quiz', old: null, new: { attempt: attempts, scorePercent, passed } }, ...(status === 'failed' ? [{ field: 'status', old: 'open', new: 'failed' }] : [])],
  });
  return { scorePercent, passed, attempts, attemptsLeft: Math.max(quiz.maxAttempts - attempts, 0), status };
}

/**
 * Completes training with the trainee's e-signature "Read and understood", bound to the content
 * hash of the revision trained on. Time spent is recorded both as the page measured it and as
 * the server saw it (from opening to signing).
 */
export async function completeAssignment(ctx: Ctx, id: string, input: { version: number; timeSpentSeconds?: number }): Promise<AssignmentRow> {
  const { assignment, revision } = await ownOpenAssignment(ctx, id, input.version);
  if (revision.data.trainingMethod === 'instructor_led') throw new DomainError('INVALID_TRANSITION', 'This training is instructor-led: the trainer records your attendance');
  if (revision.data.trainingMethod === 'quiz' && !(await quizPassed(ctx.tx, id))) throw new DomainError('GUARD_FAILED', 'Pass the quiz before signing', [{ path: 'quiz', message: 'not passed yet' }]);
  if (!can(ctx.actor, 'sign:read_understood')) throw new DomainError('FORBIDDEN', 'Your roles do not allow you to sign training');
  const signatureId = await applySignature(ctx, revision, 'read_understood', 'train');
  const serverSeconds = assignment.opened_at ? Math.round((ctx.now.getTime() - assignment.opened_at.getTime()) / 1000) : null;
  const expiresAt = await expiryOf(ctx, revision);
  const [row] = await ctx.tx.query<AssignmentRow>(
    `UPDATE training_assignment SET status = 'completed', completed_at = $2, method = $3, signature_id = $4, time_spent_seconds = $5, expires_at = $6, version = version + 1
      WHERE id = $1 RETURNING *`,
    [id, ctx.now, revision.data.trainingMethod, signatureId, input.timeSpentSeconds ?? serverSeconds, expiresAt],
  );
  await ledger(ctx, row, 'completed', { method: row.method, timeSpentSeconds: input.timeSpentSeconds ?? null, serverSeconds, contentHash: revision.content_hash, version: revision.version }, signatureId);
  await appendAudit(ctx, {
    entityType: 'training_assignment',
    entityId: id,
    action: 'training.completed',
    changes: [{ field: 'status', old: 'open', new: 'completed' }],
    details: { revisionId: revision.id, number: revision.number, signatureId, method: row.method, timeSpentSeconds: row.time_spent_seconds, serverSeconds },
  });
  return row;
}

async function expiryOf(ctx: Ctx, revision: RecordRow): Promise<Date | null> {
  const type = await documentType(ctx.tx, revision.data.docType as string);
  if (!type.retrainingMonths) return null;
  const expires = new Date(ctx.now);
  expires.setUTCMonth(expires.getUTCMonth() + type.retrainingMonths);
  return expires;
}

/**
 * An instructor-led session: the trainer signs "Training delivered" on the revision taught, and
 * the open training of each attendee on that revision is completed by the session.
 */
export async function recordSession(ctx: Ctx, input: { revisionId: string; heldAt: string; durationMinutes: number; location?: string; notes?: string; attendeeIds: string[] }) {
  const revision = await getRecord(ctx.tx, input.revisionId, 'document_revision');
  if (!revision) throw new DomainError('VALIDATION_FAILED', 'No such document revision', [{ path: 'revisionId', message: 'no such revision' }]);
  if (!can(ctx.actor, 'training:deliver', revision.site_id) || !can(ctx.actor, 'sign:training_delivered', revision.site_id)) throw new DomainError('FORBIDDEN', 'You may not record training sessions here');
  if (!['approved', 'effective'].includes(revision.status)) throw new DomainError('INVALID_TRANSITION', `Training is given on approved or effective revisions; ${revision.number} is ${revision.status}`);
  if (Date.parse(input.heldAt) > ctx.now.getTime() + 5 * 60_000) throw new DomainError('VALIDATION_FAILED', 'The session cannot be in the future', [{ path: 'heldAt', message: 'is in the future' }]);
  const attendees = [...new Set(input.attendeeIds)];
  if (attendees.includes(ctx.actor.id as string)) throw new DomainError('VALIDATION_FAILED', 'The trainer cannot sign their own attendance', [{ path: 'attendeeIds', message: 'includes the trainer' }]);
  const open = await ctx.tx.query<AssignmentRow>("SELECT * FROM training_assignment WHERE revision_id = $1 AND status = 'open' AND user_id = ANY($2::uuid[]) FOR UPDATE", [revision.id, attendees]);
  const missing = attendees.filter((id) => !open.some((a) => a.user_id === id));
  if (missing.length > 0) {
    throw new DomainError('VALIDATION_FAILED', `${missing.length} attendee(s) have no open training on ${revision.number}`, [{ path: 'attendeeIds', message: `no open training for ${missing.join(', ')}` }]);
  }
  const signatureId = await applySignature(ctx, revision, 'training_delivered', 'deliver_training');
  const id = randomUUID();
  await ctx.tx.query('INSERT INTO training_session (id, revision_id, trainer_id, held_at, duration_minutes, location, notes, signature_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
    id, revision.id, ctx.actor.id, input.heldAt, input.durationMinutes, input.location || null, input.notes || null, signatureId, ctx.now,
  ]);
  const expiresAt = await expiryOf(ctx, revision);
  for (const a of open) {
    await ctx.tx.query('INSERT INTO training_session_attendee (session_id, user_id) VALUES ($1, $2)', [id, a.user_id]);
    const [row] = await ctx.tx.query<AssignmentRow>(
      `UPDATE training_assignment SET status = 'completed', completed_at = $2, method = 'instructor_led', signature_id = $3, time_spent_seconds = $4, expires_at = $5, version = version + 1 WHERE id = $1 RETURNING *`,
      [a.id, ctx.now, signatureId, input.durationMinutes * 60, expiresAt],
    );
    await ledger(ctx, row, 'completed', { method: 'instructor_led', sessionId: id, heldAt: input.heldAt }, signatureId);
  }
  await appendAudit(ctx, {
    entityType: 'document_revision',
    entityId: revision.id,
    action: 'training.session_recorded',
    changes: [{ field: 'trainingSession', old: null, new: { heldAt: input.heldAt, durationMinutes: input.durationMinutes, attendees: attendees.length } }],
    details: { sessionId: id, signatureId, attendeeIds: attendees },
  });
  return { id, revisionId: revision.id, trainerName: ctx.actor.fullName, heldAt: new Date(input.heldAt).toISOString(), durationMinutes: input.durationMinutes, attendees: attendees.length, completed: open.length };
}

/** Re-opens failed training (quiz attempts used up) as a new assignment, by a training manager. */
export async function reassign(ctx: Ctx, id: string, reason: string): Promise<AssignmentRow> {
  const assignment = await lockAssignment(ctx, id);
  if (!can(ctx.actor, 'training:manage')) throw new DomainError('FORBIDDEN', 'Only training managers may re-assign training');
  if (assignment.status !== 'failed') throw new DomainError('INVALID_TRANSITION', 'Only failed training is re-assigned');
  await ctx.tx.query("UPDATE training_assignment SET status = 'superseded', current = false, closed_at = $2, version = version + 1 WHERE id = $1", [id, ctx.now]);
  await ledger(ctx, assignment, 'superseded', { reason });
  const newId = randomUUID();
  const [row] = await ctx.tx.query<AssignmentRow>(
    `INSERT INTO training_assignment (id, user_id, document_id, revision_id, reason, status, current, assigned_at, due_at) VALUES ($1, $2, $3, $4, 'retake', 'open', true, $5, $6) RETURNING *`,
    [newId, assignment.user_id, assignment.document_id, assignment.revision_id, ctx.now, new Date(ctx.now.getTime() + 14 * 86400_000)],
  );
  await ledger(ctx, row, 'assigned', { reason: 'retake', previous: id });
  await appendAudit(ctx, { entityType: 'training_assignment', entityId: newId, action: 'training.assigned', reason, changes: [{ field: 'status', old: null, new: 'open' }], details: { previous: id } });
  return row;
}

/** Creates a job function (a curriculum is the set of documents distributed to it). */
export async function createJobFunction(ctx: Ctx, input: { code: string; name: string }) {
  if (!can(ctx.actor, 'document:manage') && !can(ctx.actor, 'training:manage')) throw new DomainError('FORBIDDEN', 'Only document control or training managers may create job functions');
  const id = randomUUID();
  try {
    await ctx.tx.query('INSERT INTO job_function (id, code, name, created_at) VALUES ($1, $2, $3, $4)', [id, input.code, input.name, ctx.now]);
  } catch (error) {
    if (sqlState(error) === '23505') throw new DomainError('DUPLICATE', `The job function ${input.code} exists already`, [{ path: 'code', message: 'already exists' }]);
    throw error;
  }
  await appendAudit(ctx, { entityType: 'job_function', entityId: id, action: 'job_function.created', changes: [{ field: 'code', old: null, new: input.code }, { field: 'name', old: null, new: input.name }] });
  return { id, code: input.code, name: input.name, people: 0, documents: [] };
}

/**
 * Sets a person's department, manager and job functions. Documents that now apply to them are
 * assigned at once (new hire, role change); open training that no longer applies is superseded.
 */
export async function setTrainingProfile(ctx: Ctx, userId: string, input: { reason: string; department: string | null; managerId: string | null; jobFunctionIds: string[] }) {
  if (!can(ctx.actor, 'training:manage') && !can(ctx.actor, 'user:manage')) throw new DomainError('FORBIDDEN', "Only training managers or administrators may change a person's training profile");
  const [user] = await ctx.tx.query<{ id: string; department: string | null; manager_id: string | null }>('SELECT id, department, manager_id FROM app_user WHERE id = $1 FOR UPDATE', [userId]);
  if (!user) throw new DomainError('NOT_FOUND', 'No such person');
  if (input.managerId === userId) throw new DomainError('VALIDATION_FAILED', 'A person cannot be their own manager', [{ path: 'managerId', message: 'is the person' }]);
  if (input.managerId && (await ctx.tx.query('SELECT 1 FROM app_user WHERE id = $1', [input.managerId])).length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'No such manager', [{ path: 'managerId', message: 'no such person' }]);
  }
  const functions = [...new Set(input.jobFunctionIds)].sort();
  if ((await ctx.tx.query('SELECT id FROM job_function WHERE id = ANY($1::uuid[])', [functions])).length !== functions.length) {
    throw new DomainError('VALIDATION_FAILED', 'Unknown job function', [{ path: 'jobFunctionIds', message: 'contains an unknown job function' }]);
  }
  const before = (await ctx.tx.query<{ job_function_id: string }>('SELECT job_function_id FROM user_job_function WHERE user_id = $1 ORDER BY job_function_id', [userId])).map((r) => r.job_function_id);
  const changes = [
    ...(user.department !== input.department ? [{ field: 'department', old: user.department, new: input.department }] : []),
    ...(user.manager_id !== input.managerId ? [{ field: 'managerId', old: user.manager_id, new: input.managerId }] : []),
    ...(before.join() !== functions.join() ? [{ field: 'jobFunctionIds', old: before, new: functions }] : []),
  ];
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'reason', message: 'no field differs from the current values' }]);
  await ctx.tx.query('UPDATE app_user SET department = $2, manager_id = $3, version = version + 1 WHERE id = $1', [userId, input.department, input.managerId]);
  await ctx.tx.query('DELETE FROM user_job_function WHERE user_id = $1', [userId]);
  for (const f of functions) await ctx.tx.query('INSERT INTO user_job_function (user_id, job_function_id) VALUES ($1, $2)', [userId, f]);
  await appendAudit(ctx, { entityType: 'user', entityId: userId, action: 'training.profile_changed', reason: input.reason, changes });
  return refreshTrainingOf(ctx, userId);
}
