import { type createActionRequest, type createCapaRequest, type SignatureMeaning, updateCapaRequest } from '@verity/contracts';
import type { z } from 'zod';
import type { Actor, Ctx } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can } from '../../identity/access.js';
import { extensionsOf } from '../../kernel/extensions.js';
import { linkRecords } from '../../kernel/links.js';
import { isoDay, toSummary } from '../../kernel/record-queries.js';
import { applyChange, createRecord, getRecord, lockRecord, type RecordRow } from '../../kernel/records.js';
import { applySignature } from '../../kernel/signatures.js';
import { applyTransition, transitionAbilities, transitionActors, type WorkflowDefinition, withGuards } from '../../kernel/workflow.js';
import { actionWorkflow, capaWorkflow } from './workflow.js';

/** Target to complete a CAPA by default: 90 days. */
export const capaTargetDays = 90;

/** Priority from the risk score (severity x occurrence, 1-25). */
export function priorityOf(severity: number | null, occurrence: number | null): 'low' | 'medium' | 'high' | 'critical' | null {
  if (!severity || !occurrence) return null;
  const score = severity * occurrence;
  return score >= 20 ? 'critical' : score >= 12 ? 'high' : score >= 6 ? 'medium' : 'low';
}

const emptyToNull = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === '' ? null : v]));

async function siteByCode(ctx: Ctx, code: string) {
  const [site] = await ctx.tx.query<{ id: string; code: string }>('SELECT id, code FROM site WHERE code = $1', [code]);
  if (!site) throw new DomainError('VALIDATION_FAILED', `No site ${code}`, [{ path: 'siteCode', message: 'no such site' }]);
  return site;
}

/** Creates a CAPA, from a source record in one action (linked both ways) or standalone. */
export async function createCapa(ctx: Ctx, input: z.infer<typeof createCapaRequest>): Promise<RecordRow> {
  const site = await siteByCode(ctx, input.siteCode);
  if (!can(ctx.actor, 'capa:create', site.id)) throw new DomainError('FORBIDDEN', `You may not open CAPAs at site ${site.code}`);
  let source: RecordRow | undefined;
  if (input.sourceRecordId) {
    source = await getRecord(ctx.tx, input.sourceRecordId);
    if (!source || !can(ctx.actor, `${source.type}:read`, source.site_id)) throw new DomainError('VALIDATION_FAILED', 'No such source record', [{ path: 'sourceRecordId', message: 'no such record' }]);
  }
  const capa = await createRecord(ctx, {
    type: capaWorkflow.type,
    prefix: capaWorkflow.numberPrefix,
    siteId: site.id,
    siteCode: site.code,
    title: input.title,
    status: capaWorkflow.initial,
    ownerId: ctx.actor.id as string,
    dueDate: input.dueDate ?? isoDay(new Date(ctx.now.getTime() + capaTargetDays * 86400_000)),
    data: {
      sourceType: input.sourceType,
      sourceRecordId: source?.id ?? null,
      sourceNumber: source?.number ?? null,
      problemStatement: input.problemStatement,
      riskSeverity: input.riskSeverity ?? null,
      riskOccurrence: input.riskOccurrence ?? null,
      priority: priorityOf(input.riskSeverity ?? null, input.riskOccurrence ?? null),
      fiveWhys: [],
      ishikawa: {},
      rootCause: null,
      effectivenessCriteria: null,
      effectivenessMethod: null,
      effectivenessDueDate: null,
      effectivenessResult: null,
      effectivenessEvidence: null,
      closureSummary: null,
      independentEffectiveness: ctx.services.settings.capaIndependentEffectiveness,
    },
  });
  if (source) await linkRecords(ctx, capa, source.id, 'addresses');
  return capa;
}

export function canUpdateCapa(actor: Actor, capa: RecordRow): boolean {
  return Boolean(capaWorkflow.states[capa.status]?.editable) && can(actor, 'capa:update', capa.site_id);
}

