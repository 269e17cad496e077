import type { createDeviationRequest } from '@verity/contracts';
import type { z } from 'zod';
import type { Ctx } from '../../../context.js';
import { DomainError } from '../../../errors.js';
import { can } from '../../../identity/access.js';
import { isoDay } from '../../../kernel/record-queries.js';
import { createRecord, type RecordRow } from '../../../kernel/records.js';
import { emptyDeviationData } from '../present.js';
import { deviationWorkflow, targetClosureDays } from '../workflow.js';

/** Quick capture of a deviation on the shop floor: reported now, due for closure in 30 days. */
export async function createDeviation(ctx: Ctx, input: z.infer<typeof createDeviationRequest>): Promise<RecordRow> {
  const [site] = await ctx.tx.query<{ id: string; code: string }>('SELECT id, code FROM site WHERE code = $1', [input.siteCode]);
  if (!site) throw new DomainError('VALIDATION_FAILED', `No site ${input.siteCode}`, [{ path: 'siteCode', message: 'no such site' }]);
  if (!can(ctx.actor, 'deviation:create', site.id)) throw new DomainError('FORBIDDEN', `You may not report deviations at site ${site.code}`);
  if (new Date(input.occurredAt).getTime() > ctx.now.getTime() + 5 * 60_000) {
    throw new DomainError('VALIDATION_FAILED', 'The deviation cannot have occurred in the future', [{ path: 'occurredAt', message: 'is in the future' }]);
  }
  const due = new Date(ctx.now.getTime() + targetClosureDays * 86400_000);
  return createRecord(ctx, {
    type: deviationWorkflow.type,
    prefix: deviationWorkflow.numberPrefix,
    siteId: site.id,
    siteCode: site.code,
    title: input.title,
    status: deviationWorkflow.initial,
    ownerId: ctx.actor.id as string,
    dueDate: isoDay(due),
    data: {
      ...emptyDeviationData,
      description: input.description,
      occurredAt: new Date(input.occurredAt).toISOString(),
      area: input.area || null,
      productBatch: input.productBatch || null,
      immediateAction: input.immediateAction || null,
    },
  });
}
