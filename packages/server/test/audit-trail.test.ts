import { appendAudit, sealCheckpoint, systemActor, verifyAuditTrail, withTransaction } from '@verity/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, type TestWorld, testWorld } from './support/harness.js';

let world: TestWorld;
let qa: Client;

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } });
  await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA');
  qa = await world.signIn('quinn');
});

async function deviationWithHistory() {
  const created = await qa.post('/api/v1/deviations', deviationInput());
  let version = created.body.version;
  for (const area of ['Suite C', 'Suite D']) {
    const edited = await qa.patch(`/api/v1/deviations/${created.body.id}`, { version, reason: 'correction', area });
    version = edited.body.version;
  }
  return created.body.id as string;
}

const tamper = (sql: string, params: unknown[] = []) => tamperIn(world, sql, params);

async function verify() {
  const response = await qa.post('/api/v1/audit-trail/verify');
  expect(response.status).toBe(200);
  return response.body as { ok: boolean; problems: { kind: string; seq: number | null; entityId: string | null; entitySeq: number | null; detail: string }[] };
}

describe('audit trail integrity', () => {
  it('[P11-10e-4] the database refuses UPDATE, DELETE and TRUNCATE of audit entries, signatures and versions', async () => {
    await deviationWithHistory();
    for (const sql of ["UPDATE audit_entry SET reason = 'forged'", 'DELETE FROM audit_entry', 'TRUNCATE audit_entry', 'DELETE FROM record_version', 'UPDATE signature SET meaning = meaning', 'DELETE FROM record', 'DELETE FROM audit_checkpoint']) {
      await expect(world.db.query(sql), sql).rejects.toThrow(/append-only|not allowed/);
    }
    expect((await qa.request('DELETE', '/api/v1/audit-trail/entries')).status).toBe(405);
    expect((await qa.request('PUT', '/api/v1/audit-trail/entries')).status).toBe(405);
  });

  it('[P11-10e-1] a change that rolls back leaves no audit entry', async () => {
    const before = await world.count('audit_entry');
    await expect(
      withTransaction(world.services, systemActor, {}, async (ctx) => {
        await appendAudit(ctx, { entityType: 'system', entityId: 'system:test', action: 'site.created', changes: [{ field: 'x', old: null, new: 1 }] });
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    expect(await world.count('audit_entry')).toBe(before);
  });

  it('an untouched trail verifies, including sealed checkpoints signed with the instance key', async () => {
    await deviationWithHistory();
    expect(await sealCheckpoint(world.services)).toBeGreaterThan(0);
    await deviationWithHistory();
    expect(await sealCheckpoint(world.services)).toBeGreaterThan(0);
    expect(await sealCheckpoint(world.services)).toBe(0);
    const result = await verify();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('[P11-10e-4][P11-10a-1] an entry edited directly in SQL is named by verification', async () => {
    const id = await deviationWithHistory();
    await sealCheckpoint(world.services);
    const [entry] = await world.db.query<{ seq: number }>("SELECT seq FROM audit_entry WHERE entity_id = $1 AND action = 'record.updated' ORDER BY seq LIMIT 1", [id]);
    await tamper("UPDATE audit_entry SET changes = '[{\"field\":\"area\",\"old\":\"x\",\"new\":\"y\"}]' WHERE seq = $1", [entry.seq]);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ kind: 'entry-altered', seq: entry.seq, entityId: id }));
  });
});

describe('tamper detection on a clean trail per case', () => {
  // Each case gets its own world, since tampering leaves the trail broken for good.
  const cases: { name: string; ids: string; attack: (w: TestWorld, id: string) => Promise<void>; expectKind: string }[] = [
    {
      name: 'an entry deleted from the middle of a chain',
      ids: '[P11-10e-4]',
      expectKind: 'entry-missing',
      attack: async (w, id) => {
        const [entry] = await w.db.query<{ seq: number }>('SELECT seq FROM audit_entry WHERE entity_id = $1 AND entity_seq = 2', [id]);
        await tamperIn(w, 'DELETE FROM audit_entry WHERE seq = $1', [entry.seq]);
      },
    },
    {
      name: 'the last entry of a chain deleted',
      ids: '[P11-10e-4]',
      expectKind: 'head-mismatch',
      attack: async (w, id) => {
        await tamperIn(w, 'DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry WHERE entity_id = $1)', [id]);
      },
    },
    {
      name: 'an entry inserted with a forged hash',
      ids: '[P11-10e-4]',
      expectKind: 'entry-altered',
      attack: async (w, id) => {
        await tamperIn(
          w,
          `INSERT INTO audit_entry (entity_type, entity_id, entity_seq, action, actor_id, actor_name, at, reason, changes, context, prev_hash, hash)
           SELECT entity_type, entity_id, 99, 'record.updated', actor_id, actor_name, at, 'inserted', changes, context, hash, repeat('a', 64)
             FROM audit_entry WHERE entity_id = $1 ORDER BY entity_seq DESC LIMIT 1`,
          [id],
        );
      },
    },
    {
      name: 'two entries of a chain swapped',
      ids: '[P11-10e-4]',
      expectKind: 'entry-inserted',
      attack: async (w, id) => {
        await tamperIn(w, 'UPDATE audit_entry SET entity_seq = -entity_seq WHERE entity_id = $1 AND entity_seq IN (2, 3)', [id]);
        await tamperIn(w, 'UPDATE audit_entry SET entity_seq = CASE WHEN entity_seq = -2 THEN 3 ELSE 2 END WHERE entity_id = $1 AND entity_seq IN (-2, -3)', [id]);
      },
    },
    {
      name: 'a record field changed in SQL behind the application',
      ids: '[P11-10a-1]',
      expectKind: 'record-altered',
      attack: async (w, id) => {
        await tamperIn(w, `UPDATE record SET data = jsonb_set(data, '{area}', '"Somewhere else"') WHERE id = $1`, [id]);
      },
    },
    {
      name: 'a signature seal or signer changed in SQL',
      ids: '[P11-100a-3]',
      expectKind: 'signature-invalid',
      attack: async (w, id) => {
        await tamperIn(w, "UPDATE signature SET signer_name = 'Someone Else' WHERE record_id = $1", [id]);
      },
    },
    {
      name: 'a sealed checkpoint rewritten',
      ids: '[P11-10e-4]',
      expectKind: 'checkpoint-mismatch',
      attack: async (w) => {
        await tamperIn(w, "UPDATE audit_checkpoint SET merkle_root = repeat('b', 64)");
      },
    },
  ];

  for (const c of cases) {
    it(`${c.ids} verification names ${c.name}`, async () => {
      const w = await testWorld({ settings: { sessionIdleMinutes: 240 } });
      await w.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA');
      await w.user('ivy', [{ role: 'investigator', siteCode: 'BER' }], 'Ivy Investigator');
      const client = await w.signIn('quinn');
      const created = await client.post('/api/v1/deviations', deviationInput());
      const id = created.body.id as string;
      const edited = await client.patch(`/api/v1/deviations/${id}`, { version: 1, reason: 'correction', area: 'Suite C' });
      await client.post(`/api/v1/deviations/${id}/transitions`, { version: edited.body.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
      const ivy = await w.signIn('ivy');
      const current = await ivy.get(`/api/v1/deviations/${id}`);
      const signed = await ivy.post(`/api/v1/deviations/${id}/transitions`, {
        version: current.body.version,
        action: 'submit_investigation',
        fields: { rootCauseCategory: 'method', rootCause: 'r', fiveWhys: ['a'], investigationSummary: 's', productImpact: 'none' },
        signature: { username: 'ivy', password: 'Correct-horse-battery-9', meaning: 'authorship' },
      });
      expect(signed.status).toBe(200);
      await sealCheckpoint(w.services);
      expect((await verifyAuditTrail(w.services)).ok).toBe(true);
      await c.attack(w, id);
      const result = (await client.post('/api/v1/audit-trail/verify')).body as Awaited<ReturnType<typeof verify>>;
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => p.kind)).toContain(c.expectKind);
      const named = result.problems.find((p) => p.kind === c.expectKind);
      expect(named?.detail.length).toBeGreaterThan(10);
      const trail = await client.get(`/api/v1/records/${id}/audit-trail`);
      expect(trail.status).toBe(200);
    });
  }
});

/** Runs SQL as a superuser with triggers switched off, as an attacker with database access would. */
async function tamperIn(w: TestWorld, sql: string, params: unknown[] = []) {
  await w.db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = 'replica'");
    await tx.query(sql, params);
  });
}