/** Edits a CAPA's fields at the version the editor read, with a reason. The priority follows the risk scores. */
export async function updateCapa(ctx: Ctx, id: string, input: z.infer<typeof updateCapaRequest>): Promise<RecordRow> {
  const capa = await lockRecord(ctx, id, capaWorkflow.type);
  if (!can(ctx.actor, 'capa:read', capa.site_id)) throw new DomainError('NOT_FOUND', 'No such CAPA');
  if (!canUpdateCapa(ctx.actor, capa)) throw new DomainError('FORBIDDEN', `You may not edit ${capa.number} while it is ${capa.status}`);
  const { version, reason, title, ...fields } = input;
  const data = emptyToNull(fields);
  if (fields.riskSeverity !== undefined || fields.riskOccurrence !== undefined) {
    data.priority = priorityOf((fields.riskSeverity ?? capa.data.riskSeverity) as number | null, (fields.riskOccurrence ?? capa.data.riskOccurrence) as number | null);
  }
  const { record, changes } = await applyChange(ctx, capa, version, { title, data }, { action: 'record.updated', reason });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'no field differs from the current values' }]);
  return record;
}

/** The actions of a CAPA or change, by due date. */
export async function actionsOf(db: Queryable, parentId: string): Promise<RecordRow[]> {
  return db.query<RecordRow>(
    `SELECT r.id, r.type, r.number, r.site_id, s.code AS site_code, r.title, r.status, r.owner_id, u.full_name AS owner_name,
            r.due_date, r.data, r.version, r.content_hash, r.created_by, r.created_at, r.updated_at
       FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id
      WHERE r.type = 'action' AND r.data->>'parentId' = $1 ORDER BY r.due_date, r.number`,
    [parentId],
  );
}

const transitionFields = updateCapaRequest.omit({ version: true, reason: true, title: true }).partial().strict();

export interface Step {
  action: string;
  version: number;
  reason?: string;
  fields?: Record<string, unknown>;
  signatureMeaning?: string;
}

