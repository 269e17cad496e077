import type { SignatureMeaning, TransitionAbility } from '@verity/contracts';
import type { Actor, Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError } from '../errors.js';
import { can } from '../identity/access.js';
import { emit, type OutboxEventType } from './outbox.js';
import { applyChange, type RecordChange, type RecordRow } from './records.js';

export interface StateDefinition {
  label: string;
  final?: boolean;
  /** Whether the record's fields may be edited in this state. */
  editable?: boolean;
}

/** Who may not take this transition: the people who took the named earlier transitions (segregation of duties). */
export interface SegregationRule {
  notActorOf: string[];
  description: string;
}

/** Side effects a transition triggers after commit, by name; each becomes a job for the worker. */
export const sideEffects = {
  'notify-next-actors': 'record.transitioned',
} as const satisfies Record<string, OutboxEventType>;
export type SideEffect = keyof typeof sideEffects;

export interface TransitionDefinition {
  action: string;
  label: string;
  from: string[];
  to: string;
  permission: string;
  requiredFields?: string[];
  /** Fields the step may record that are required only in some cases (checked by the process). */
  optionalFields?: string[];
  requiresReason?: boolean;
  signature?: { meanings: SignatureMeaning[] };
  segregation?: SegregationRule;
  effects?: SideEffect[];
  /** Taken by Verity itself (a schedule or another record's step), never offered to people. */
  system?: boolean;
  /** A further rule over the record's own data, e.g. "only the named reviewers": why not, or null. */
  check?: (record: RecordRow, actor: Actor, history: Map<string, Set<string>>) => string | null;
}

/** A process lifecycle as data, readable by a validation engineer. */
export interface WorkflowDefinition {
  type: string;
  version: number;
  label: string;
  numberPrefix: string;
  /** The regulatory clauses this workflow implements. */
  clauses: string[];
  initial: string;
  /** The transition that starts a new round (e.g. a resubmission for review): earlier actors of later steps no longer count. */
  roundStart?: string;
  /** Readers who do not work on these records (seesAll false) find only records in these states (e.g. effective documents). */
  pointOfUse?: { states: string[]; seesAll: (actor: Actor, siteId: string) => boolean };
  /** Whether a record that allows a step is shown in "my tasks" now (default: always). */
  taskWhen?: (record: RecordRow, now: Date) => boolean;
  states: Record<string, StateDefinition>;
  transitions: TransitionDefinition[];
}

/** The people who took each earlier transition of a record, from its audit trail. */
export async function transitionActors(db: Queryable, recordId: string, roundStart?: string): Promise<Map<string, Set<string>>> {
  return (await transitionActorsOf(db, [recordId], roundStart)).get(recordId) ?? new Map();
}

/** transitionActors for many records in one query (task lists). */
export async function transitionActorsOf(db: Queryable, recordIds: string[], roundStart?: string): Promise<Map<string, Map<string, Set<string>>>> {
  const rows = recordIds.length
    ? await db.query<{ entity_id: string; transition: string; actor_id: string }>(
        `SELECT entity_id, context->>'transition' AS transition, actor_id FROM audit_entry
          WHERE entity_id = ANY($1::text[]) AND action = 'record.transitioned' AND actor_id IS NOT NULL ORDER BY seq`,
        [recordIds],
      )
    : [];
  const byRecord = new Map<string, Map<string, Set<string>>>();
  for (const r of rows) {
    if (r.transition === roundStart) byRecord.delete(r.entity_id);
    const actors = byRecord.get(r.entity_id) ?? new Map<string, Set<string>>();
    actors.set(r.transition, (actors.get(r.transition) ?? new Set()).add(r.actor_id));
    byRecord.set(r.entity_id, actors);
  }
  return byRecord;
}

/** Why the actor may not take a transition now, or null when allowed. */
export function denial(definition: TransitionDefinition, record: RecordRow, actor: Actor, history: Map<string, Set<string>>): { code: 'FORBIDDEN' | 'SEGREGATION_OF_DUTIES' | 'INVALID_TRANSITION'; message: string } | null {
  if (!definition.from.includes(record.status)) return { code: 'INVALID_TRANSITION', message: `"${definition.label}" is not possible while the record is ${record.status}` };
  if (definition.system) return { code: 'FORBIDDEN', message: `"${definition.label}" is done by Verity itself` };
  if (!can(actor, definition.permission, record.site_id)) return { code: 'FORBIDDEN', message: `You lack the permission ${definition.permission} at site ${record.site_code}` };
  for (const meaning of definition.signature?.meanings ?? []) {
    if (!can(actor, `sign:${meaning}`, record.site_id)) return { code: 'FORBIDDEN', message: `You are not authorised to sign with the meaning "${meaning}"` };
  }
  if (definition.segregation && actor.id) {
    for (const earlier of definition.segregation.notActorOf) {
      if (history.get(earlier)?.has(actor.id)) return { code: 'SEGREGATION_OF_DUTIES', message: definition.segregation.description };
    }
  }
  const refused = definition.check?.(record, actor, history);
  if (refused) return { code: 'FORBIDDEN', message: refused };
  return null;
}

