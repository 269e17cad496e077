import { changeAreas, type createChangeRequest, type SignatureMeaning, updateChangeRequest } from '@verity/contracts';
import type { z } from 'zod';
import type { Actor, Ctx } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can } from '../../identity/access.js';
import { linkRecords } from '../../kernel/links.js';
import { isoDay, toSummary } from '../../kernel/record-queries.js';
import { applyChange, createRecord, getRecord, lockRecord, type RecordRow } from '../../kernel/records.js';
import { applySignature } from '../../kernel/signatures.js';
import { applyTransition, transitionAbilities, transitionActors, withGuards } from '../../kernel/workflow.js';
import { actionsOf, presentAction, type Step } from '../capa/commands.js';
import { areaApproverRoles, changeWorkflow } from './workflow.js';

export const changeTargetDays = 60;

const noImpacts = Object.fromEntries(changeAreas.map((area) => [area, { impacted: false, assessment: null }]));

export async function createChange(ctx: Ctx, input: z.infer<typeof createChangeRequest>): Promise<RecordRow> {
  const [site] = await ctx.tx.query<{ id: string; code: string }>('SELECT id, code FROM site WHERE code = $1', [input.siteCode]);
  if (!site) throw new DomainError('VALIDATION_FAILED', `No site ${input.siteCode}`, [{ path: 'siteCode', message: 'no such site' }]);
  if (!can(ctx.actor, 'change:create', site.id)) throw new DomainError('FORBIDDEN', `You may not request changes at site ${site.code}`);
  let source: RecordRow | undefined;
  if (input.sourceRecordId) {
    source = await getRecord(ctx.tx, input.sourceRecordId);
    if (!source || !can(ctx.actor, `${source.type}:read`, source.site_id)) throw new DomainError('VALIDATION_FAILED', 'No such source record', [{ path: 'sourceRecordId', message: 'no such record' }]);
  }
  const change = await createRecord(ctx, {
    type: changeWorkflow.type,
    prefix: changeWorkflow.numberPrefix,
    siteId: site.id,
    siteCode: site.code,
    title: input.title,
    status: changeWorkflow.initial,
    ownerId: ctx.actor.id as string,
    dueDate: input.dueDate ?? isoDay(new Date(ctx.now.getTime() + changeTargetDays * 86400_000)),
    data: {
      reason: input.reason,
      scope: input.scope,
      changeType: input.changeType,
      impacts: noImpacts,
      riskSeverity: null,
      riskProbability: null,
      approvers: {},
      verificationSummary: null,
      closureSummary: null,
    },
  });
  // A change raised by an action (CAPA) or another record is linked to it.
  if (source) await linkRecords(ctx, source, change.id, 'implements');
  return change;
}

async function checkApprovers(db: Queryable, change: RecordRow, approvers: Record<string, string>): Promise<void> {
  const ids = [...new Set(Object.values(approvers))];
  const grants = await db.query<{ user_id: string; role: string }>('SELECT r.user_id, r.role FROM user_role r JOIN app_user u ON u.id = r.user_id AND u.active WHERE r.site_id = $1 AND r.user_id = ANY($2::uuid[])', [change.site_id, ids]);
  for (const [area, userId] of Object.entries(approvers)) {
    const role = areaApproverRoles[area];
    const roles = grants.filter((g) => g.user_id === userId).map((g) => g.role);
    if (!roles.includes(role) && !(role === 'qa_reviewer' && roles.includes('qa_manager'))) {
      throw new DomainError('VALIDATION_FAILED', `The approver for ${area} must be an active ${role.replace('_', ' ')} at ${change.site_code}`, [{ path: `approvers.${area}`, message: `needs the role ${role}` }]);
    }
    if (userId === change.owner_id) throw new DomainError('VALIDATION_FAILED', 'The owner of the change cannot approve it', [{ path: `approvers.${area}`, message: 'is the owner' }]);
  }
}

export async function updateChange(ctx: Ctx, id: string, input: z.infer<typeof updateChangeRequest>): Promise<RecordRow> {
  const change = await lockRecord(ctx, id, changeWorkflow.type);
  if (!can(ctx.actor, 'change:read', change.site_id)) throw new DomainError('NOT_FOUND', 'No such change');
  if (!changeWorkflow.states[change.status]?.editable || !can(ctx.actor, 'change:update', change.site_id)) throw new DomainError('FORBIDDEN', `You may not edit ${change.number} while it is ${change.status}`);
  const { version, reason, title, changeReason, impacts, approvers, ...rest } = input;
  const data: Record<string, unknown> = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v === '' ? null : v]));
  if (changeReason !== undefined) data.reason = changeReason;
  if (impacts || approvers) {
    if (change.status !== 'draft') throw new DomainError('FORBIDDEN', 'Impacts and approvers are set while the change is a draft');
    const merged = { ...(change.data.impacts as Record<string, unknown>), ...Object.fromEntries(Object.entries(impacts ?? {}).map(([k, v]) => [k, { impacted: v.impacted, assessment: v.assessment || null }])) };
    data.impacts = merged;
    if (approvers) {
      await checkApprovers(ctx.tx, change, approvers);
      data.approvers = approvers;
      // Names beside the ids, so that the record and its audit trail read without a lookup.
      const names = await ctx.tx.query<{ id: string; full_name: string }>('SELECT id, full_name FROM app_user WHERE id = ANY($1::uuid[])', [Object.values(approvers)]);
      data.approverNames = Object.fromEntries(Object.entries(approvers).map(([area, id]) => [area, names.find((n) => n.id === id)?.full_name ?? id]));
    }
  }
  const { record, changes } = await applyChange(ctx, change, version, { title, data }, { action: 'record.updated', reason });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'no field differs from the current values' }]);
  return record;
}

