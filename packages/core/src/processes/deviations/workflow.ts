import type { WorkflowDefinition } from '../../kernel/workflow.js';

/**
 * The deviation lifecycle: capture, QA triage and classification, investigation with root cause,
 * QA approval with a signature, closure; cancellation with a reason.
 */
export const deviationWorkflow: WorkflowDefinition = {
  type: 'deviation',
  version: 1,
  label: 'Deviation',
  numberPrefix: 'DEV',
  clauses: ['21 CFR 211.192', '21 CFR 211.100(b)', '21 CFR 820.100', 'EU GMP Ch. 1.4(xiv)', 'ISO 13485 8.3', '21 CFR 11.10(f)', '21 CFR 11.50', '21 CFR 11.70'],
  initial: 'reported',
  states: {
    reported: { label: 'Reported', editable: true },
    under_investigation: { label: 'Under investigation', editable: true },
    pending_qa_approval: { label: 'Pending QA approval' },
    approved: { label: 'Approved, to close' },
    closed: { label: 'Closed', final: true },
    cancelled: { label: 'Cancelled', final: true },
  },
  transitions: [
    {
      action: 'triage',
      label: 'Triage and classify',
      from: ['reported'],
      to: 'under_investigation',
      permission: 'deviation:triage',
      requiredFields: ['classification', 'triageRationale'],
      effects: ['notify-next-actors'],
    },
    {
      action: 'submit_investigation',
      label: 'Submit investigation for QA approval',
      from: ['under_investigation'],
      to: 'pending_qa_approval',
      permission: 'deviation:investigate',
      requiredFields: ['rootCauseCategory', 'rootCause', 'fiveWhys', 'investigationSummary', 'productImpact'],
      signature: { meanings: ['authorship'] },
      effects: ['notify-next-actors'],
    },
    {
      action: 'return_to_investigation',
      label: 'Return for more investigation',
      from: ['pending_qa_approval'],
      to: 'under_investigation',
      permission: 'deviation:approve',
      requiresReason: true,
      effects: ['notify-next-actors'],
    },
    {
      action: 'qa_approve',
      label: 'QA approve',
      from: ['pending_qa_approval'],
      to: 'approved',
      permission: 'deviation:approve',
      requiredFields: ['capaDecision'],
      optionalFields: ['capaDecisionJustification', 'batchImpact'],
      signature: { meanings: ['approval'] },
      segregation: { notActorOf: ['submit_investigation'], description: 'The person who submitted the investigation may not approve it' },
      effects: ['notify-next-actors'],
    },
    {
      action: 'close',
      label: 'Close',
      from: ['approved'],
      to: 'closed',
      permission: 'deviation:close',
      requiredFields: ['closureSummary'],
      signature: { meanings: ['closure'] },
    },
    {
      action: 'cancel',
      label: 'Cancel',
      from: ['reported', 'under_investigation'],
      to: 'cancelled',
      permission: 'deviation:cancel',
      requiresReason: true,
    },
  ],
};

/** Target closure: 30 days after the deviation is reported. */
export const targetClosureDays = 30;