/** The transitions offered from the record's state, each with whether this actor may take it. */
export function transitionAbilities(workflow: WorkflowDefinition, record: RecordRow, actor: Actor, history: Map<string, Set<string>>): TransitionAbility[] {
  return workflow.transitions
    .filter((t) => t.from.includes(record.status) && !t.system)
    .map((t) => {
      const denied = denial(t, record, actor, history);
      return {
        action: t.action,
        label: t.label,
        to: t.to,
        requiresSignature: Boolean(t.signature),
        meanings: t.signature?.meanings ?? [],
        requiresReason: Boolean(t.requiresReason),
        requiredFields: t.requiredFields ?? [],
        optionalFields: t.optionalFields ?? [],
        allowed: denied === null,
        deniedBecause: denied?.message ?? null,
      };
    });
}

export function findTransition(workflow: WorkflowDefinition, action: string): TransitionDefinition {
  const definition = workflow.transitions.find((t) => t.action === action);
  if (!definition) {
    throw new DomainError('VALIDATION_FAILED', `Unknown action "${action}"`, [{ path: 'action', message: `must be one of ${workflow.transitions.map((t) => t.action).join(', ')}` }]);
  }
  return definition;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

export interface TransitionInput {
  action: string;
  version: number;
  reason?: string;
  /** Field values validated by the process, applied together with the state change. */
  data?: Record<string, unknown>;
  signatureMeaning?: string;
}

/**
 * The one engine that moves any record through its workflow: checks the state, authority,
 * segregation of duties, version, reason, required fields and signature meaning, then applies
 * the change, writes its audit entry and queues its declared side effects, all in the caller's
 * transaction. Signing is done by the caller after this returns, bound to the new version.
 */
export async function applyTransition(ctx: Ctx, workflow: WorkflowDefinition, record: RecordRow, input: TransitionInput): Promise<{ record: RecordRow; definition: TransitionDefinition }> {
  const definition = findTransition(workflow, input.action);
  const history = await transitionActors(ctx.tx, record.id, workflow.roundStart);
  const denied = denial(definition, record, ctx.actor, history);
  if (denied) throw new DomainError(denied.code, denied.message);
  if (definition.requiresReason && isEmpty(input.reason)) throw new DomainError('VALIDATION_FAILED', 'A reason is required for this action', [{ path: 'reason', message: 'is required' }]);
  if (definition.signature) {
    if (!input.signatureMeaning) throw new DomainError('SIGNATURE_REQUIRED', `"${definition.label}" needs your electronic signature`, [{ path: 'signature', message: 'is required' }]);
    if (!definition.signature.meanings.includes(input.signatureMeaning as SignatureMeaning)) {
      throw new DomainError('SIGNATURE_MEANING_INVALID', `The meaning "${input.signatureMeaning}" is not allowed here`, [{ path: 'signature.meaning', message: `must be one of ${definition.signature.meanings.join(', ')}` }]);
    }
  }
  const merged = { ...record.data, ...input.data };
  const missing = (definition.requiredFields ?? []).filter((field) => isEmpty(merged[field]));
  if (missing.length > 0) {
    throw new DomainError('GUARD_FAILED', `Complete ${missing.join(', ')} before "${definition.label}"`, missing.map((path) => ({ path: `fields.${path}`, message: 'is required for this action' })));
  }
  const result = await applyChange(ctx, record, input.version, { status: definition.to, data: input.data }, {
    action: 'record.transitioned',
    reason: input.reason ?? null,
    details: { transition: definition.action, from: record.status, to: definition.to, workflow: `${workflow.type}@${workflow.version}` },
  });
  for (const effect of definition.effects ?? []) {
    await emit(ctx, sideEffects[effect], {
      recordId: record.id, number: record.number, type: record.type, action: definition.action, from: record.status, to: definition.to, siteId: record.site_id, actorId: ctx.actor.id,
    });
  }
  return { record: result.record, definition };
}

/**
 * A step Verity takes itself (a schedule, or another record's step): same state check, version
 * write and audit entry as a person's step, with the acting context recorded as it is.
 */
export async function applySystemTransition(ctx: Ctx, workflow: WorkflowDefinition, record: RecordRow, action: string, change: Omit<RecordChange, 'status'> = {}): Promise<RecordRow> {
  const definition = findTransition(workflow, action);
  if (!definition.from.includes(record.status)) throw new DomainError('INVALID_TRANSITION', `"${definition.label}" is not possible while ${record.number} is ${record.status}`);
  const result = await applyChange(ctx, record, record.version, { ...change, status: definition.to }, {
    action: 'record.transitioned',
    details: { transition: definition.action, from: record.status, to: definition.to, workflow: `${workflow.type}@${workflow.version}`, automatic: true },
  });
  return result.record;
}

/**
 * Adds the process's own guards (those that need other records) to the abilities: a step that
 * would be refused with 422 is shown as not allowed, with the same reason.
 */
export function withGuards(transitions: TransitionAbility[], guards: Record<string, string | null | undefined>): TransitionAbility[] {
  return transitions.map((t) => (t.allowed && guards[t.action] ? { ...t, allowed: false, deniedBecause: guards[t.action] as string } : t));
}
