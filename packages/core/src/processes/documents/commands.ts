import { randomUUID } from 'node:crypto';
import type { createDocumentRequest, Distribution, SignatureMeaning, updateRevisionRequest } from '@verity/contracts';
import { updateRevisionRequest as updateRevisionSchema } from '@verity/contracts';
import type { z } from 'zod';
import { type Actor, type Ctx, systemActor, type Services, withTransaction } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can } from '../../identity/access.js';
import { storeBlob } from '../../kernel/attachments.js';
import { linkRecords } from '../../kernel/links.js';
import { applyChange, createRecord, getRecord, lockRecord, type RecordRow } from '../../kernel/records.js';
import { applySignature } from '../../kernel/signatures.js';
import { applySystemTransition, applyTransition } from '../../kernel/workflow.js';
import { refreshNeeds, syncAssignments, trainingCounts } from '../training/assign.js';
import { documentType } from './types.js';
import { documentWorkflow, revisionWorkflow, seesAllVersions } from './workflow.js';

export const emptyDistribution: Distribution = { roles: [], jobFunctionIds: [], departments: [], userIds: [] };

/** Whether the actor may read a document or revision: authors and reviewers all of it, readers what is effective, trainees what they train on. */
export async function canReadDocument(db: Queryable, actor: Actor, record: RecordRow): Promise<boolean> {
  if (seesAllVersions(actor, record.site_id)) return true;
  if (can(actor, 'document:read', record.site_id) && record.status === 'effective') return true;
  if (!actor.id) return false;
  const documentId = record.type === 'document' ? record.id : (record.data.documentId as string);
  const [row] = await db.query('SELECT 1 FROM training_assignment WHERE user_id = $1 AND document_id = $2 LIMIT 1', [actor.id, documentId]);
  return Boolean(row);
}

/** The revisions of a document, newest first. */
export async function revisionsOf(db: Queryable, documentId: string): Promise<RecordRow[]> {
  return db.query<RecordRow>(
    `SELECT r.id, r.type, r.number, r.site_id, s.code AS site_code, r.title, r.status, r.owner_id, u.full_name AS owner_name,
            r.due_date, r.data, r.version, r.content_hash, r.created_by, r.created_at, r.updated_at
       FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id
      WHERE r.type = 'document_revision' AND r.data->>'documentId' = $1
      ORDER BY (r.data->>'major')::int DESC, (r.data->>'minor')::int DESC`,
    [documentId],
  );
}

/** Draws the next number of a type and department: SOP-QA-001 (gapless, never reused). */
async function nextDocumentNumber(ctx: Ctx, prefix: string, department: string): Promise<string> {
  const [row] = await ctx.tx.query<{ last: number }>(
    `INSERT INTO number_sequence (prefix, site_code, year, last) VALUES ($1, $2, 0, 1)
     ON CONFLICT (prefix, site_code, year) DO UPDATE SET last = number_sequence.last + 1 RETURNING last`,
    [`DOC-${prefix}`, department],
  );
  return `${prefix}-${department}-${String(row.last).padStart(3, '0')}`;
}

function revisionData(document: RecordRow, label: { major: number; minor: number }, changeType: 'initial' | 'major' | 'minor', changeSummary: string | null, from?: RecordRow) {
  return {
    documentId: document.id,
    documentNumber: document.number,
    docType: document.data.docType,
    versionLabel: `${label.major}.${label.minor}`,
    major: label.major,
    minor: label.minor,
    changeType,
    changeSummary,
    body: (from?.data.body as string | null) ?? null,
    original: from?.data.original ?? null,
    reviewerIds: from?.data.reviewerIds ?? [],
    effectiveAt: null,
    trainingImpact: null,
    trainingImpactJustification: null,
    changedSections: [],
    gracePeriodDays: null,
    trainingMethod: from?.data.trainingMethod ?? 'read',
    quiz: from?.data.quiz ?? null,
  };
}

