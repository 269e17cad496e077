import type { updateDeviationRequest } from '@verity/contracts';
import type { z } from 'zod';
import type { Ctx } from '../../../context.js';
import { DomainError } from '../../../errors.js';
import { applyChange, lockRecord, type RecordRow } from '../../../kernel/records.js';
import { canRead, canUpdate } from '../policy.js';

/** Edits a deviation's fields at the version the editor read, with a reason for the audit trail. */
export async function updateDeviation(ctx: Ctx, id: string, input: z.infer<typeof updateDeviationRequest>): Promise<RecordRow> {
  const record = await lockRecord(ctx, id, 'deviation');
  if (!canRead(ctx.actor, record)) throw new DomainError('NOT_FOUND', 'No such deviation');
  if (!canUpdate(ctx.actor, record)) throw new DomainError('FORBIDDEN', `You may not edit ${record.number} while it is ${record.status}`);
  const { version, reason, title, dueDate, ...data } = input;
  const { record: updated, changes } = await applyChange(ctx, record, version, { title, dueDate, data: emptyToNull(data) }, { action: 'record.updated', reason });
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'no field differs from the current values' }]);
  return updated;
}

/** Cleared optional text fields are stored as null, not as empty strings. */
export function emptyToNull(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === '' ? null : v]));
}
