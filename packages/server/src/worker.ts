import { can, deliverOutbox, type OutboxHandler, type Services, sealCheckpoint, workflowOf } from '@verity/core';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';

/** In-app notification to everyone who may take the next step of a record that just moved. */
const notifyNextActors: OutboxHandler = async (services, event) => {
  const { recordId, number, type, to, siteId, actorId } = event.payload as { recordId: string; number: string; type: string; to: string; siteId: string; actorId: string | null };
  const workflow = workflowOf(type);
  const next = workflow?.transitions.filter((t) => t.from.includes(to) && !t.requiresReason) ?? [];
  if (!workflow || next.length === 0) return;
  const users = await services.db.query<{ user_id: string; role: string; site_id: string; site_code: string }>(
    `SELECT r.user_id, r.role, r.site_id, s.code AS site_code FROM user_role r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.user_id
      WHERE r.site_id = $1 AND u.active`,
    [siteId],
  );
  const recipients = new Set(
    users
      .filter((u) => u.user_id !== actorId && next.some((t) => can({ id: u.user_id, username: '', fullName: '', roles: [{ role: u.role, siteId: u.site_id, siteCode: u.site_code }] }, t.permission, siteId)))
      .map((u) => u.user_id),
  );
  for (const userId of recipients) {
    await services.db.query('INSERT INTO notification (id, user_id, record_id, message, created_at) VALUES ($1, $2, $3, $4, $5)', [
      randomUUID(), userId, recordId, `${number} is now ${workflow.states[to]?.label ?? to}: ${next.map((t) => t.label).join(' or ')}`, services.clock.now(),
    ]);
  }
};

const logSecurityEvent: OutboxHandler = async (_services, event) => {
  // Security alerts reach the log (and so any SIEM reading it) at once; e-mail and webhooks come with the notification channels.
  console.warn(JSON.stringify({ level: 'warn', securityAlert: event.type, ...event.payload }));
};

/** The background work of one server instance; safe to run in several instances at once. */
export function startWorker(services: Services, log: FastifyBaseLogger, options: { checkpointSeconds: number }): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const guard = (name: string, job: () => Promise<unknown>) => () => {
    if (stopped) return;
    running = running.then(job).catch((err) => log.error({ err }, `${name} failed`));
  };
  const outbox = setInterval(guard('outbox', () => deliverOutbox(services, { 'record.transitioned': notifyNextActors, 'security.account_locked': logSecurityEvent, 'security.signature_failed': logSecurityEvent })), 2000);
  const checkpoint = setInterval(guard('checkpoint', () => sealCheckpoint(services)), options.checkpointSeconds * 1000);
  return async () => {
    stopped = true;
    clearInterval(outbox);
    clearInterval(checkpoint);
    await running;
  };
}
