import { randomUUID } from 'node:crypto';
import { type Services, systemActor, withTransaction } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { appendAudit } from '../../kernel/audit.js';
import { queueMail } from '../../mail/queue.js';

interface OverdueRow {
  id: string;
  user_id: string;
  document_id: string;
  revision_id: string;
  due_at: Date;
  number: string;
  title: string;
  full_name: string;
  email: string | null;
  manager_id: string | null;
  manager_name: string | null;
  manager_email: string | null;
  escalated_at: Date | null;
}

const day = 86400_000;

async function notify(tx: Tx, userId: string, recordId: string, message: string, key: string, now: Date) {
  await tx.query('INSERT INTO notification (id, user_id, record_id, message, source_job, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_job, user_id) DO NOTHING', [
    randomUUID(), userId, recordId, message, key, now,
  ]);
}

/**
 * Overdue training: the trainee is reminded once a day (in-app and by e-mail); after the
 * configured number of days overdue the trainee's manager is told once. Runs on a schedule;
 * each assignment is handled in its own transaction with its ledger row and audit entry.
 */
export async function remindOverdueTraining(services: Services): Promise<{ reminded: number; escalated: number }> {
  const now = services.clock.now();
  const escalateBefore = new Date(now.getTime() - services.settings.trainingEscalationDays * day);
  const rows = await services.db.query<OverdueRow>(
    `SELECT a.id, a.user_id, a.document_id, a.revision_id, a.due_at, r.number, r.title, u.full_name, u.email, u.manager_id, m.full_name AS manager_name, m.email AS manager_email, a.escalated_at
       FROM training_assignment a JOIN app_user u ON u.id = a.user_id JOIN record r ON r.id = a.revision_id LEFT JOIN app_user m ON m.id = u.manager_id AND m.active
      WHERE a.status = 'open' AND a.due_at < $1 AND u.active
        AND ((a.last_reminded_at IS NULL OR a.last_reminded_at < $2) OR (a.escalated_at IS NULL AND a.due_at < $3 AND u.manager_id IS NOT NULL))
      ORDER BY a.due_at LIMIT 5000`,
    [now, new Date(now.getTime() - day + 60_000), escalateBefore],
  );
  let reminded = 0;
  let escalated = 0;
  for (const a of rows) {
    await withTransaction(services, systemActor, { authMethod: 'system' }, async (ctx) => {
      const [still] = await ctx.tx.query<{ last_reminded_at: Date | null; escalated_at: Date | null }>("SELECT last_reminded_at, escalated_at FROM training_assignment WHERE id = $1 AND status = 'open' FOR UPDATE", [a.id]);
      if (!still) return;
      const daysOverdue = Math.floor((now.getTime() - a.due_at.getTime()) / day);
      const subject = `Overdue training: ${a.number} — ${a.title}`;
      if (!still.last_reminded_at || still.last_reminded_at.getTime() < now.getTime() - day + 60_000) {
        const text = `${a.full_name}, your training on ${a.number} "${a.title}" was due on ${a.due_at.toISOString().slice(0, 10)} (${daysOverdue} day(s) ago).\nOpen Verity, My training, to complete it.`;
        await notify(ctx.tx, a.user_id, a.revision_id, `Overdue training: ${a.number} was due ${a.due_at.toISOString().slice(0, 10)}`, `training-reminder:${a.id}:${now.toISOString().slice(0, 10)}`, now);
        if (a.email) await queueMail(ctx, { to: a.email, subject, text });
        await ctx.tx.query('UPDATE training_assignment SET last_reminded_at = $2 WHERE id = $1', [a.id, now]);
        await ctx.tx.query("INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, details) VALUES ($1, $2, $3, $4, 'reminded', $5, $6)", [
          a.id, a.user_id, a.document_id, a.revision_id, now, JSON.stringify({ daysOverdue, email: Boolean(a.email) }),
        ]);
        await appendAudit(ctx, { entityType: 'training_assignment', entityId: a.id, action: 'training.reminded', changes: [{ field: 'lastRemindedAt', old: still.last_reminded_at?.toISOString() ?? null, new: now.toISOString() }], details: { daysOverdue, emailed: Boolean(a.email) } });
        reminded++;
      }
      if (!still.escalated_at && a.due_at < escalateBefore && a.manager_id) {
        const text = `${a.manager_name}, ${a.full_name}'s training on ${a.number} "${a.title}" is ${daysOverdue} day(s) overdue (due ${a.due_at.toISOString().slice(0, 10)}).\nUntil it is completed, ${a.full_name} is not qualified for the current revision.`;
        await notify(ctx.tx, a.manager_id, a.revision_id, `${a.full_name}'s training on ${a.number} is ${daysOverdue} days overdue`, `training-escalation:${a.id}`, now);
        if (a.manager_email) await queueMail(ctx, { to: a.manager_email, subject: `Escalation — ${subject} (${a.full_name})`, text });
        await ctx.tx.query('UPDATE training_assignment SET escalated_at = $2 WHERE id = $1', [a.id, now]);
        await ctx.tx.query("INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, details) VALUES ($1, $2, $3, $4, 'escalated', $5, $6)", [
          a.id, a.user_id, a.document_id, a.revision_id, now, JSON.stringify({ daysOverdue, managerId: a.manager_id }),
        ]);
        await appendAudit(ctx, { entityType: 'training_assignment', entityId: a.id, action: 'training.escalated', changes: [{ field: 'escalatedAt', old: null, new: now.toISOString() }], details: { daysOverdue, managerId: a.manager_id } });
        escalated++;
      }
    });
  }
  return { reminded, escalated };
}