/** What a draft needs before approval: at least one impacted area, each assessed and with its approver (and only those). */
function readyForApproval(change: RecordRow): { path: string; message: string }[] {
  const impacts = change.data.impacts as Record<string, { impacted: boolean; assessment: string | null }>;
  const approvers = change.data.approvers as Record<string, string>;
  const impacted = Object.entries(impacts).filter(([, v]) => v.impacted).map(([area]) => area);
  const missing: { path: string; message: string }[] = [];
  for (const field of ['reason', 'scope', 'riskSeverity', 'riskProbability']) {
    if (change.data[field] === null || change.data[field] === undefined || change.data[field] === '') missing.push({ path: `fields.${field}`, message: 'is required for approval' });
  }
  if (impacted.length === 0) missing.push({ path: 'fields.impacts', message: 'assess at least one impacted area' });
  for (const area of impacted) {
    if (!impacts[area].assessment) missing.push({ path: `fields.impacts.${area}.assessment`, message: 'describe the impact' });
    if (!approvers[area]) missing.push({ path: `fields.approvers.${area}`, message: `name the ${areaApproverRoles[area].replace('_', ' ')} who approves` });
  }
  for (const area of Object.keys(approvers)) if (!impacted.includes(area)) missing.push({ path: `fields.approvers.${area}`, message: 'this area is not impacted' });
  return missing;
}

/** The document revisions linked to a change, with their status. */
async function linkedRevisions(db: Queryable, changeId: string) {
  return db.query<{ id: string; number: string; status: string }>(
    `SELECT r.id, r.number, r.status FROM record_link l JOIN record r ON r.id = CASE WHEN l.source_id = $1 THEN l.target_id ELSE l.source_id END
      WHERE (l.source_id = $1 OR l.target_id = $1) AND r.type = 'document_revision'`,
    [changeId],
  );
}

