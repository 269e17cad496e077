import { createBoss, createMailer, parseSettings, prepareJobs, queueMail, systemActor, withTransaction } from '@verity/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handlers, startWorkers } from '../src/worker.js';
import { type TestWorld, testWorld } from './support/harness.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

let sink: SmtpSink;
let world: TestWorld;

beforeAll(async () => {
  sink = await startSmtpSink();
  world = await testWorld({ settings: { sessionIdleMinutes: 240 }, smtpUrl: sink.url });
});
afterAll(async () => {
  await sink.close();
});

type Job = { id: string; data: Record<string, unknown>; state: string };
const mailJobs = (subject: string) => world.db.query<Job>("SELECT id, data, state::text FROM pgboss.job WHERE name = 'mail-send' AND data->>'subject' = $1", [subject]);
const mailLog = (jobId: string) => world.db.query<{ recipient: string; subject: string }>('SELECT recipient, subject FROM mail_log WHERE source_job = $1 ORDER BY recipient', [jobId]);
const received = (subject: string) => sink.messages.filter((m) => m.subject === subject);
const queue = (message: { to: string; subject: string; text: string }) => withTransaction(world.services, systemActor, {}, (ctx) => queueMail(ctx, message));

describe('e-mail through the outbox and SMTP', () => {
  it('a mail queued in a committed transaction reaches the SMTP server with its recipient, sender, subject and text, and is logged', async () => {
    const text = 'Deviation DEV-2026-0001 is waiting for your triage.\nPlease review it today. Grüße, Verity';
    await queue({ to: 'quinn@example.test', subject: 'Triage waiting: DEV-2026-0001', text });
    const [job] = await mailJobs('Triage waiting: DEV-2026-0001');
    expect(job.data).toEqual({ to: 'quinn@example.test', subject: 'Triage waiting: DEV-2026-0001', text });
    await handlers['mail.send'](world.services, job);
    const mail = await sink.waitFor((m) => m.subject === 'Triage waiting: DEV-2026-0001');
    expect(mail).toMatchObject({ from: 'Verity <verity@localhost>', to: ['quinn@example.test'] });
    expect(mail.text.trimEnd()).toBe(text);
    expect(await mailLog(job.id)).toEqual([{ recipient: 'quinn@example.test', subject: 'Triage waiting: DEV-2026-0001' }]);
  });

  it('a mail queued in a transaction that rolls back is never queued nor sent', async () => {
    await expect(
      withTransaction(world.services, systemActor, {}, async (ctx) => {
        await queueMail(ctx, { to: 'quinn@example.test', subject: 'Rolled back mail', text: 'Must never arrive' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await mailJobs('Rolled back mail')).toEqual([]);
    // Work every mail job there is: none of them is the rolled-back one.
    const pending = await world.db.query<Job>("SELECT id, data, state::text FROM pgboss.job WHERE name = 'mail-send'");
    for (const job of pending) await handlers['mail.send'](world.services, job);
    expect(received('Rolled back mail')).toEqual([]);
    expect(await world.db.query("SELECT 1 FROM mail_log WHERE subject = 'Rolled back mail'")).toEqual([]);
  });

  it('a mail job worked twice with the same job id (a retry) is sent once and logged once', async () => {
    await queue({ to: 'ivy@example.test', subject: 'Sent once', text: 'Only one copy of this mail.' });
    const [job] = await mailJobs('Sent once');
    await handlers['mail.send'](world.services, job);
    await handlers['mail.send'](world.services, job);
    await sink.waitFor((m) => m.subject === 'Sent once');
    expect(received('Sent once')).toHaveLength(1);
    expect(await mailLog(job.id)).toHaveLength(1);
  });

  it('[P11-300d-1] a locked account e-mails every active system administrator with an e-mail address, once per alert, and still logs the alert', async () => {
    const ada = await world.user('ada', [{ role: 'sysadmin', siteCode: 'BER' }], 'Ada Admin', { email: 'ada@example.test' });
    await world.user('sam', [{ role: 'sysadmin', siteCode: 'BOS' }], 'Sam Admin', { email: 'sam@example.test' });
    await world.user('nomail', [{ role: 'sysadmin', siteCode: 'BER' }], 'Admin Without Mail');
    const gone = await world.user('gone', [{ role: 'sysadmin', siteCode: 'BER' }], 'Former Admin', { email: 'gone@example.test' });
    await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA', { email: 'quinn.qa@example.test' });
    const adaClient = await world.signIn(ada.username);
    expect((await adaClient.post(`/api/v1/users/${gone.id}/deactivate`, { reason: 'Left the company' })).status).toBe(200);

    const locked = await world.user('oscar', [{ role: 'operator', siteCode: 'BER' }], 'Oscar Operator', { email: 'oscar@example.test' });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await world.anonymous.request('POST', '/api/v1/auth/login', { username: locked.username, password: `Wrong-password-${attempt}x` }, { 'x-forwarded-for': `10.88.0.${attempt}` });
    }
    const [alert] = await world.db.query<Job>("SELECT id, data, state::text FROM pgboss.job WHERE name = 'security-account-locked' AND data->>'userId' = $1", [locked.id]);
    expect(alert).toBeDefined();

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await handlers['security.account_locked'](world.services, alert);
      await handlers['security.account_locked'](world.services, alert);
      expect(warn).toHaveBeenCalledWith(JSON.stringify({ level: 'warn', securityAlert: 'security.account_locked', ...alert.data }));
    } finally {
      warn.mockRestore();
    }
    const subject = `Verity security alert: account ${locked.username} locked`;
    const mails = received(subject);
    expect(mails.map((m) => m.to).sort()).toEqual([['ada@example.test'], ['sam@example.test']]);
    expect(mails[0].text).toContain(`The account ${locked.username} was locked after repeated failed login attempts.`);
    expect(mails[0].text).toContain('Client address: 10.88.0.5');
    expect((await mailLog(alert.id)).map((r) => r.recipient)).toEqual(['ada@example.test', 'sam@example.test']);
  });

  it('without SMTP_URL the mailer is disabled: send throws, and the job completes with a warning, sending and logging nothing', async () => {
    const settings = parseSettings({});
    expect(settings.SMTP_URL).toBeUndefined();
    expect(settings.MAIL_FROM).toBe('Verity <verity@localhost>');
    expect(() => parseSettings({ SMTP_URL: 'http://mail.example.test' })).toThrow('SMTP_URL: must be an smtp:// or smtps:// URL');
    expect(parseSettings({ SMTP_URL: 'smtps://user:secret@mail.example.test:465' }).SMTP_URL).toBe('smtps://user:secret@mail.example.test:465');

    const mail = createMailer(settings);
    expect(mail.enabled).toBe(false);
    await expect(mail.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toThrow('E-mail is not configured: set SMTP_URL');

    await queue({ to: 'ivy@example.test', subject: 'Mail while disabled', text: 'Not sent' });
    const [job] = await mailJobs('Mail while disabled');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await handlers['mail.send']({ ...world.services, mail }, job);
      expect(warn).toHaveBeenCalledWith(JSON.stringify({ level: 'warn', msg: 'e-mail not sent: SMTP_URL is not set', job: job.id, type: 'mail.send' }));
    } finally {
      warn.mockRestore();
    }
    expect(await mailLog(job.id)).toEqual([]);
    expect(received('Mail while disabled')).toEqual([]);
  });

  it('a running pg-boss worker sends a queued mail after commit and completes the job', async () => {
    const boss = createBoss(world.db, { worker: true });
    await prepareJobs(boss);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined); // earlier security alerts are worked again
    await startWorkers(boss, world.services, { error: () => undefined } as never);
    try {
      await queue({ to: 'olivia@example.test', subject: 'Delivered by the worker', text: 'Sent after commit.' });
      const mail = await sink.waitFor((m) => m.subject === 'Delivered by the worker', 20_000);
      expect(mail.to).toEqual(['olivia@example.test']);
      let state = '';
      for (let i = 0; i < 100 && state !== 'completed'; i++) {
        state = (await mailJobs('Delivered by the worker'))[0]?.state ?? '';
        if (state !== 'completed') await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toBe('completed');
      expect(received('Delivered by the worker')).toHaveLength(1);
    } finally {
      await boss.stop({ graceful: false, close: false, wait: true, timeout: 1000 });
      warn.mockRestore();
    }
  });
});
