import type { Actor } from '../../context.js';
import type { RecordRow } from '../../kernel/records.js';
import type { WorkflowDefinition } from '../../kernel/workflow.js';

/** The rule in force when the CAPA was opened (VERITY_CAPA_INDEPENDENT_EFFECTIVENESS) travels with it. */
const independentCheck = (record: RecordRow, actor: Actor) =>
  record.data.independentEffectiveness !== false && record.owner_id === actor.id ? 'The CAPA owner may not verify the effectiveness of their own CAPA' : null;

/**
 * Corrective and preventive action: problem, investigation with structured root cause (5 whys,
 * Ishikawa 6M), a QA-approved action plan, implementation of every action, an effectiveness check
 * by someone other than the CAPA owner (a failed check reopens the investigation), QA closure.
 */
export const capaWorkflow: WorkflowDefinition = {
  type: 'capa',
  version: 1,
  label: 'CAPA',
  numberPrefix: 'CAPA',
  clauses: ['21 CFR 820.100', 'ISO 13485 8.5.2', 'ISO 13485 8.5.3', 'ICH Q10 3.2.2', 'EU GMP Ch. 1.4(xiv)', '21 CFR 11.50', '21 CFR 11.70'],
  initial: 'open',
  states: {
    open: { label: 'Open', editable: true },
    investigation: { label: 'Investigation', editable: true },
    implementation: { label: 'Implementing actions', editable: true },
    effectiveness_check: { label: 'Effectiveness check due', editable: true },
    verified: { label: 'Effective, to close' },
    closed: { label: 'Closed', final: true },
    cancelled: { label: 'Cancelled', final: true },
  },
  transitions: [
    { action: 'start_investigation', label: 'Start investigation', from: ['open'], to: 'investigation', permission: 'capa:update', requiredFields: ['problemStatement', 'riskSeverity', 'riskOccurrence'], effects: ['notify-next-actors'] },
    {
      action: 'approve_plan',
      label: 'Approve root cause and action plan',
      from: ['investigation'],
      to: 'implementation',
      permission: 'capa:approve',
      requiredFields: ['rootCause', 'fiveWhys'],
      signature: { meanings: ['approval'] },
      effects: ['notify-next-actors'],
    },
    {
      action: 'submit_for_effectiveness',
      label: 'Actions done: plan the effectiveness check',
      from: ['implementation'],
      to: 'effectiveness_check',
      permission: 'capa:update',
      requiredFields: ['effectivenessCriteria', 'effectivenessMethod', 'effectivenessDueDate'],
      effects: ['notify-next-actors'],
    },
    {
      action: 'verify_effective',
      label: 'Verify: effective',
      from: ['effectiveness_check'],
      to: 'verified',
      permission: 'capa:verify',
      requiredFields: ['effectivenessEvidence'],
      signature: { meanings: ['verification'] },
      check: independentCheck,
      effects: ['notify-next-actors'],
    },
    {
      action: 'verify_not_effective',
      label: 'Verify: not effective (reopen)',
      from: ['effectiveness_check'],
      to: 'investigation',
      permission: 'capa:verify',
      requiredFields: ['effectivenessEvidence'],
      requiresReason: true,
      signature: { meanings: ['verification'] },
      check: independentCheck,
      effects: ['notify-next-actors'],
    },
    { action: 'close', label: 'Close', from: ['verified'], to: 'closed', permission: 'capa:approve', requiredFields: ['closureSummary'], signature: { meanings: ['closure'] } },
    { action: 'cancel', label: 'Cancel', from: ['open', 'investigation'], to: 'cancelled', permission: 'capa:approve', requiresReason: true },
  ],
};

/** An action of a CAPA or a task of a change: its owner does it and records the evidence. */
export const actionWorkflow: WorkflowDefinition = {
  type: 'action',
  version: 1,
  label: 'Action',
  numberPrefix: 'ACT',
  clauses: ['21 CFR 820.100(a)(3)', 'ISO 13485 8.5.2(d)'],
  initial: 'open',
  states: {
    open: { label: 'Open', editable: true },
    done: { label: 'Done', final: true },
    cancelled: { label: 'Cancelled', final: true },
  },
  transitions: [
    {
      action: 'complete',
      label: 'Complete with evidence',
      from: ['open'],
      to: 'done',
      permission: 'action:complete',
      requiredFields: ['evidence'],
      signature: { meanings: ['responsibility'] },
      check: (record, actor) => (record.owner_id === actor.id ? null : 'Only the owner of the action completes it'),
      effects: ['notify-next-actors'],
    },
    { action: 'cancel', label: 'Cancel', from: ['open'], to: 'cancelled', permission: 'capa:approve', requiresReason: true },
  ],
};
