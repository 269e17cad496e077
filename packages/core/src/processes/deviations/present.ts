import type { DeviationData, DeviationDetail } from '@verity/contracts';
import type { Actor } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { toSummary } from '../../kernel/record-queries.js';
import type { RecordRow } from '../../kernel/records.js';
import { deviationAbilities } from './policy.js';
import { deviationWorkflow } from './workflow.js';

export const emptyDeviationData: DeviationData = {
  description: '',
  occurredAt: '',
  area: null,
  productBatch: null,
  immediateAction: null,
  classification: null,
  triageRationale: null,
  rootCauseCategory: null,
  rootCause: null,
  fiveWhys: [],
  investigationSummary: null,
  productImpact: null,
  batchImpact: null,
  capaDecision: null,
  capaDecisionJustification: null,
  closureSummary: null,
};

/** The deviation as the API shows it: summary, controlled data, content hash and the actor's abilities. */
export async function presentDeviation(db: Queryable, actor: Actor, record: RecordRow, now: Date): Promise<DeviationDetail> {
  return {
    ...toSummary(record, deviationWorkflow, now),
    data: { ...emptyDeviationData, ...(record.data as Partial<DeviationData>) },
    contentHash: record.content_hash,
    abilities: await deviationAbilities(db, actor, record),
  };
}
