import type { Task } from '@verity/contracts';
import type { Actor } from '../context.js';
import type { Queryable } from '../db/database.js';
import { candidateTasks, isoDay } from '../kernel/record-queries.js';
import { denial, transitionActorsOf, type WorkflowDefinition } from '../kernel/workflow.js';
import { deviationWorkflow } from './deviations/workflow.js';
import { actionWorkflow, capaWorkflow } from './capa/workflow.js';
import { changeWorkflow } from './changes/workflow.js';
import { documentWorkflow, revisionWorkflow } from './documents/workflow.js';

/** Every process workflow Verity runs; search, tasks and the trace view iterate over these. */
export const workflows: WorkflowDefinition[] = [deviationWorkflow, capaWorkflow, actionWorkflow, changeWorkflow, documentWorkflow, revisionWorkflow];

export const workflowOf = (type: string) => workflows.find((w) => w.type === type);

/** "My tasks": every record where the actor may take a workflow step now, soonest due first. */
export async function tasksOf(db: Queryable, actor: Actor, now: Date): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const workflow of workflows) {
    const candidates = await candidateTasks(db, actor, workflow);
    const histories = await transitionActorsOf(db, candidates.map((r) => r.id), workflow.roundStart);
    for (const record of candidates) {
      if (workflow.taskWhen && !workflow.taskWhen(record, now)) continue;
      const history = histories.get(record.id) ?? new Map<string, Set<string>>();
      const next = workflow.transitions.find((t) => t.action !== 'cancel' && !t.requiresReason && denial(t, record, actor, history) === null);
      if (!next) continue;
      const state = workflow.states[record.status];
      tasks.push({
        recordId: record.id,
        number: record.number,
        type: record.type,
        title: record.title,
        status: record.status,
        statusLabel: state?.label ?? record.status,
        action: next.action,
        actionLabel: next.label,
        dueDate: record.due_date,
        overdue: Boolean(record.due_date && record.due_date < isoDay(now)),
      });
    }
  }
  return tasks;
}