async function createRevision(ctx: Ctx, document: RecordRow, data: ReturnType<typeof revisionData>, title: string): Promise<RecordRow> {
  const revision = await createRecord(ctx, {
    type: revisionWorkflow.type,
    prefix: revisionWorkflow.numberPrefix,
    number: `${document.number} v${data.versionLabel}`,
    siteId: document.site_id,
    siteCode: document.site_code,
    title,
    status: revisionWorkflow.initial,
    ownerId: ctx.actor.id as string,
    dueDate: null,
    data,
  });
  await linkRecords(ctx, revision, document.id, 'revises');
  return revision;
}

/** A new controlled document with its first draft revision (1.0). */
export async function createDocument(ctx: Ctx, input: z.infer<typeof createDocumentRequest>): Promise<{ document: RecordRow; revision: RecordRow }> {
  const [site] = await ctx.tx.query<{ id: string; code: string }>('SELECT id, code FROM site WHERE code = $1', [input.siteCode]);
  if (!site) throw new DomainError('VALIDATION_FAILED', `No site ${input.siteCode}`, [{ path: 'siteCode', message: 'no such site' }]);
  if (!can(ctx.actor, 'document:create', site.id)) throw new DomainError('FORBIDDEN', `You may not create documents at site ${site.code}`);
  const type = await documentType(ctx.tx, input.docType);
  const document = await createRecord(ctx, {
    type: documentWorkflow.type,
    prefix: type.prefix,
    number: await nextDocumentNumber(ctx, type.prefix, input.department),
    siteId: site.id,
    siteCode: site.code,
    title: input.title,
    status: documentWorkflow.initial,
    ownerId: ctx.actor.id as string,
    dueDate: null,
    data: {
      docType: type.code,
      department: input.department,
      confidentiality: input.confidentiality,
      distribution: emptyDistribution,
      governs: [],
      currentRevisionId: null,
      currentVersionLabel: null,
      effectiveFrom: null,
      lastReviewedAt: null,
      lastReviewOutcome: null,
      reviewComment: null,
    },
  });
  const data = { ...revisionData(document, { major: 1, minor: 0 }, 'initial', input.changeSummary || 'New document'), body: input.body || null };
  const revision = await createRevision(ctx, document, data, input.title);
  return { document, revision };
}

/** Starts the next revision of a document: a major (content) or minor (editorial) change, drafted from the newest one. */
export async function startRevision(ctx: Ctx, documentId: string, input: { changeType: 'major' | 'minor'; changeSummary: string }): Promise<RecordRow> {
  const document = await lockRecord(ctx, documentId, documentWorkflow.type);
  if (!can(ctx.actor, 'document:create', document.site_id)) throw new DomainError('FORBIDDEN', `You may not revise documents at site ${document.site_code}`);
  if (document.status === 'obsolete') throw new DomainError('INVALID_TRANSITION', `${document.number} is obsolete`);
  const revisions = await revisionsOf(ctx.tx, document.id);
  const open = revisions.find((r) => ['draft', 'in_review', 'approved'].includes(r.status));
  if (open) throw new DomainError('INVALID_TRANSITION', `${open.number} is still ${revisionWorkflow.states[open.status]?.label.toLowerCase()}: finish or withdraw it first`);
  const newest = revisions.find((r) => r.status !== 'withdrawn') ?? revisions[0];
  const highest = revisions[0];
  const major = Number(highest?.data.major ?? 0);
  const minor = Math.max(...revisions.filter((r) => Number(r.data.major) === major).map((r) => Number(r.data.minor)), 0);
  const label = input.changeType === 'major' ? { major: major + 1, minor: 0 } : { major: Math.max(major, 1), minor: minor + 1 };
  return createRevision(ctx, document, revisionData(document, label, input.changeType, input.changeSummary, newest), newest?.title ?? document.title);
}

/** Whether the actor may edit a revision's content now: drafts only, by document authors at the site. */
export function canEditRevision(actor: Ctx['actor'], revision: RecordRow): boolean {
  return revision.status === 'draft' && can(actor, 'document:create', revision.site_id);
}

