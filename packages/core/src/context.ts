import type { Database, Tx } from './db/database.js';
import type { JobQueue } from './kernel/jobs.js';
import type { InstanceKey } from './kernel/keys.js';
import type { Mailer } from './mail/mailer.js';

/** Where a request came from: recorded in every audit entry. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
  authMethod?: 'session' | 'api-token' | 'cli' | 'system';
  sessionId?: string;
}

/** A clock that tests can move. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface RoleGrant {
  role: string;
  siteId: string;
  siteCode: string;
}

/** The authenticated person (or the system) on whose behalf a command runs. */
export interface Actor {
  id: string | null;
  username: string;
  fullName: string;
  roles: RoleGrant[];
  /** Scopes of an API token; undefined for an interactive session. */
  tokenScopes?: string[];
}

export const systemActor: Actor = { id: null, username: 'system', fullName: 'Verity system', roles: [] };

/** What every core command needs besides its input: the database, the instance key, the clock. */
export interface Services {
  db: Database;
  key: InstanceKey;
  clock: Clock;
  settings: SecuritySettings;
  files: { dir: string };
  /** Where events and background work go, inside the caller's transaction. */
  jobs: JobQueue;
  /** The e-mail channel (SMTP); disabled when SMTP_URL is not set. Used by job handlers, after commit. */
  mail: Mailer;
}

export interface SecuritySettings {
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  lockoutThreshold: number;
  passwordMinLength: number;
  passwordHistory: number;
  passwordMaxAgeDays: number;
  temporaryPasswordHours: number;
  /** Days overdue after which open training is escalated to the trainee's manager. */
  trainingEscalationDays: number;
  /** Days overdue after which an open quality record is escalated to its owner's manager. */
  escalationDays: number;
  /** The effectiveness check of a CAPA must be signed by someone other than its owner. */
  capaIndependentEffectiveness: boolean;
}

export const defaultSecuritySettings: SecuritySettings = {
  sessionIdleMinutes: 15,
  sessionAbsoluteHours: 12,
  lockoutThreshold: 5,
  passwordMinLength: 12,
  passwordHistory: 5,
  passwordMaxAgeDays: 90,
  temporaryPasswordHours: 24,
  trainingEscalationDays: 7,
  escalationDays: 7,
  capaIndependentEffectiveness: true,
};

/** A command's context: services plus who acts, from where, inside which transaction. */
export interface Ctx {
  services: Services;
  tx: Tx;
  actor: Actor;
  request: RequestContext;
  now: Date;
}

/** SQLSTATEs of a transaction that lost a race (deadlock, serialization, a unique key taken meanwhile): safe to run again. */
const retryable = new Set(['40P01', '40001', '23505']);

/**
 * Runs fn in one transaction with a context; every change and its audit entries commit together.
 * A transaction that lost a race with another one is rolled back whole and run again (up to 3 times).
 */
export async function withTransaction<T>(services: Services, actor: Actor, request: RequestContext, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await services.db.transaction((tx) => fn({ services, tx, actor, request, now: services.clock.now() }));
    } catch (error) {
      const state = (error as { code?: unknown }).code;
      if (attempt >= 3 || typeof state !== 'string' || !retryable.has(state)) throw error;
    }
  }
}