/** Moves a CAPA: the plan needs at least one action; the effectiveness check needs every action done. */
export async function transitionCapa(ctx: Ctx, id: string, input: Step): Promise<RecordRow> {
  const parsed = transitionFields.safeParse(input.fields ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: ['fields', ...issue.path].join('.'), message: issue.message }));
    throw new DomainError('VALIDATION_FAILED', `Invalid fields: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
  const capa = await lockRecord(ctx, id, capaWorkflow.type);
  if (!can(ctx.actor, 'capa:read', capa.site_id)) throw new DomainError('NOT_FOUND', 'No such CAPA');
  const guard = capaGuards(await actionsOf(ctx.tx, id))[input.action];
  if (guard && capa.status === (input.action === 'approve_plan' ? 'investigation' : 'implementation')) throw new DomainError('GUARD_FAILED', guard, [{ path: 'actions', message: guard }]);
  const data: Record<string, unknown> = emptyToNull(parsed.data);
  if (parsed.data.riskSeverity !== undefined || parsed.data.riskOccurrence !== undefined) {
    data.priority = priorityOf((parsed.data.riskSeverity ?? capa.data.riskSeverity) as number | null, (parsed.data.riskOccurrence ?? capa.data.riskOccurrence) as number | null);
  }
  if (input.action === 'verify_effective') data.effectivenessResult = 'effective';
  if (input.action === 'verify_not_effective') data.effectivenessResult = 'not_effective';
  const { record, definition } = await applyTransition(ctx, capaWorkflow, capa, { ...input, data });
  if (definition.signature) await applySignature(ctx, record, input.signatureMeaning as SignatureMeaning, definition.action);
  return record;
}

/** Adds an action to a CAPA (corrective, preventive) or a change (task), owned by a person with a due date. */
export async function addAction(ctx: Ctx, parentId: string, input: z.infer<typeof createActionRequest>): Promise<RecordRow> {
  const parent = await getRecord(ctx.tx, parentId);
  if (!parent || !['capa', 'change'].includes(parent.type) || !can(ctx.actor, `${parent.type}:read`, parent.site_id)) throw new DomainError('NOT_FOUND', 'No such CAPA or change');
  await lockRecord(ctx, parent.id, parent.type);
  if (!can(ctx.actor, `${parent.type}:update`, parent.site_id)) throw new DomainError('FORBIDDEN', `You may not plan actions of ${parent.number}`);
  const openStates = parent.type === 'capa' ? ['open', 'investigation', 'implementation'] : ['draft', 'in_approval', 'implementation'];
  if (!openStates.includes(parent.status)) throw new DomainError('INVALID_TRANSITION', `Actions cannot be added while ${parent.number} is ${parent.status}`);
  if (parent.type === 'capa' && input.kind === 'change_task') throw new DomainError('VALIDATION_FAILED', 'A CAPA action is corrective or preventive', [{ path: 'kind', message: 'must be corrective or preventive' }]);
  if (parent.type === 'change' && input.kind !== 'change_task') throw new DomainError('VALIDATION_FAILED', 'A change has tasks', [{ path: 'kind', message: 'must be change_task' }]);
  const [owner] = await ctx.tx.query<{ id: string }>('SELECT u.id FROM app_user u WHERE u.id = $1 AND u.active AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.site_id = $2)', [input.ownerId, parent.site_id]);
  if (!owner) throw new DomainError('VALIDATION_FAILED', 'The owner must be an active person at this site', [{ path: 'ownerId', message: 'not an active person at the site' }]);
  if (input.dueDate < isoDay(ctx.now)) throw new DomainError('VALIDATION_FAILED', 'The due date is in the past', [{ path: 'dueDate', message: 'is in the past' }]);
  const action = await createRecord(ctx, {
    type: actionWorkflow.type,
    prefix: actionWorkflow.numberPrefix,
    siteId: parent.site_id,
    siteCode: parent.site_code,
    title: input.title,
    status: actionWorkflow.initial,
    ownerId: input.ownerId,
    dueDate: input.dueDate,
    data: {
      parentId: parent.id,
      parentNumber: parent.number,
      parentType: parent.type,
      kind: input.kind,
      description: input.description,
      requiresChange: input.requiresChange,
      requiresDocumentRevision: input.requiresDocumentRevision,
      evidence: null,
    },
  });
  await linkRecords(ctx, action, parent.id, 'implements');
  return action;
}

/**
 * Completes or cancels an action. An action that requires a change control needs a linked change
 * that is closed; one that requires a document revision needs a linked revision that is effective.
 */
export async function transitionAction(ctx: Ctx, id: string, input: Step): Promise<RecordRow> {
  const action = await lockRecord(ctx, id, actionWorkflow.type);
  if (!can(ctx.actor, 'action:read', action.site_id) && action.owner_id !== ctx.actor.id) throw new DomainError('NOT_FOUND', 'No such action');
  const evidence = input.fields?.evidence;
  if (input.fields && Object.keys(input.fields).some((k) => k !== 'evidence')) throw new DomainError('VALIDATION_FAILED', 'Only evidence is recorded with this step', [{ path: 'fields', message: 'only evidence is allowed' }]);
  if (evidence !== undefined && (typeof evidence !== 'string' || evidence.length > 10000)) throw new DomainError('VALIDATION_FAILED', 'Evidence is text', [{ path: 'fields.evidence', message: 'must be text up to 10000 characters' }]);
  if (input.action === 'complete') {
    const missing = await actionBlockers(ctx.tx, action);
    if (missing.length > 0) throw new DomainError('GUARD_FAILED', `${action.number} is not done yet: ${missing.join('; ')}`, missing.map((message) => ({ path: 'links', message })));
  }
  const { record, definition } = await applyTransition(ctx, actionWorkflow, action, { ...input, data: evidence !== undefined ? { evidence: (evidence as string).trim() || null } : undefined });
  if (definition.signature) await applySignature(ctx, record, input.signatureMeaning as SignatureMeaning, definition.action);
  return record;
}

/** What an action still waits for: a closed change control, an effective document revision (linked directly or through its change). */
export async function actionBlockers(db: Queryable, action: RecordRow): Promise<string[]> {
  if (!action.data.requiresChange && !action.data.requiresDocumentRevision) return [];
  const linked = await db.query<{ type: string; status: string }>(
    `WITH direct AS (
       SELECT r.id, r.type, r.status FROM record_link l JOIN record r ON r.id = CASE WHEN l.source_id = $1 THEN l.target_id ELSE l.source_id END
        WHERE (l.source_id = $1 OR l.target_id = $1) AND r.type IN ('change', 'document_revision'))
     SELECT type, status FROM direct
     UNION ALL
     SELECT r.type, r.status FROM direct c JOIN record_link l ON c.type = 'change' AND (l.source_id = c.id OR l.target_id = c.id)
       JOIN record r ON r.id = CASE WHEN l.source_id = c.id THEN l.target_id ELSE l.source_id END AND r.type = 'document_revision'`,
    [action.id],
  );
  const missing: string[] = [];
  if (action.data.requiresChange && !linked.some((r) => r.type === 'change' && r.status === 'closed')) missing.push('a linked change control must be closed');
  if (action.data.requiresDocumentRevision && !linked.some((r) => r.type === 'document_revision' && ['effective', 'superseded'].includes(r.status))) {
    missing.push('a linked document revision must be effective');
  }
  return missing;
}

/** The CAPA steps that need its actions: a plan needs one, the effectiveness check needs all done. */
function capaGuards(actions: RecordRow[]): Record<string, string | null> {
  const live = actions.filter((a) => a.status !== 'cancelled');
  const open = live.filter((a) => a.status !== 'done');
  return {
    approve_plan: live.length === 0 ? 'Plan at least one corrective or preventive action first' : null,
    submit_for_effectiveness: open.length > 0 ? `${open.length} ${open.length === 1 ? 'action is' : 'actions are'} still open: ${open.map((a) => a.number).join(', ')}` : null,
  };
}

export function presentAction(record: RecordRow, now: Date) {
  const summary = toSummary(record, actionWorkflow, now);
  return { id: summary.id, number: summary.number, title: summary.title, kind: record.data.kind as string, status: summary.status, statusLabel: summary.statusLabel, ownerId: summary.ownerId, ownerName: summary.ownerName, dueDate: summary.dueDate, overdue: summary.overdue };
}

async function abilitiesOf(db: Queryable, actor: Actor, record: RecordRow, workflow: WorkflowDefinition, update: boolean) {
  const open = !workflow.states[record.status]?.final;
  return {
    read: true,
    update,
    comment: can(actor, 'record:comment', record.site_id),
    attach: open && can(actor, 'record:attach', record.site_id),
    link: can(actor, 'record:link', record.site_id),
    transitions: transitionAbilities(workflow, record, actor, await transitionActors(db, record.id, workflow.roundStart)),
  };
}

export async function presentCapa(db: Queryable, actor: Actor, capa: RecordRow, now: Date) {
  const severity = capa.data.riskSeverity as number | null;
  const occurrence = capa.data.riskOccurrence as number | null;
  const actions = await actionsOf(db, capa.id);
  const base = await abilitiesOf(db, actor, capa, capaWorkflow, canUpdateCapa(actor, capa));
  base.transitions = withGuards(base.transitions, capaGuards(actions));
  return {
    ...toSummary(capa, capaWorkflow, now),
    data: capa.data as never,
    contentHash: capa.content_hash,
    riskScore: severity && occurrence ? severity * occurrence : null,
    actions: actions.map((a) => presentAction(a, now)),
    extensions: await extensionsOf(db, capa.id),
    abilities: { ...base, addAction: ['open', 'investigation', 'implementation'].includes(capa.status) && can(actor, 'capa:update', capa.site_id), requestExtension: base.update || capa.owner_id === actor.id },
  };
}

async function actionAbilities(db: Queryable, actor: Actor, action: RecordRow) {
  const base = await abilitiesOf(db, actor, action, actionWorkflow, false);
  const blockers = action.status === 'open' ? await actionBlockers(db, action) : [];
  return { ...base, transitions: withGuards(base.transitions, { complete: blockers.length ? `Not done yet: ${blockers.join('; ')}` : null }) };
}

export async function presentActionDetail(db: Queryable, actor: Actor, action: RecordRow, now: Date) {
  return {
    ...toSummary(action, actionWorkflow, now),
    data: action.data as never,
    contentHash: action.content_hash,
    abilities: { ...(await actionAbilities(db, actor, action)), requestExtension: action.status === 'open' && (action.owner_id === actor.id || can(actor, 'capa:update', action.site_id)) },
  };
}
