import type { Ctx } from '../context.js';
import type { JobType } from './jobs.js';

/** Domain events that leave the transaction: delivered after commit by the job worker (pg-boss). */
export type OutboxEventType = Exclude<JobType, 'audit.seal' | 'documents.effective' | 'training.overdue'>;

/** Writes an event in the caller's transaction: it is delivered only if the transaction commits. */
export async function emit(ctx: Ctx, type: OutboxEventType, payload: Record<string, unknown>): Promise<void> {
  await ctx.services.jobs.send(ctx.tx, type, payload);
}
