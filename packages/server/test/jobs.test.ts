import { createBoss, prepareJobs, systemActor, withTransaction } from '@verity/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlers, startWorkers } from '../src/worker.js';
import { type Client, deviationInput, type TestWorld, testWorld } from './support/harness.js';

let world: TestWorld;
let reporter: Client;
let qa: Client;

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } });
  await world.user('oscar', [{ role: 'operator', siteCode: 'BER' }], 'Oscar Operator');
  await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA');
  await world.user('ivy', [{ role: 'investigator', siteCode: 'BER' }], 'Ivy Investigator');
  reporter = await world.signIn('oscar');
  qa = await world.signIn('quinn');
});

const jobsFor = (recordId: string) =>
  world.db.query<{ id: string; name: string; data: Record<string, unknown>; state: string }>("SELECT id, name, data, state::text FROM pgboss.job WHERE data->>'recordId' = $1", [recordId]);

describe('events through pg-boss', () => {
  it('a workflow step writes its event as a job in the same transaction; a failed step writes none', async () => {
    const created = (await reporter.post('/api/v1/deviations', deviationInput())).body;
    const refused = await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'minor' } });
    expect(refused.status).toBe(422);
    expect(await jobsFor(created.id)).toEqual([]);
    const triaged = await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    expect(triaged.status).toBe(200);
    const jobs = await jobsFor(created.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'record-transitioned', data: { action: 'triage', to: 'under_investigation', number: created.number } });
    await expect(
      withTransaction(world.services, systemActor, {}, async (ctx) => {
        await ctx.services.jobs.send(ctx.tx, 'record.transitioned', { recordId: created.id, probe: true });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await jobsFor(created.id)).toHaveLength(1);
  });

  it('the handler notifies who acts next, once per job even when the job is worked twice', async () => {
    const created = (await reporter.post('/api/v1/deviations', deviationInput({ title: 'Notify the investigator' }))).body;
    await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'major', triageRationale: 'Batch impact possible' } });
    const [job] = await jobsFor(created.id);
    await handlers['record.transitioned'](world.services, { id: job.id, data: job.data });
    await handlers['record.transitioned'](world.services, { id: job.id, data: job.data });
    const ivy = await world.signIn('ivy');
    const inbox = await ivy.get('/api/v1/notifications');
    const mine = inbox.body.items.filter((n: { recordId: string }) => n.recordId === created.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].message).toBe(`${created.number} is now Under investigation: Submit investigation for QA approval`);
    expect((await reporter.get('/api/v1/notifications')).body.items.filter((n: { recordId: string }) => n.recordId === created.id)).toEqual([]);
    expect((await ivy.post('/api/v1/notifications/read')).status).toBe(204);
    expect((await ivy.get('/api/v1/notifications')).body.unread).toBe(0);
  });

  it('a running pg-boss worker delivers the job after commit and marks it completed', async () => {
    const boss = createBoss(world.db, { worker: true });
    await prepareJobs(boss);
    await startWorkers(boss, world.services, { error: () => undefined } as never);
    try {
      const created = (await reporter.post('/api/v1/deviations', deviationInput({ title: 'Delivered by the worker' }))).body;
      await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
      let state = '';
      for (let i = 0; i < 100 && state !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await jobsFor(created.id))[0]?.state ?? '';
      }
      expect(state).toBe('completed');
      const [{ n }] = await world.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification WHERE record_id = $1', [created.id]);
      expect(n).toBeGreaterThan(0);
    } finally {
      await boss.stop({ graceful: false, close: false, wait: true, timeout: 1000 });
    }
  });
});
