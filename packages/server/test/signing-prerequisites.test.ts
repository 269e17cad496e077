import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, investigationFields, PASSWORD, type TestWorld, testWorld } from './support/harness.js';

let world: TestWorld;
let qa: Client;
let admin: Client;
let adminId: string;

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } });
  await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA');
  adminId = (await world.user('ada', [{ role: 'sysadmin', siteCode: 'BER' }], 'Ada Admin')).id;
  qa = await world.signIn('quinn');
  admin = await world.signIn('ada');
});

/** A deviation under investigation, ready for a signed submission. */
async function underInvestigation() {
  const created = (await qa.post('/api/v1/deviations', deviationInput())).body;
  const triaged = await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
  return { id: created.id as string, version: triaged.body.version as number };
}

const submit = (client: Client, record: { id: string; version: number }, signature: Record<string, unknown>) =>
  client.post(`/api/v1/deviations/${record.id}/transitions`, { version: record.version, action: 'submit_investigation', fields: investigationFields, signature });

describe('before a first electronic signature', () => {
  it('[P11-100b-1] a signature is refused until an administrator has recorded how the signer\'s identity was verified; nobody verifies themselves', async () => {
    const newcomer = await world.user('nina', [{ role: 'investigator', siteCode: 'BER' }], 'Nina Newcomer', { onboarded: false });
    const nina = await world.signIn('nina');
    expect((await nina.get('/api/v1/auth/me')).body).toMatchObject({ identityVerified: false, signatureStatementAccepted: false });
    const record = await underInvestigation();
    const refused = await submit(nina, record, { username: 'nina', password: PASSWORD, meaning: 'authorship', acceptStatement: true });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('SIGNING_NOT_ESTABLISHED');
    expect(await world.db.query('SELECT 1 FROM signature WHERE record_id = $1', [record.id])).toHaveLength(0);

    const selfVerification = await admin.post(`/api/v1/users/${adminId}/identity-verification`, { method: 'in-person-photo-id', evidenceRef: 'my own badge' });
    expect(selfVerification.status).toBe(403);
    expect(selfVerification.body.code).toBe('SEGREGATION_OF_DUTIES');
    expect((await qa.post(`/api/v1/users/${newcomer.id}/identity-verification`, { method: 'hr-record', evidenceRef: 'HR-1' })).status).toBe(403);
    expect((await admin.post(`/api/v1/users/${newcomer.id}/identity-verification`, { method: 'a hunch', evidenceRef: 'x' })).status).toBe(422);

    const verified = await admin.post(`/api/v1/users/${newcomer.id}/identity-verification`, { method: 'in-person-photo-id', evidenceRef: 'Passport checked, HR file 2026-118' });
    expect(verified.status).toBe(201);
    expect(verified.body.verifiedByName).toBe('Ada Admin');
    const users = (await admin.get('/api/v1/users')).body.items;
    expect(users.find((u: { id: string }) => u.id === newcomer.id).identityVerified).toBe(true);
    const trail = await world.db.query<{ action: string; actor_name: string; changes: unknown }>("SELECT action, actor_name, changes FROM audit_entry WHERE entity_id = $1 AND action = 'user.identity_verified'", [newcomer.id]);
    expect(trail).toEqual([{ action: 'user.identity_verified', actor_name: 'Ada Admin', changes: [{ field: 'identityVerification', old: null, new: { method: 'in-person-photo-id', evidenceRef: 'Passport checked, HR file 2026-118' } }] }]);
    await expect(world.db.query('UPDATE identity_verification SET evidence_ref = $1', ['forged'])).rejects.toThrow(/append-only|not allowed/);

    const signed = await submit(nina, record, { username: 'nina', password: PASSWORD, meaning: 'authorship', acceptStatement: true });
    expect(signed.status).toBe(200);
  });

  it('[P11-10j-1] the first signature requires accepting the accountability statement; the acceptance is recorded with user, time and statement version', async () => {
    const person = await world.user('otto', [{ role: 'investigator', siteCode: 'BER' }], 'Otto Onboard', { onboarded: false });
    await admin.post(`/api/v1/users/${person.id}/identity-verification`, { method: 'hr-record', evidenceRef: 'HR-77' });
    const otto = await world.signIn('otto');
    const statement = await otto.get('/api/v1/auth/signature-statement');
    expect(statement.body.version).toBe(1);
    expect(statement.body.text).toMatch(/legally binding equivalent of my handwritten signature/);
    const record = await underInvestigation();
    const withoutAcceptance = await submit(otto, record, { username: 'otto', password: PASSWORD, meaning: 'authorship' });
    expect(withoutAcceptance.status).toBe(422);
    expect(withoutAcceptance.body.code).toBe('SIGNATURE_STATEMENT_REQUIRED');
    expect(withoutAcceptance.body.errors[0].path).toBe('signature.acceptStatement');
    expect(await world.db.query('SELECT 1 FROM signature WHERE record_id = $1', [record.id])).toHaveLength(0);
    world.clock.advance(60_000);
    const accepted = await submit(otto, record, { username: 'otto', password: PASSWORD, meaning: 'authorship', acceptStatement: true });
    expect(accepted.status).toBe(200);
    const [row] = await world.db.query<{ user_id: string; statement_version: number; accepted_at: Date }>('SELECT user_id, statement_version, accepted_at FROM signature_statement_acceptance WHERE user_id = $1', [person.id]);
    expect(row).toMatchObject({ user_id: person.id, statement_version: 1 });
    expect(row.accepted_at.toISOString()).toBe(world.clock.now().toISOString());
    expect((await otto.get('/api/v1/auth/me')).body.signatureStatementAccepted).toBe(true);
    // Once accepted, later signatures need no acceptance.
    const next = await underInvestigation();
    expect((await submit(otto, next, { password: PASSWORD, meaning: 'authorship' })).status).toBe(200);
    // A wrong password with acceptance does not record an acceptance.
    const third = await world.user('pia', [{ role: 'investigator', siteCode: 'BER' }], 'Pia Probe', { onboarded: false });
    await admin.post(`/api/v1/users/${third.id}/identity-verification`, { method: 'hr-record', evidenceRef: 'HR-78' });
    const pia = await world.signIn('pia');
    expect((await submit(pia, await underInvestigation(), { username: 'pia', password: 'wrong-password-1', meaning: 'authorship', acceptStatement: true })).status).toBe(401);
    expect(await world.db.query('SELECT 1 FROM signature_statement_acceptance WHERE user_id = $1', [third.id])).toHaveLength(0);
  });
});