async function checkReviewers(db: Queryable, revision: RecordRow, reviewerIds: string[]): Promise<void> {
  if (reviewerIds.includes(revision.owner_id)) throw new DomainError('VALIDATION_FAILED', 'The author cannot review their own revision', [{ path: 'reviewerIds', message: 'includes the author' }]);
  if (new Set(reviewerIds).size !== reviewerIds.length) throw new DomainError('VALIDATION_FAILED', 'A reviewer is named twice', [{ path: 'reviewerIds', message: 'has duplicates' }]);
  const rows = await db.query<{ id: string; role: string; site_id: string; code: string }>(
    'SELECT u.id, r.role, r.site_id, s.code FROM app_user u JOIN user_role r ON r.user_id = u.id JOIN site s ON s.id = r.site_id WHERE u.active AND u.id = ANY($1::uuid[])',
    [reviewerIds],
  );
  for (const id of reviewerIds) {
    const roles = rows.filter((r) => r.id === id).map((r) => ({ role: r.role, siteId: r.site_id, siteCode: r.code }));
    if (!can({ id, username: '', fullName: '', roles }, 'document:review', revision.site_id)) {
      throw new DomainError('VALIDATION_FAILED', 'Every reviewer must be an active person allowed to review documents at this site', [{ path: 'reviewerIds', message: `${id} may not review documents here` }]);
    }
  }
}

/** Edits a draft revision at the version the editor read, with a reason. */
export async function updateRevision(ctx: Ctx, id: string, input: z.infer<typeof updateRevisionRequest>): Promise<RecordRow> {
  const revision = await lockRecord(ctx, id, revisionWorkflow.type);
  if (!(await canReadDocument(ctx.tx, ctx.actor, revision))) throw new DomainError('NOT_FOUND', 'No such document revision');
  if (!canEditRevision(ctx.actor, revision)) throw new DomainError('FORBIDDEN', `You may not edit ${revision.number} while it is ${revision.status}`);
  const { version, reason, title, ...fields } = input;
  if (fields.reviewerIds) await checkReviewers(ctx.tx, revision, fields.reviewerIds);
  if (fields.quiz === undefined && fields.trainingMethod === 'quiz' && !revision.data.quiz) {
    throw new DomainError('VALIDATION_FAILED', 'A quiz is needed for training by quiz', [{ path: 'quiz', message: 'is required when the training method is quiz' }]);
  }
  const data = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === '' ? null : v]));
  const { record, changes } = await applyChange(ctx, revision, version, { title, data }, { action: 'record.updated', reason });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'no field differs from the current values' }]);
  return record;
}

/** Stores an uploaded original (PDF, DOCX, ...) unchanged by its SHA-256 and makes it the draft's original. */
export async function setOriginal(ctx: Ctx, id: string, file: { fileName: string; mediaType: string; bytes: Buffer; version: number }): Promise<RecordRow> {
  const revision = await lockRecord(ctx, id, revisionWorkflow.type);
  if (!(await canReadDocument(ctx.tx, ctx.actor, revision))) throw new DomainError('NOT_FOUND', 'No such document revision');
  if (!canEditRevision(ctx.actor, revision)) throw new DomainError('FORBIDDEN', `You may not change the original of ${revision.number} while it is ${revision.status}`);
  const sha256 = await storeBlob(ctx.services.files.dir, file.bytes);
  const original = { fileName: file.fileName, mediaType: file.mediaType, size: file.bytes.length, sha256 };
  const { record } = await applyChange(ctx, revision, file.version, { data: { original } }, { action: 'record.updated', reason: `Original uploaded: ${file.fileName}` });
  return record;
}

const approvalFields = updateRevisionSchema.pick({ effectiveAt: true, trainingImpact: true, trainingImpactJustification: true, changedSections: true, gracePeriodDays: true }).partial().strict();

export interface RevisionStep {
  action: string;
  version: number;
  reason?: string;
  fields?: Record<string, unknown>;
  signatureMeaning?: string;
}

