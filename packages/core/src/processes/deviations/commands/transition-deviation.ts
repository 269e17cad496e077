import { type SignatureMeaning, updateDeviationRequest } from '@verity/contracts';
import type { Ctx } from '../../../context.js';
import { DomainError } from '../../../errors.js';
import { lockRecord, type RecordRow } from '../../../kernel/records.js';
import { applySignature } from '../../../kernel/signatures.js';
import { applyTransition } from '../../../kernel/workflow.js';
import { canRead, hasLinkedCapa } from '../policy.js';
import { deviationWorkflow } from '../workflow.js';
import { emptyToNull } from './update-deviation.js';

const transitionFields = updateDeviationRequest.omit({ version: true, reason: true, title: true, dueDate: true }).partial().strict();

export interface DeviationTransition {
  action: string;
  version: number;
  reason?: string;
  fields?: Record<string, unknown>;
  /** The meaning the (already re-authenticated) signer states; required where the workflow asks for a signature. */
  signatureMeaning?: string;
}

/** Moves a deviation through its workflow, applying the step's fields and, where required, the signature. */
export async function transitionDeviation(ctx: Ctx, id: string, input: DeviationTransition): Promise<RecordRow> {
  const parsed = transitionFields.safeParse(input.fields ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: ['fields', ...issue.path].join('.'), message: issue.message }));
    throw new DomainError('VALIDATION_FAILED', `Invalid fields: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
  const record = await lockRecord(ctx, id, deviationWorkflow.type);
  if (!canRead(ctx.actor, record)) throw new DomainError('NOT_FOUND', 'No such deviation');
  const merged = { ...record.data, ...emptyToNull(parsed.data) };
  if (input.action === 'qa_approve' && merged.capaDecision === 'not_required' && !merged.capaDecisionJustification) {
    throw new DomainError('GUARD_FAILED', 'Justify why no CAPA is needed', [{ path: 'fields.capaDecisionJustification', message: 'is required when no CAPA is needed' }]);
  }
  if (input.action === 'close' && record.status === 'approved' && record.data.capaDecision === 'required' && !(await hasLinkedCapa(ctx.tx, id))) {
    throw new DomainError('GUARD_FAILED', 'QA decided a CAPA is required: open it from this deviation before closing', [{ path: 'capa', message: 'a linked CAPA is required' }]);
  }
  const { record: moved, definition } = await applyTransition(ctx, deviationWorkflow, record, {
    action: input.action,
    version: input.version,
    reason: input.reason,
    data: emptyToNull(parsed.data),
    signatureMeaning: input.signatureMeaning,
  });
  if (definition.signature) await applySignature(ctx, moved, input.signatureMeaning as SignatureMeaning, definition.action);
  return moved;
}