/** Periodic retraining is assigned this many days before completed training expires. */
export const retrainingNoticeDays = 30;

/**
 * Periodic retraining: completed training that expires within the notice period (document types
 * with a retraining interval) gets a new assignment on the same revision, due when it expires.
 */
export async function assignPeriodicRetraining(services: Services): Promise<{ assigned: number }> {
  return withTransaction(services, systemActor, { authMethod: 'system' }, async (ctx) => {
    const expiring = await ctx.tx.query<{ id: string; user_id: string; document_id: string; revision_id: string; expires_at: Date }>(
      `SELECT a.id, a.user_id, a.document_id, a.revision_id, a.expires_at FROM training_assignment a
        WHERE a.current AND a.status = 'completed' AND a.expires_at IS NOT NULL AND a.expires_at < $1
          AND EXISTS (SELECT 1 FROM training_need n WHERE n.user_id = a.user_id AND n.document_id = a.document_id)
        ORDER BY a.expires_at LIMIT 5000 FOR UPDATE`,
      [new Date(ctx.now.getTime() + retrainingNoticeDays * day)],
    );
    for (const a of expiring) {
      await ctx.tx.query('UPDATE training_assignment SET current = false, version = version + 1 WHERE id = $1', [a.id]);
      const id = randomUUID();
      await ctx.tx.query(
        `INSERT INTO training_assignment (id, user_id, document_id, revision_id, reason, status, current, assigned_at, due_at) VALUES ($1, $2, $3, $4, 'periodic', 'open', true, $5, $6)`,
        [id, a.user_id, a.document_id, a.revision_id, ctx.now, a.expires_at],
      );
      await ctx.tx.query("INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, details) VALUES ($1, $2, $3, $4, 'assigned', $5, $6)", [
        id, a.user_id, a.document_id, a.revision_id, ctx.now, JSON.stringify({ reason: 'periodic', previous: a.id, dueAt: a.expires_at }),
      ]);
      await appendAudit(ctx, { entityType: 'training_assignment', entityId: id, action: 'training.assigned', changes: [{ field: 'status', old: null, new: 'open' }], details: { reason: 'periodic', previous: a.id, dueAt: a.expires_at.toISOString() } });
    }
    return { assigned: expiring.length };
  });
}

/**
 * Periodic review reminders: the owner of each effective document whose review falls due within
 * 30 days is told once per due date, in-app and by e-mail. The review itself shows in My tasks.
 */
export async function remindPeriodicReviews(services: Services): Promise<{ reminded: number }> {
  const now = services.clock.now();
  const due = await services.db.query<{ id: string; number: string; title: string; due_date: string; owner_id: string; email: string | null; full_name: string }>(
    `SELECT r.id, r.number, r.title, r.due_date::text AS due_date, r.owner_id, u.email, u.full_name FROM record r JOIN app_user u ON u.id = r.owner_id AND u.active
      WHERE r.type = 'document' AND r.status = 'effective' AND COALESCE(r.due_date, DATE '9999-12-31') <= $1::date ORDER BY r.due_date LIMIT 1000`,
    [new Date(now.getTime() + 30 * day).toISOString().slice(0, 10)],
  );
  let reminded = 0;
  for (const d of due) {
    await withTransaction(services, systemActor, { authMethod: 'system' }, async (ctx) => {
      const message = `Periodic review of ${d.number} "${d.title}" is due on ${d.due_date}`;
      const inserted = await ctx.tx.query(
        'INSERT INTO notification (id, user_id, record_id, message, source_job, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_job, user_id) DO NOTHING RETURNING id',
        [randomUUID(), d.owner_id, d.id, message, `periodic-review:${d.id}:${d.due_date}`, now],
      );
      if (inserted.length === 0) return;
      if (d.email) await queueMail(ctx, { to: d.email, subject: `Periodic review due: ${d.number}`, text: `${d.full_name}, ${message}.\nOpen the document in Verity and record the review outcome (no change, revise or retire).` });
      reminded++;
    });
  }
  return { reminded };
}
