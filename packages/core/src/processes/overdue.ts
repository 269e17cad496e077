import { randomUUID } from 'node:crypto';
import { type Services, systemActor, withTransaction } from '../context.js';
import { isoDay } from '../kernel/record-queries.js';
import { queueMail } from '../mail/queue.js';
import { workflowOf } from './registry.js';

const day = 86400_000;

interface OverdueRow {
  id: string;
  type: string;
  number: string;
  title: string;
  status: string;
  due_date: string;
  data: Record<string, unknown>;
  owner_id: string;
  owner_name: string;
  owner_email: string | null;
  manager_id: string | null;
  manager_name: string | null;
  manager_email: string | null;
}

/**
 * Overdue CAPAs, actions, changes and deviations: the people who must act are reminded once a day
 * (the owner; the named approvers still to approve a change; the owner of an effectiveness check
 * past its own date), in-app and by e-mail; after the configured days the owner's manager is told
 * once. Notifications are keyed so that a job run twice notifies once.
 */
export async function remindOverdueRecords(services: Services): Promise<{ reminded: number; escalated: number }> {
  const now = services.clock.now();
  const today = isoDay(now);
  const rows = await services.db.query<OverdueRow>(
    `SELECT r.id, r.type, r.number, r.title, r.status, r.due_date::text AS due_date, r.data, r.owner_id, o.full_name AS owner_name, o.email AS owner_email,
            m.id AS manager_id, m.full_name AS manager_name, m.email AS manager_email
       FROM record r JOIN app_user o ON o.id = r.owner_id LEFT JOIN app_user m ON m.id = o.manager_id AND m.active
      WHERE r.type = ANY($1::text[]) AND COALESCE(r.due_date, DATE '9999-12-31') < $2::date
         OR (r.type = 'capa' AND r.status = 'effectiveness_check' AND (r.data->>'effectivenessDueDate') < $3::text)
      ORDER BY r.due_date LIMIT 5000`,
    [['capa', 'action', 'change', 'deviation'], today, today],
  );
  let reminded = 0;
  let escalated = 0;
  for (const r of rows) {
    const workflow = workflowOf(r.type);
    if (!workflow || workflow.states[r.status]?.final) continue;
    const effectivenessLate = r.type === 'capa' && r.status === 'effectiveness_check' && typeof r.data.effectivenessDueDate === 'string' && r.data.effectivenessDueDate < today;
    const what = effectivenessLate ? `the effectiveness check of ${r.number} (due ${r.data.effectivenessDueDate})` : `${r.number} "${r.title}" (due ${r.due_date}, ${workflow.states[r.status]?.label ?? r.status})`;
    const recipients = new Map<string, { name: string; email: string | null }>([[r.owner_id, { name: r.owner_name, email: r.owner_email }]]);
    if (r.type === 'change' && r.status === 'in_approval') {
      const approvers = Object.values((r.data.approvers as Record<string, string>) ?? {});
      const done = await services.db.query<{ actor_id: string }>("SELECT DISTINCT actor_id FROM audit_entry WHERE entity_id = $1 AND action = 'record.transitioned' AND context->>'transition' = 'approve'", [r.id]);
      const people = await services.db.query<{ id: string; full_name: string; email: string | null }>('SELECT id, full_name, email FROM app_user WHERE id = ANY($1::uuid[]) AND active', [approvers]);
      for (const p of people) if (!done.some((d) => d.actor_id === p.id)) recipients.set(p.id, { name: p.full_name, email: p.email });
    }
    await withTransaction(services, systemActor, { authMethod: 'system' }, async (ctx) => {
      for (const [userId, person] of recipients) {
        const inserted = await ctx.tx.query(
          'INSERT INTO notification (id, user_id, record_id, message, source_job, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_job, user_id) DO NOTHING RETURNING id',
          [randomUUID(), userId, r.id, `Overdue: ${what}`, `overdue:${r.id}:${today}`, now],
        );
        if (inserted.length === 0) continue;
        reminded++;
        if (person.email) await queueMail(ctx, { to: person.email, subject: `Overdue: ${r.number} — ${r.title}`, text: `${person.name}, ${what} is overdue.\nOpen it in Verity to act, or request an extension with a justification.` });
      }
      const daysOverdue = Math.floor((now.getTime() - Date.parse(`${r.due_date}T00:00:00Z`)) / day);
      if (r.manager_id && daysOverdue >= services.settings.escalationDays) {
        const inserted = await ctx.tx.query(
          'INSERT INTO notification (id, user_id, record_id, message, source_job, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_job, user_id) DO NOTHING RETURNING id',
          [randomUUID(), r.manager_id, r.id, `Escalation: ${r.owner_name}'s ${what} is ${daysOverdue} days overdue`, `overdue-escalation:${r.id}:${r.due_date}`, now],
        );
        if (inserted.length > 0) {
          escalated++;
          if (r.manager_email) {
            await queueMail(ctx, { to: r.manager_email, subject: `Escalation — overdue ${r.number} (${r.owner_name})`, text: `${r.manager_name}, ${r.owner_name}'s ${what} is ${daysOverdue} days overdue.` });
          }
        }
      }
    });
  }
  return { reminded, escalated };
}