export async function transitionChange(ctx: Ctx, id: string, input: Step): Promise<RecordRow> {
  const fields = updateChangeRequest.pick({ verificationSummary: true, closureSummary: true }).partial().strict().safeParse(input.fields ?? {});
  if (!fields.success) {
    const errors = fields.error.issues.map((issue) => ({ path: ['fields', ...issue.path].join('.'), message: issue.message }));
    throw new DomainError('VALIDATION_FAILED', `Invalid fields: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
  const change = await lockRecord(ctx, id, changeWorkflow.type);
  if (!can(ctx.actor, 'change:read', change.site_id)) throw new DomainError('NOT_FOUND', 'No such change');
  if (input.action === 'submit_for_approval' && change.status === 'draft') {
    const missing = readyForApproval(change);
    if (missing.length > 0) throw new DomainError('GUARD_FAILED', 'Complete the impact assessment before approval', missing);
  }
  if (input.action === 'submit_for_verification' && change.status === 'implementation') {
    const missing = await implementationGaps(ctx.tx, id);
    if (missing.length > 0) throw new DomainError('GUARD_FAILED', `Implementation is not complete: ${missing.map((m) => m.message).join('; ')}`, missing);
  }
  const { record, definition } = await applyTransition(ctx, changeWorkflow, change, { ...input, data: fields.data });
  if (definition.signature) await applySignature(ctx, record, input.signatureMeaning as SignatureMeaning, definition.action);
  return record;
}

/** What implementation still lacks: open tasks, linked revisions not yet effective. */
async function implementationGaps(db: Queryable, changeId: string): Promise<{ path: string; message: string }[]> {
  const open = (await actionsOf(db, changeId)).filter((a) => a.status === 'open');
  const revisions = (await linkedRevisions(db, changeId)).filter((r) => !['effective', 'superseded'].includes(r.status));
  return [...open.map((a) => ({ path: 'actions', message: `${a.number} is open` })), ...revisions.map((r) => ({ path: 'links', message: `${r.number} is not effective yet` }))];
}

async function approvalsOf(db: Queryable, change: RecordRow) {
  const approvers = change.data.approvers as Record<string, string>;
  const ids = [...new Set(Object.values(approvers))];
  if (ids.length === 0) return [];
  const names = await db.query<{ id: string; full_name: string }>('SELECT id, full_name FROM app_user WHERE id = ANY($1::uuid[])', [ids]);
  const entries = await db.query<{ actor_id: string; transition: string; at: Date }>(
    "SELECT actor_id, context->>'transition' AS transition, at FROM audit_entry WHERE entity_id = $1 AND action = 'record.transitioned' ORDER BY seq",
    [change.id],
  );
  const approved = new Map<string, Date>();
  for (const e of entries) {
    if (e.transition === changeWorkflow.roundStart) approved.clear();
    if (e.transition === 'approve') approved.set(e.actor_id, e.at);
  }
  return Object.entries(approvers).map(([area, userId]) => ({
    area, approverId: userId, approverName: names.find((n) => n.id === userId)?.full_name ?? userId, requiredRole: areaApproverRoles[area], approved: approved.has(userId), approvedAt: approved.get(userId)?.toISOString() ?? null,
  }));
}

export async function presentChange(db: Queryable, actor: Actor, change: RecordRow, now: Date) {
  const severity = change.data.riskSeverity as number | null;
  const probability = change.data.riskProbability as number | null;
  const open = !changeWorkflow.states[change.status]?.final;
  return {
    ...toSummary(change, changeWorkflow, now),
    data: change.data as never,
    contentHash: change.content_hash,
    riskScore: severity && probability ? severity * probability : null,
    approvals: await approvalsOf(db, change),
    actions: (await actionsOf(db, change.id)).map((a) => presentAction(a, now)),
    abilities: {
      read: true,
      update: Boolean(changeWorkflow.states[change.status]?.editable) && can(actor, 'change:update', change.site_id),
      comment: can(actor, 'record:comment', change.site_id),
      attach: open && can(actor, 'record:attach', change.site_id),
      link: can(actor, 'record:link', change.site_id),
      transitions: withGuards(transitionAbilities(changeWorkflow, change, actor, await transitionActors(db, change.id, changeWorkflow.roundStart)), {
        submit_for_approval: change.status === 'draft' ? readyForApproval(change).map((m) => `${m.path.replace('fields.', '')}: ${m.message}`).join('; ') || null : null,
        submit_for_verification: change.status === 'implementation' ? (await implementationGaps(db, change.id)).map((m) => m.message).join('; ') || null : null,
      }),
      addAction: ['draft', 'in_approval', 'implementation'].includes(change.status) && can(actor, 'change:update', change.site_id),
    },
  };
}

/**
 * The change-impact view before approval: every document linked to the change (with who must be
 * trained on it and any revision in progress), open CAPAs linked to it, other linked records, and
 * the risk assessment.
 */
export async function changeImpact(db: Queryable, change: RecordRow) {
  const linked = await db.query<{ id: string; type: string; number: string; title: string; status: string; data: Record<string, unknown> }>(
    `SELECT r.id, r.type, r.number, r.title, r.status, r.data FROM record_link l JOIN record r ON r.id = CASE WHEN l.source_id = $1 THEN l.target_id ELSE l.source_id END
      WHERE l.source_id = $1 OR l.target_id = $1 ORDER BY r.number`,
    [change.id],
  );
  const documentIds = [...new Set(linked.flatMap((r) => (r.type === 'document' ? [r.id] : r.type === 'document_revision' ? [r.data.documentId as string] : [])))];
  const documents = [];
  for (const documentId of documentIds) {
    const document = await getRecord(db, documentId);
    if (!document) continue;
    const [{ people }] = await db.query<{ people: number }>('SELECT count(*)::int AS people FROM training_need WHERE document_id = $1', [documentId]);
    const requirements = await db.query<{ label: string }>(
      `SELECT CASE tr.target_kind WHEN 'job_function' THEN 'Job function ' || coalesce(f.name, tr.target) WHEN 'user' THEN 'Person ' || coalesce(u.full_name, tr.target) ELSE initcap(tr.target_kind) || ' ' || tr.target END AS label
         FROM training_requirement tr LEFT JOIN job_function f ON tr.target_kind = 'job_function' AND f.id::text = tr.target LEFT JOIN app_user u ON tr.target_kind = 'user' AND u.id::text = tr.target
        WHERE tr.document_id = $1 AND tr.removed_at IS NULL ORDER BY 1`,
      [documentId],
    );
    const [inProgress] = await db.query<{ number: string }>(
      "SELECT number FROM record WHERE type = 'document_revision' AND data->>'documentId' = $1 AND status IN ('draft', 'in_review', 'approved') LIMIT 1",
      [documentId],
    );
    documents.push({ id: document.id, number: document.number, title: document.title, status: document.status, revisionInProgress: inProgress?.number ?? null, peopleToTrain: people, requirements: requirements.map((r) => r.label) });
  }
  const severity = change.data.riskSeverity as number | null;
  const probability = change.data.riskProbability as number | null;
  const impacts = change.data.impacts as Record<string, { impacted: boolean; assessment: string | null }>;
  return {
    documents,
    openCapas: linked.filter((r) => r.type === 'capa' && !['closed', 'cancelled'].includes(r.status)).map(({ id, number, title, status }) => ({ id, number, title, status })),
    linked: linked.map(({ id, type, number, title, status }) => ({ id, type, number, title, status })),
    risk: { severity, probability, score: severity && probability ? severity * probability : null, assessment: impacts.risk?.assessment ?? null },
  };
}
