import { randomUUID } from 'node:crypto';
import { can, type JobType, queueName, type Services, sealCheckpoint, workflowOf } from '@verity/core';
import type { FastifyBaseLogger } from 'fastify';
import type PgBoss from 'pg-boss';

type Handler = (services: Services, job: { id: string; data: Record<string, unknown> }) => Promise<void>;

/** In-app notification to everyone who may take the next step of a record that just moved; idempotent per job. */
const notifyNextActors: Handler = async (services, job) => {
  const { recordId, number, type, to, siteId, actorId } = job.data as { recordId: string; number: string; type: string; to: string; siteId: string; actorId: string | null };
  const workflow = workflowOf(type);
  const next = workflow?.transitions.filter((t) => t.from.includes(to) && !t.requiresReason) ?? [];
  if (!workflow || next.length === 0) return;
  const grants = await services.db.query<{ user_id: string; role: string; site_id: string; site_code: string }>(
    `SELECT r.user_id, r.role, r.site_id, s.code AS site_code FROM user_role r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.user_id
      WHERE r.site_id = $1 AND u.active`,
    [siteId],
  );
  const recipients = new Set(
    grants
      .filter((g) => g.user_id !== actorId && next.some((t) => can({ id: g.user_id, username: '', fullName: '', roles: [{ role: g.role, siteId: g.site_id, siteCode: g.site_code }] }, t.permission, siteId)))
      .map((g) => g.user_id),
  );
  const message = `${number} is now ${workflow.states[to]?.label ?? to}: ${next.map((t) => t.label).join(' or ')}`;
  for (const userId of recipients) {
    await services.db.query(
      'INSERT INTO notification (id, user_id, record_id, message, source_job, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_job, user_id) DO NOTHING',
      [randomUUID(), userId, recordId, message, job.id, services.clock.now()],
    );
  }
};

/** Security alerts reach the log (and so any SIEM reading it) at once; e-mail and webhooks come with the notification channels. */
const logSecurityEvent =
  (type: JobType): Handler =>
  async (_services, job) => {
    console.warn(JSON.stringify({ level: 'warn', securityAlert: type, ...job.data }));
  };

export const handlers: Record<JobType, Handler> = {
  'record.transitioned': notifyNextActors,
  'security.account_locked': logSecurityEvent('security.account_locked'),
  'security.signature_failed': logSecurityEvent('security.signature_failed'),
  'audit.seal': async (services) => {
    await sealCheckpoint(services);
  },
};

/**
 * Registers this instance's workers with pg-boss: every instance works every queue, pg-boss hands
 * each job to one of them, and the seal schedule fires once per minute across all instances.
 */
export async function startWorkers(boss: PgBoss, services: Services, log: FastifyBaseLogger): Promise<void> {
  for (const [type, handler] of Object.entries(handlers) as [JobType, Handler][]) {
    await boss.work<Record<string, unknown>>(queueName(type), { pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(services, { id: job.id, data: job.data });
        } catch (err) {
          log.error({ err, job: job.id, type }, 'job failed; pg-boss retries it');
          throw err;
        }
      }
    });
  }
  await boss.schedule(queueName('audit.seal'), '* * * * *');
}
