import type { Ctx } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { appendAudit } from '../../kernel/audit.js';

/** Days a person has to complete training on a document that newly applies to them. */
export const newRequirementDueDays = 14;

type Scope = { documentIds: string[] } | { userIds: string[] };

/**
 * Recomputes who needs which document (training_need) for some documents or some people, from
 * the active requirements (role, job function, department, named person) of documents not obsolete.
 */
export async function refreshNeeds(db: Queryable, scope: Scope): Promise<void> {
  const byDocument = 'documentIds' in scope;
  const ids = byDocument ? scope.documentIds : scope.userIds;
  if (ids.length === 0) return;
  // Requirements and people change in different transactions; recomputing needs one at a time
  // (each statement then sees the others' committed changes) means no change is missed.
  await db.query("SELECT pg_advisory_xact_lock(hashtext('verity.training_need'))");
  await db.query(`DELETE FROM training_need WHERE ${byDocument ? 'document_id' : 'user_id'} = ANY($1::uuid[])`, [ids]);
  const filter = byDocument ? 'tr.document_id = ANY($1::uuid[])' : 'u.id = ANY($1::uuid[])';
  await db.query(
    `INSERT INTO training_need (user_id, document_id)
     SELECT u.id, tr.document_id FROM training_requirement tr
       JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete'
       JOIN app_user u ON u.active AND u.id::text = tr.target
      WHERE tr.removed_at IS NULL AND tr.target_kind = 'user' AND ${filter}
     UNION
     SELECT u.id, tr.document_id FROM training_requirement tr
       JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete'
       JOIN app_user u ON u.active AND u.department = tr.target
      WHERE tr.removed_at IS NULL AND tr.target_kind = 'department' AND ${filter}
     UNION
     SELECT u.id, tr.document_id FROM training_requirement tr
       JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete'
       JOIN user_role ur ON ur.role = tr.target AND ur.site_id = d.site_id
       JOIN app_user u ON u.active AND u.id = ur.user_id
      WHERE tr.removed_at IS NULL AND tr.target_kind = 'role' AND ${filter}
     UNION
     SELECT u.id, tr.document_id FROM training_requirement tr
       JOIN record d ON d.id = tr.document_id AND d.status <> 'obsolete'
       JOIN user_job_function j ON j.job_function_id::text = tr.target
       JOIN app_user u ON u.active AND u.id = j.user_id
      WHERE tr.removed_at IS NULL AND tr.target_kind = 'job_function' AND ${filter}
     ON CONFLICT DO NOTHING`,
    [ids],
  );
}

/**
 * The revision people must be trained on from now on: the newest approved or effective revision,
 * or, when that one was an editorial change without retraining, the revision whose training
 * still counts for it.
 */
export async function trainingTarget(db: Queryable, documentId: string): Promise<{ revisionId: string; effectiveAt: string | null; graceDays: number } | null> {
  const [latest] = await db.query<{ id: string; status: string; impact: string | null; effective_at: string | null; grace: number | null; type_grace: number }>(
    `SELECT r.id, r.status, r.data->>'trainingImpact' AS impact, r.data->>'effectiveAt' AS effective_at, (r.data->>'gracePeriodDays')::int AS grace, t.grace_days AS type_grace
       FROM record r JOIN document_type t ON t.code = r.data->>'docType'
      WHERE r.type = 'document_revision' AND r.data->>'documentId' = $1 AND r.status IN ('approved', 'effective')
      ORDER BY (r.data->>'major')::int DESC, (r.data->>'minor')::int DESC LIMIT 1`,
    [documentId],
  );
  if (!latest) return null;
  const graceDays = latest.grace ?? latest.type_grace;
  if (latest.impact !== 'none') return { revisionId: latest.id, effectiveAt: latest.effective_at, graceDays };
  const [basis] = await db.query<{ training_basis_id: string }>(
    'SELECT training_basis_id FROM document_effectivity WHERE document_id = $1 AND revision_id <> $2 ORDER BY effective_from DESC LIMIT 1',
    [documentId, latest.id],
  );
  return basis ? { revisionId: basis.training_basis_id, effectiveAt: latest.effective_at, graceDays } : { revisionId: latest.id, effectiveAt: latest.effective_at, graceDays };
}

/**
 * Brings the assignments of a document in line with who needs it and which revision they must be
 * trained on, in three set-based statements: open training on an older revision (or for people
 * who no longer need it) is superseded, and everyone who needs the document and has no current
 * assignment gets one, due at dueAt. Writes one ledger row per change and one audit entry.
 */
