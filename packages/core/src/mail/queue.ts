import type { Ctx } from '../context.js';
import { emit } from '../kernel/outbox.js';
import type { MailMessage } from './mailer.js';

/** Queues an e-mail in the caller's transaction: the worker sends it after commit, never if the transaction rolls back. */
export async function queueMail(ctx: Ctx, message: MailMessage): Promise<void> {
  const { to, subject, text } = message;
  await emit(ctx, 'mail.send', { to, subject, text });
}