/** The people who signed their review in the current review round, from the audit trail. */
export async function reviewersOf(db: Queryable, revision: RecordRow) {
  const ids = (revision.data.reviewerIds as string[]) ?? [];
  if (ids.length === 0) return [];
  const entries = await db.query<{ actor_id: string; transition: string; at: Date }>(
    `SELECT actor_id, context->>'transition' AS transition, at FROM audit_entry WHERE entity_id = $1 AND action = 'record.transitioned' ORDER BY seq`,
    [revision.id],
  );
  const reviewed = new Map<string, Date>();
  for (const e of entries) {
    if (e.transition === revisionWorkflow.roundStart) reviewed.clear();
    if (e.transition === 'review') reviewed.set(e.actor_id, e.at);
  }
  const names = await db.query<{ id: string; full_name: string }>('SELECT id, full_name FROM app_user WHERE id = ANY($1::uuid[])', [ids]);
  return ids.map((userId) => ({ userId, fullName: names.find((n) => n.id === userId)?.full_name ?? userId, reviewed: reviewed.has(userId), reviewedAt: reviewed.get(userId)?.toISOString() ?? null }));
}

/** Moves a revision through review and approval; approval assigns the training and, when due, makes it effective. */
export async function transitionRevision(ctx: Ctx, id: string, input: RevisionStep): Promise<RecordRow> {
  const parsed = approvalFields.safeParse(input.fields ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: ['fields', ...issue.path].join('.'), message: issue.message }));
    throw new DomainError('VALIDATION_FAILED', `Invalid fields: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
  if (Object.keys(parsed.data).length > 0 && input.action !== 'approve') {
    throw new DomainError('VALIDATION_FAILED', 'Only approval sets the effective date and training impact', [{ path: 'fields', message: 'only allowed with approve' }]);
  }
  const revision = await lockRecord(ctx, id, revisionWorkflow.type);
  if (!(await canReadDocument(ctx.tx, ctx.actor, revision))) throw new DomainError('NOT_FOUND', 'No such document revision');
  if (input.action === 'approve') checkApprovalFields(ctx, revision, parsed.data);
  if (input.action === 'submit_for_review' && revision.status === 'draft' && canEditRevision(ctx.actor, revision)) checkReadyForReview(revision);
  const { record: moved, definition } = await applyTransition(ctx, revisionWorkflow, revision, { ...input, data: parsed.data });
  if (definition.signature) await applySignature(ctx, moved, input.signatureMeaning as SignatureMeaning, definition.action);
  if (input.action !== 'approve') return moved;
  const documentId = moved.data.documentId as string;
  if (moved.data.trainingImpact !== 'none') {
    const type = await documentType(ctx.tx, moved.data.docType as string);
    const grace = (moved.data.gracePeriodDays as number | null) ?? type.graceDays;
    await syncAssignments(ctx, documentId, 'revision', new Date(Date.parse(moved.data.effectiveAt as string) + grace * 86400_000));
  }
  if (Date.parse(moved.data.effectiveAt as string) <= ctx.now.getTime() && (await gateOf(ctx.tx, moved, ctx.now))?.satisfied !== false) {
    return makeRevisionEffective(ctx, moved);
  }
  return moved;
}

/** What a draft needs before review: text or an original, a change summary, named reviewers. */
function checkReadyForReview(revision: RecordRow): void {
  const missing = reviewGaps(revision);
  if (missing.length > 0) throw new DomainError('GUARD_FAILED', `Complete ${missing.map((m) => m.path.replace('fields.', '')).join(', ')} before review`, missing);
}

export function reviewGaps(revision: RecordRow): { path: string; message: string }[] {
  const missing: { path: string; message: string }[] = [];
  if (!revision.data.body && !revision.data.original) missing.push({ path: 'fields.body', message: 'write the text or upload the original' });
  if (!revision.data.changeSummary) missing.push({ path: 'fields.changeSummary', message: 'is required for review' });
  if (!(revision.data.reviewerIds as string[]).length) missing.push({ path: 'fields.reviewerIds', message: 'name at least one reviewer' });
  if (revision.data.trainingMethod === 'quiz' && !revision.data.quiz) missing.push({ path: 'fields.quiz', message: 'is required when training is by quiz' });
  return missing;
}

function checkApprovalFields(ctx: Ctx, revision: RecordRow, fields: Record<string, unknown>): void {
  const merged = { ...revision.data, ...fields };
  const effectiveAt = merged.effectiveAt as string | null;
  if (effectiveAt && Date.parse(effectiveAt) < ctx.now.getTime() - 24 * 3600_000) {
    throw new DomainError('VALIDATION_FAILED', 'The effective date cannot be in the past', [{ path: 'fields.effectiveAt', message: 'is in the past' }]);
  }
  if (merged.trainingImpact === 'none') {
    if (revision.data.changeType !== 'minor') {
      throw new DomainError('VALIDATION_FAILED', 'Only a minor (editorial) revision may go without retraining', [{ path: 'fields.trainingImpact', message: 'retraining is required for a new document or a major change' }]);
    }
    if (!merged.trainingImpactJustification) {
      throw new DomainError('VALIDATION_FAILED', 'Justify why no retraining is needed', [{ path: 'fields.trainingImpactJustification', message: 'is required when no retraining is needed' }]);
    }
  }
  if (merged.trainingImpact === 'changed_sections' && !(merged.changedSections as string[] | undefined)?.length) {
    throw new DomainError('VALIDATION_FAILED', 'Name the changed sections trainees must study', [{ path: 'fields.changedSections', message: 'is required for training on changed sections' }]);
  }
}

/** The effective-date gate of a revision: whether enough of the people who need it are trained. */
export async function gateOf(db: Queryable, revision: RecordRow, now: Date): Promise<{ percent: number; trainedPercent: number; satisfied: boolean } | null> {
  const type = await documentType(db, revision.data.docType as string);
  if (type.gatePercent === null || revision.data.trainingImpact === 'none') return null;
  const counts = await trainingCounts(db, revision.data.documentId as string, revision.id, now);
  const trainedPercent = counts.required === 0 ? 100 : Math.floor((counts.completed * 1000) / counts.required) / 10;
  return { percent: type.gatePercent, trainedPercent, satisfied: trainedPercent >= type.gatePercent };
}

/**
 * Makes an approved revision the effective one: the previous effective revision is superseded at
 * the same moment, effectivity periods are recorded for point-in-time questions, and the document
 * takes the revision's title and its next periodic review date.
 */
export async function makeRevisionEffective(ctx: Ctx, revision: RecordRow): Promise<RecordRow> {
  const documentId = revision.data.documentId as string;
  const document = await lockRecord(ctx, documentId, documentWorkflow.type);
  const previous = (await revisionsOf(ctx.tx, documentId)).find((r) => r.status === 'effective');
  let basis = revision.id;
  if (previous) {
    await applySystemTransition(ctx, revisionWorkflow, await lockRecord(ctx, previous.id, revisionWorkflow.type), 'supersede');
    const [period] = await ctx.tx.query<{ training_basis_id: string }>('UPDATE document_effectivity SET effective_to = $2 WHERE revision_id = $1 RETURNING training_basis_id', [previous.id, ctx.now]);
    if (revision.data.trainingImpact === 'none' && period) basis = period.training_basis_id;
  }
  const effective = await applySystemTransition(ctx, revisionWorkflow, revision, 'become_effective');
  await ctx.tx.query('INSERT INTO document_effectivity (revision_id, document_id, version_label, training_basis_id, effective_from) VALUES ($1, $2, $3, $4, $5)', [
    revision.id, documentId, revision.data.versionLabel, basis, ctx.now,
  ]);
  const type = await documentType(ctx.tx, document.data.docType as string);
  const review = new Date(ctx.now);
  review.setUTCMonth(review.getUTCMonth() + type.reviewMonths);
  await applySystemTransition(ctx, documentWorkflow, document, document.status === 'draft' ? 'become_effective' : 'new_effective_revision', {
    title: revision.title,
    dueDate: review.toISOString().slice(0, 10),
    data: { currentRevisionId: revision.id, currentVersionLabel: revision.data.versionLabel, effectiveFrom: ctx.now.toISOString() },
  });
  return effective;
}

/**
 * The schedule: every approved revision whose effective date has come and whose training gate (if
 * any) is met becomes effective, each in its own transaction, by the system.
 */
export async function makeDueRevisionsEffective(services: Services): Promise<{ madeEffective: string[]; waitingForTraining: string[] }> {
  const now = services.clock.now();
  const due = await services.db.query<{ id: string }>(
    `SELECT id FROM record WHERE type = 'document_revision' AND status = 'approved' AND (data->>'effectiveAt')::timestamptz <= $1 ORDER BY (data->>'effectiveAt')::timestamptz`,
    [now],
  );
  const madeEffective: string[] = [];
  const waitingForTraining: string[] = [];
  for (const { id } of due) {
    await withTransaction(services, systemActor, { authMethod: 'system' }, async (ctx) => {
      const revision = await lockRecord(ctx, id, revisionWorkflow.type);
      if (revision.status !== 'approved') return;
      const gate = await gateOf(ctx.tx, revision, ctx.now);
      if (gate && !gate.satisfied) {
        waitingForTraining.push(revision.number);
        return;
      }
      await makeRevisionEffective(ctx, revision);
      madeEffective.push(revision.number);
    });
  }
  return { madeEffective, waitingForTraining };
}

/** Periodic review and obsolescence of the document itself. */
export async function transitionDocument(ctx: Ctx, id: string, input: RevisionStep): Promise<RecordRow> {
  const document = await lockRecord(ctx, id, documentWorkflow.type);
  if (!(await canReadDocument(ctx.tx, ctx.actor, document))) throw new DomainError('NOT_FOUND', 'No such document');
  const fields = input.fields ?? {};
  let data: Record<string, unknown> | undefined;
  if (input.action === 'periodic_review') {
    const outcome = fields.lastReviewOutcome;
    if (outcome !== 'no_change' && outcome !== 'revise' && outcome !== 'retire') {
      throw new DomainError('VALIDATION_FAILED', 'State the review outcome', [{ path: 'fields.lastReviewOutcome', message: 'must be one of no_change, revise, retire' }]);
    }
    const comment = typeof fields.reviewComment === 'string' ? fields.reviewComment.trim().slice(0, 5000) : '';
    data = { lastReviewOutcome: outcome, reviewComment: comment || null, lastReviewedAt: ctx.now.toISOString() };
  } else if (Object.keys(fields).length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'This action takes no fields', [{ path: 'fields', message: 'not allowed here' }]);
  }
  const { record: moved, definition } = await applyTransition(ctx, documentWorkflow, document, { ...input, data });
  if (definition.signature) await applySignature(ctx, moved, input.signatureMeaning as SignatureMeaning, definition.action);
  if (input.action === 'periodic_review') {
    const type = await documentType(ctx.tx, moved.data.docType as string);
    const next = new Date(ctx.now);
    next.setUTCMonth(next.getUTCMonth() + type.reviewMonths);
    return (await applyChange(ctx, moved, moved.version, { dueDate: next.toISOString().slice(0, 10) }, { action: 'record.updated', reason: 'Next periodic review date after the review' })).record;
  }
  if (input.action === 'make_obsolete') {
    for (const revision of await revisionsOf(ctx.tx, id)) {
      if (revision.status === 'effective' || revision.status === 'approved') {
        await applySystemTransition(ctx, revisionWorkflow, await lockRecord(ctx, revision.id, revisionWorkflow.type), 'retire');
      }
      if (['draft', 'in_review'].includes(revision.status)) {
        const locked = await lockRecord(ctx, revision.id, revisionWorkflow.type);
        await applyChange(ctx, locked, locked.version, { status: 'withdrawn' }, { action: 'record.transitioned', reason: 'The document was made obsolete', details: { transition: 'withdraw', from: locked.status, to: 'withdrawn', automatic: true } });
      }
    }
    await ctx.tx.query('UPDATE document_effectivity SET effective_to = $2 WHERE document_id = $1 AND effective_to IS NULL', [id, ctx.now]);
    const cleared = await applyChange(ctx, moved, moved.version, { dueDate: null }, { action: 'record.updated', reason: 'No periodic review for an obsolete document' });
    await refreshNeeds(ctx.tx, { documentIds: [id] });
    await syncAssignments(ctx, id, 'new_requirement');
    return cleared.record;
  }
  return moved;
}

/** Sets who must read a document; people it newly applies to are assigned training on it at once. */
export async function setDistribution(ctx: Ctx, id: string, input: Distribution & { version: number; reason: string }): Promise<RecordRow> {
  const document = await lockRecord(ctx, id, documentWorkflow.type);
  if (!(await canReadDocument(ctx.tx, ctx.actor, document))) throw new DomainError('NOT_FOUND', 'No such document');
  if (!can(ctx.actor, 'document:manage') && !can(ctx.actor, 'document:create', document.site_id)) throw new DomainError('FORBIDDEN', 'You may not change who must read this document');
  if (document.status === 'obsolete') throw new DomainError('INVALID_TRANSITION', `${document.number} is obsolete`);
  const distribution = { roles: [...new Set(input.roles ?? [])].sort(), jobFunctionIds: [...new Set(input.jobFunctionIds)].sort(), departments: [...new Set(input.departments)].sort(), userIds: [...new Set(input.userIds)].sort() };
  const functions = await ctx.tx.query<{ id: string }>('SELECT id FROM job_function WHERE id = ANY($1::uuid[])', [distribution.jobFunctionIds]);
  if (functions.length !== distribution.jobFunctionIds.length) throw new DomainError('VALIDATION_FAILED', 'Unknown job function', [{ path: 'jobFunctionIds', message: 'contains an unknown job function' }]);
  const people = await ctx.tx.query<{ id: string }>('SELECT id FROM app_user WHERE id = ANY($1::uuid[])', [distribution.userIds]);
  if (people.length !== distribution.userIds.length) throw new DomainError('VALIDATION_FAILED', 'Unknown person', [{ path: 'userIds', message: 'contains an unknown person' }]);
  const { record, changes } = await applyChange(ctx, document, input.version, { data: { distribution } }, { action: 'record.updated', reason: input.reason });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'the distribution is the same' }]);
  const wanted = [
    ...distribution.roles.map((target) => ({ kind: 'role', target })),
    ...distribution.jobFunctionIds.map((target) => ({ kind: 'job_function', target })),
    ...distribution.departments.map((target) => ({ kind: 'department', target })),
    ...distribution.userIds.map((target) => ({ kind: 'user', target })),
  ];
  const active = await ctx.tx.query<{ id: string; target_kind: string; target: string }>('SELECT id, target_kind, target FROM training_requirement WHERE document_id = $1 AND removed_at IS NULL', [id]);
  for (const r of active) {
    if (!wanted.some((w) => w.kind === r.target_kind && w.target === r.target)) {
      await ctx.tx.query('UPDATE training_requirement SET removed_at = $2, removed_by = $3 WHERE id = $1', [r.id, ctx.now, ctx.actor.id]);
    }
  }
  for (const w of wanted) {
    if (!active.some((r) => r.target_kind === w.kind && r.target === w.target)) {
      await ctx.tx.query('INSERT INTO training_requirement (id, document_id, target_kind, target, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        randomUUID(), id, w.kind, w.target, ctx.now, ctx.actor.id,
      ]);
    }
  }
  await refreshNeeds(ctx.tx, { documentIds: [id] });
  await syncAssignments(ctx, id, 'new_requirement');
  return record;
}

/** Changes the document's own settings: confidentiality and the processes it governs (training gate). */
export async function updateDocument(ctx: Ctx, id: string, input: { version: number; reason: string; confidentiality?: string; governs?: string[] }): Promise<RecordRow> {
  const document = await lockRecord(ctx, id, documentWorkflow.type);
  if (!(await canReadDocument(ctx.tx, ctx.actor, document))) throw new DomainError('NOT_FOUND', 'No such document');
  if (!can(ctx.actor, 'document:manage')) throw new DomainError('FORBIDDEN', 'Only document control may change these settings');
  if (document.status === 'obsolete') throw new DomainError('INVALID_TRANSITION', `${document.number} is obsolete`);
  const data: Record<string, unknown> = {};
  if (input.confidentiality !== undefined) data.confidentiality = input.confidentiality;
  if (input.governs !== undefined) data.governs = [...new Set(input.governs)].sort();
  const { record, changes } = await applyChange(ctx, document, input.version, { data }, { action: 'record.updated', reason: input.reason });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'no field differs from the current values' }]);
  return record;
}

export async function getDocumentRecord(db: Queryable, id: string): Promise<RecordRow | undefined> {
  return getRecord(db, id, documentWorkflow.type);
}
