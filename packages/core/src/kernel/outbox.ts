import type { Ctx, Services } from '../context.js';

/** Domain events delivered after commit (notifications, e-mail, webhooks, automation). */
export const outboxEvents = {
  'record.transitioned': 'A record moved to another workflow state',
  'security.account_locked': 'An account was locked after repeated failed authentications',
  'security.signature_failed': 'A signing attempt failed re-authentication',
} as const;
export type OutboxEventType = keyof typeof outboxEvents;

/** Writes an event in the caller's transaction: it is delivered only if the transaction commits. */
export async function emit(ctx: Ctx, type: OutboxEventType, payload: Record<string, unknown>): Promise<void> {
  await ctx.tx.query('INSERT INTO outbox (event_type, payload, created_at, available_at) VALUES ($1, $2, $3, $3)', [type, JSON.stringify(payload), ctx.now]);
}

export type OutboxHandler = (services: Services, event: { id: number; type: OutboxEventType; payload: Record<string, unknown> }) => Promise<void>;

/**
 * Delivers pending events, each in its own transaction with SKIP LOCKED, so several workers
 * (several server instances) deliver each event once. A failing handler is retried with backoff.
 */
export async function deliverOutbox(services: Services, handlers: Partial<Record<OutboxEventType, OutboxHandler>>, limit = 50): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < limit; i++) {
    const done = await services.db.transaction(async (tx) => {
      const [event] = await tx.query<{ id: number; event_type: OutboxEventType; payload: Record<string, unknown>; attempts: number }>(
        `SELECT id, event_type, payload, attempts FROM outbox WHERE delivered_at IS NULL AND available_at <= $1 ORDER BY available_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [services.clock.now()],
      );
      if (!event) return false;
      try {
        await handlers[event.event_type]?.({ ...services, db: { ...services.db, query: tx.query.bind(tx) } }, { id: event.id, type: event.event_type, payload: event.payload });
        await tx.query('UPDATE outbox SET delivered_at = $2, attempts = attempts + 1 WHERE id = $1', [event.id, services.clock.now()]);
      } catch (error) {
        const delayMs = Math.min(3600_000, 1000 * 2 ** event.attempts);
        await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2, available_at = $3 WHERE id = $1', [
          event.id,
          String(error instanceof Error ? error.message : error).slice(0, 1000),
          new Date(services.clock.now().getTime() + delayMs),
        ]);
      }
      return true;
    });
    if (!done) break;
    delivered++;
  }
  return delivered;
}
