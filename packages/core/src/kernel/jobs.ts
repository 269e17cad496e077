import PgBoss from 'pg-boss';
import type { Database, Tx } from '../db/database.js';

/**
 * Domain events and scheduled work, delivered by pg-boss. Events are inserted as jobs in the
 * business transaction (so they exist only if it commits) and worked after commit, by any
 * server instance, each once.
 */
export const jobQueues = {
  'record.transitioned': 'A record moved to another workflow state: notify who acts next',
  'security.account_locked': 'An account was locked after repeated failed authentications',
  'security.signature_failed': 'A signing attempt failed re-authentication',
  'mail.send': 'Send one e-mail after commit; a retried job does not send it again (mail_log)',
  'audit.seal': 'Seal new audit entries into a signed checkpoint (scheduled)',
  'documents.effective': 'Make approved revisions effective when their date has come and their training gate is met (scheduled)',
  'training.overdue': 'Assign periodic retraining; remind of overdue training (escalating to managers) and of periodic document reviews (scheduled)',
} as const;
export type JobType = keyof typeof jobQueues;

/** pg-boss queue names allow letters, digits, dashes and underscores. */
export const queueName = (type: JobType) => type.replace(/[._]/g, '-');

/** What core commands need of the job queue: sending inside their own transaction. */
export interface JobQueue {
  send(tx: Tx, type: JobType, payload: Record<string, unknown>): Promise<void>;
}

function adapter(db: Database | Tx) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if ((!values || values.length === 0) && 'exec' in db) return { rows: await db.exec(text) };
      return { rows: await db.query(text, values ?? []) };
    },
  };
}

/** A pg-boss instance over our database (pg pool or PGlite), with our retry policy. */
export function createBoss(db: Database, options: { worker: boolean }): PgBoss {
  return new PgBoss({
    db: adapter(db),
    schema: 'pgboss',
    migrate: true,
    supervise: options.worker,
    schedule: options.worker,
  } as PgBoss.ConstructorOptions);
}

/** Creates pg-boss's schema and our queues; safe to run at every start. */
export async function prepareJobs(boss: PgBoss): Promise<void> {
  await boss.start();
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const type of Object.keys(jobQueues) as JobType[]) {
    if (!existing.has(queueName(type))) await boss.createQueue(queueName(type), { name: queueName(type), retryLimit: 10, retryBackoff: true, retryDelay: 5 });
  }
}

/** The JobQueue of a pg-boss instance: jobs are inserted with the caller's transaction. */
export function jobQueueOf(boss: PgBoss): JobQueue {
  return {
    async send(tx, type, payload) {
      await boss.send(queueName(type), payload, { db: adapter(tx) } as PgBoss.SendOptions);
    },
  };
}
