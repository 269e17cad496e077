import type { Abilities } from '@verity/contracts';
import type { Actor } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { can } from '../../identity/access.js';
import type { RecordRow } from '../../kernel/records.js';
import { transitionAbilities, transitionActors } from '../../kernel/workflow.js';
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

/** Everything the actor may do with this deviation, as the UI receives it. */
export async function deviationAbilities(db: Queryable, actor: Actor, record: RecordRow): Promise<Abilities> {
  const open = !deviationWorkflow.states[record.status]?.final;
  return {
    read: canRead(actor, record),
    update: canUpdate(actor, record),
    comment: can(actor, 'record:comment', record.site_id),
    attach: open && can(actor, 'record:attach', record.site_id),
    link: can(actor, 'record:link', record.site_id),
    transitions: transitionAbilities(deviationWorkflow, record, actor, await transitionActors(db, record.id)),
  };
}
