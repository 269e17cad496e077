import type { RecordRow } from '../../kernel/records.js';
import type { WorkflowDefinition } from '../../kernel/workflow.js';

/** The role an approver of each impacted area must hold. */
export const areaApproverRoles: Record<string, string> = {
  product: 'qa_manager',
  process: 'qa_reviewer',
  validation: 'qa_reviewer',
  regulatory: 'qa_manager',
  documents: 'document_controller',
  training: 'trainer',
  suppliers: 'qa_reviewer',
  equipment: 'qa_reviewer',
  risk: 'qa_manager',
};

const namedApprovers = (record: RecordRow) => Object.values((record.data.approvers as Record<string, string> | undefined) ?? {});

/**
 * Change control: request, impact assessment by area with a risk score, parallel approval by the
 * approvers the impacted areas require, implementation (tasks and document revisions), post-change
 * verification by someone other than the owner, closure.
 */
export const changeWorkflow: WorkflowDefinition = {
  type: 'change',
  version: 1,
  label: 'Change control',
  numberPrefix: 'CC',
  clauses: ['21 CFR 820.70(b)', 'ISO 13485 7.3.9', 'ICH Q10 3.2.3', 'EU GMP Annex 15 §11', '21 CFR 211.100(a)', '21 CFR 11.50'],
  initial: 'draft',
  roundStart: 'submit_for_approval',
  states: {
    draft: { label: 'Draft: impact assessment', editable: true },
    in_approval: { label: 'In approval' },
    implementation: { label: 'Implementation', editable: true },
    verification: { label: 'Effectiveness verification', editable: true },
    closed: { label: 'Closed', final: true },
    rejected: { label: 'Rejected', final: true },
    cancelled: { label: 'Cancelled', final: true },
  },
  transitions: [
    {
      action: 'submit_for_approval',
      label: 'Sign and submit for approval',
      from: ['draft'],
      to: 'in_approval',
      permission: 'change:update',
      signature: { meanings: ['authorship'] },
      effects: ['notify-next-actors'],
    },
    {
      action: 'approve',
      label: 'Approve for my area',
      from: ['in_approval'],
      to: 'in_approval',
      permission: 'change:approve',
      signature: { meanings: ['approval'] },
      check: (record, actor, history) => {
        if (!actor.id || !namedApprovers(record).includes(actor.id)) return 'You are not a named approver of this change';
        return history.get('approve')?.has(actor.id) ? 'You have approved this change already' : null;
      },
    },
    {
      action: 'reject',
      label: 'Reject',
      from: ['in_approval'],
      to: 'rejected',
      permission: 'change:approve',
      requiresReason: true,
      signature: { meanings: ['approval'] },
      check: (record, actor) => (actor.id && namedApprovers(record).includes(actor.id) ? null : 'Only a named approver may reject the change'),
    },
    {
      action: 'return_to_draft',
      label: 'Return for more assessment',
      from: ['in_approval'],
      to: 'draft',
      permission: 'change:approve',
      requiresReason: true,
      check: (record, actor) => (actor.id && namedApprovers(record).includes(actor.id) ? null : 'Only a named approver may return the change'),
    },
    {
      action: 'start_implementation',
      label: 'Start implementation',
      from: ['in_approval'],
      to: 'implementation',
      permission: 'change:update',
      check: (record, _actor, history) => {
        const pending = namedApprovers(record).filter((id) => !history.get('approve')?.has(id));
        return pending.length > 0 ? `${pending.length} required approval(s) missing` : null;
      },
      effects: ['notify-next-actors'],
    },
    { action: 'submit_for_verification', label: 'Implementation done: verify', from: ['implementation'], to: 'verification', permission: 'change:update', effects: ['notify-next-actors'] },
    {
      action: 'verify',
      label: 'Verify the change is effective',
      from: ['verification'],
      to: 'closed',
      permission: 'change:approve',
      requiredFields: ['verificationSummary'],
      signature: { meanings: ['verification'] },
      check: (record, actor) => (record.owner_id === actor.id ? 'The owner of the change may not verify it' : null),
    },
    { action: 'cancel', label: 'Cancel', from: ['draft', 'in_approval'], to: 'cancelled', permission: 'change:update', requiresReason: true },
  ],
};
