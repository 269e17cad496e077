import type { Abilities } from '@verity/contracts';
import type { Actor } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { can } from '../../identity/access.js';
import type { RecordRow } from '../../kernel/records.js';
import { transitionAbilities, transitionActors, withGuards } from '../../kernel/workflow.js';
import { deviationWorkflow } from './workflow.js';

/** Whether the actor may edit the deviation's fields now: investigators and QA in editable states, the reporter while it is only reported. */
export function canUpdate(actor: Actor, record: RecordRow): boolean {
  if (!deviationWorkflow.states[record.status]?.editable) return false;
  if (can(actor, 'deviation:update', record.site_id)) return true;
  return record.status === 'reported' && record.owner_id === actor.id && can(actor, 'deviation:create', record.site_id);
}

export function canRead(actor: Actor, record: RecordRow): boolean {
  return can(actor, 'deviation:read', record.site_id);
}

/** Whether a (not cancelled) CAPA is linked to the deviation. */
export async function hasLinkedCapa(db: Queryable, deviationId: string): Promise<boolean> {
  const [capa] = await db.query(
    `SELECT 1 FROM record_link l JOIN record c ON c.id = CASE WHEN l.source_id = $1 THEN l.target_id ELSE l.source_id END
      WHERE (l.source_id = $1 OR l.target_id = $1) AND c.type = 'capa' AND c.status <> 'cancelled' LIMIT 1`,
    [deviationId],
  );
  return Boolean(capa);
}

/** Everything the actor may do with this deviation, as the UI receives it. */
export async function deviationAbilities(db: Queryable, actor: Actor, record: RecordRow): Promise<Abilities> {
  const open = !deviationWorkflow.states[record.status]?.final;
  return {
    read: canRead(actor, record),
    update: canUpdate(actor, record),
    comment: can(actor, 'record:comment', record.site_id),
    attach: open && can(actor, 'record:attach', record.site_id),
    link: can(actor, 'record:link', record.site_id),
    transitions: withGuards(transitionAbilities(deviationWorkflow, record, actor, await transitionActors(db, record.id)), {
      close: record.status === 'approved' && record.data.capaDecision === 'required' && !(await hasLinkedCapa(db, record.id)) ? 'QA decided a CAPA is required: open it from this deviation first' : null,
    }),
  };
}
