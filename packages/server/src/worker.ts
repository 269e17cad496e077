import { randomUUID } from 'node:crypto';
import { assignPeriodicRetraining, denial, getRecord, type JobType, type MailMessage, makeDueRevisionsEffective, queueName, remindOverdueRecords, remindOverdueTraining, remindPeriodicReviews, type Services, sealCheckpoint, transitionActors, workflowOf } from '@verity/core';
import type { FastifyBaseLogger } from 'fastify';
import type PgBoss from 'pg-boss';

type Handler = (services: Services, job: { id: string; data: Record<string, unknown> }) => Promise<void>;

/**
 * In-app notification to everyone who may take the next step of a record that just moved (with
 * the workflow's own rules: named reviewers only, segregation of duties); idempotent per job.
 */
const notifyNextActors: Handler = async (services, job) => {
  const { recordId, number, type, to, siteId, actorId } = job.data as { recordId: string; number: string; type: string; to: string; siteId: string; actorId: string | null };
  const workflow = workflowOf(type);
  const next = workflow?.transitions.filter((t) => t.from.includes(to) && !t.requiresReason && !t.system) ?? [];
  const record = await getRecord(services.db, recordId);
  if (!workflow || next.length === 0 || !record || record.status !== to) return;
  const grants = await services.db.query<{ user_id: string; role: string; site_id: string; site_code: string }>(
    `SELECT r.user_id, r.role, r.site_id, s.code AS site_code FROM user_role r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.user_id
      WHERE r.site_id = $1 AND u.active`,
    [siteId],
  );
  const history = await transitionActors(services.db, recordId, workflow.roundStart);
  const recipients = [...new Set(grants.map((g) => g.user_id))].filter((userId) => {
    if (userId === actorId) return false;
    const roles = grants.filter((g) => g.user_id === userId).map((g) => ({ role: g.role, siteId: g.site_id, siteCode: g.site_code }));
    return next.some((t) => denial(t, record, { id: userId, username: '', fullName: '', roles }, history) === null);
  });
  const message = `${number} is now ${workflow.states[to]?.label ?? to}: ${next.map((t) => t.label).join(' or ')}`;
  for (const userId of recipients) {
    await services.db.query(
      'INSERT INTO notification (id, user_id, record_id, message, source_job, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_job, user_id) DO NOTHING',
      [randomUUID(), userId, recordId, message, job.id, services.clock.now()],
    );
  }
};

/**
 * Sends one e-mail unless mail_log shows that this job already sent it to this recipient (a retry).
 * Recorded after the send: a crash between the two may repeat a mail, never lose one.
 */
async function sendOnce(services: Services, jobId: string, message: MailMessage): Promise<void> {
  const [sent] = await services.db.query('SELECT 1 FROM mail_log WHERE source_job = $1 AND recipient = $2', [jobId, message.to]);
  if (sent) return;
  await services.mail.send(message);
  await services.db.query(
    'INSERT INTO mail_log (id, source_job, recipient, subject, sent_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_job, recipient) DO NOTHING',
    [randomUUID(), jobId, message.to, message.subject, services.clock.now()],
  );
}

const warnMailDisabled = (job: { id: string }, type: JobType) =>
  console.warn(JSON.stringify({ level: 'warn', msg: 'e-mail not sent: SMTP_URL is not set', job: job.id, type }));

/** An e-mail queued by queueMail; completes without sending (and says so) when e-mail is not configured. */
const sendMail: Handler = async (services, job) => {
  const { to, subject, text } = job.data as unknown as MailMessage;
  if (!services.mail.enabled) return warnMailDisabled(job, 'mail.send');
  await sendOnce(services, job.id, { to, subject, text });
};

type SecurityAlert = 'security.account_locked' | 'security.signature_failed';

function alertMail(type: SecurityAlert, data: Record<string, unknown>): Omit<MailMessage, 'to'> {
  const { username, ip, at, channel } = data as { username: string; ip: string | null; at: string; channel?: string };
  const where = `Time: ${at}\nClient address: ${ip ?? 'unknown'}`;
  if (type === 'security.account_locked') {
    return {
      subject: `Verity security alert: account ${username} locked`,
      text: `The account ${username} was locked after repeated failed ${channel ?? 'authentication'} attempts.\n\n${where}\n\nIt stays locked until a system administrator unlocks it, with a reason.\n`,
    };
  }
  return { subject: `Verity security alert: failed signature by ${username}`, text: `A signing attempt as ${username} failed re-authentication.\n\n${where}\n` };
}

/**
 * Security alerts reach the log (and so any SIEM reading it) at once, and every active system
 * administrator with an e-mail address by mail (11.300(d)), each once per alert, retries included.
 */
const securityAlert =
  (type: SecurityAlert): Handler =>
  async (services, job) => {
    console.warn(JSON.stringify({ level: 'warn', securityAlert: type, ...job.data }));
    if (!services.mail.enabled) return warnMailDisabled(job, type);
    const admins = await services.db.query<{ email: string }>(
      `SELECT DISTINCT u.email FROM app_user u JOIN user_role r ON r.user_id = u.id
        WHERE r.role = 'sysadmin' AND u.active AND u.email IS NOT NULL AND u.email <> '' ORDER BY u.email`,
    );
    const message = alertMail(type, job.data);
    for (const { email } of admins) await sendOnce(services, job.id, { to: email, ...message });
  };

export const handlers: Record<JobType, Handler> = {
  'record.transitioned': notifyNextActors,
  'security.account_locked': securityAlert('security.account_locked'),
  'security.signature_failed': securityAlert('security.signature_failed'),
  'mail.send': sendMail,
  'documents.effective': async (services) => {
    await makeDueRevisionsEffective(services);
  },
  'training.overdue': async (services) => {
    await assignPeriodicRetraining(services);
    await remindOverdueTraining(services);
    await remindPeriodicReviews(services);
    await remindOverdueRecords(services);
  },
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
  await boss.schedule(queueName('documents.effective'), '* * * * *');
  await boss.schedule(queueName('training.overdue'), '17 * * * *');
}