export async function syncAssignments(ctx: Ctx, documentId: string, reason: 'revision' | 'new_requirement', dueAt?: Date): Promise<{ assigned: number; superseded: number }> {
  // One writer per document at a time: concurrent approvals, distributions and profile changes queue here.
  await ctx.tx.query('SELECT id FROM record WHERE id = $1 FOR NO KEY UPDATE', [documentId]);
  const target = await trainingTarget(ctx.tx, documentId);
  const actorId = ctx.actor.id;
  const superseded = await ctx.tx.query<{ id: string }>(
    `WITH closed AS (
       UPDATE training_assignment a SET status = 'superseded', current = false, closed_at = $3, version = version + 1
        WHERE a.document_id = $1 AND a.current AND a.status = 'open'
          AND (a.revision_id IS DISTINCT FROM $2::uuid OR NOT EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = a.user_id AND n.document_id = a.document_id))
       RETURNING a.id, a.user_id, a.document_id, a.revision_id)
     INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, actor_id, details)
     SELECT id, user_id, document_id, revision_id, 'superseded', $3, $4, jsonb_build_object('replacedBy', $2::text) FROM closed RETURNING assignment_id AS id`,
    [documentId, target?.revisionId ?? null, ctx.now, actorId],
  );
  if (!target) return { assigned: 0, superseded: superseded.length };
  await ctx.tx.query(
    `UPDATE training_assignment a SET current = false, version = version + 1
      WHERE a.document_id = $1 AND a.current AND a.revision_id <> $2
        AND EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = a.user_id AND n.document_id = a.document_id)`,
    [documentId, target.revisionId],
  );
  const due = dueAt ?? new Date(Math.max(ctx.now.getTime(), target.effectiveAt ? Date.parse(target.effectiveAt) : 0) + Math.max(target.graceDays, newRequirementDueDays) * 86400_000);
  const assigned = await ctx.tx.query<{ id: string }>(
    `WITH added AS (
       INSERT INTO training_assignment (id, user_id, document_id, revision_id, reason, status, current, assigned_at, due_at)
       SELECT gen_random_uuid(), n.user_id, n.document_id, $2, $3, 'open', true, $4, $5 FROM training_need n
        WHERE n.document_id = $1 AND NOT EXISTS (SELECT 1 FROM training_assignment a WHERE a.user_id = n.user_id AND a.document_id = n.document_id AND a.current)
       RETURNING id, user_id)
     INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, actor_id, details)
     SELECT id, user_id, $1, $2, 'assigned', $4, $6, jsonb_build_object('reason', $3::text, 'dueAt', $5::timestamptz) FROM added RETURNING assignment_id AS id`,
    [documentId, target.revisionId, reason, ctx.now, due, actorId],
  );
  if (assigned.length > 0 || superseded.length > 0) {
    await appendAudit(ctx, {
      entityType: 'document_revision',
      entityId: target.revisionId,
      action: 'training.assigned',
      changes: [{ field: 'trainingAssignments', old: null, new: { assigned: assigned.length, supersededOnOlderRevisions: superseded.length, dueAt: due.toISOString() } }],
      details: { reason, documentId, assigned: assigned.length, superseded: superseded.length },
    });
  }
  return { assigned: assigned.length, superseded: superseded.length };
}

/** Training counts of a revision among the people who need its document now. */
export async function trainingCounts(db: Queryable, documentId: string, revisionId: string, now: Date) {
  const [row] = await db.query<{ required: number; completed: number; open: number; overdue: number }>(
    `SELECT count(*)::int AS required,
            count(*) FILTER (WHERE a.status = 'completed')::int AS completed,
            count(*) FILTER (WHERE a.status = 'open')::int AS open,
            count(*) FILTER (WHERE a.status = 'open' AND a.due_at < $3)::int AS overdue
       FROM training_need n
       LEFT JOIN training_assignment a ON a.user_id = n.user_id AND a.revision_id = $2 AND a.status IN ('open', 'completed', 'failed')
      WHERE n.document_id = $1`,
    [documentId, revisionId, now],
  );
  return row;
}

/**
 * After a person's roles, job functions, department or active state changed: their needs are
 * recomputed and training is assigned for documents that now apply (open training that no longer
 * applies is superseded).
 */
export async function refreshTrainingOf(ctx: Ctx, userId: string): Promise<{ assigned: number }> {
  const before = (await ctx.tx.query<{ document_id: string }>('SELECT document_id FROM training_need WHERE user_id = $1', [userId])).map((r) => r.document_id);
  await refreshNeeds(ctx.tx, { userIds: [userId] });
  const after = (await ctx.tx.query<{ document_id: string }>('SELECT document_id FROM training_need WHERE user_id = $1', [userId])).map((r) => r.document_id);
  let assigned = 0;
  for (const documentId of [...new Set([...before, ...after])].sort()) assigned += (await syncAssignments(ctx, documentId, 'new_requirement')).assigned;
  return { assigned };
}
