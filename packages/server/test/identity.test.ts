import { randomUUID } from 'node:crypto';
import { totpCode } from '@verity/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { bearerClient, type Client, deviationInput, investigationFields, PASSWORD, type TestWorld, testWorld } from './support/harness.js';

// This file tests the idle timeout itself, so its world keeps the default security settings
// (15 min idle, 12 h absolute, lockout after 5). Every test makes its own users and signs in
// afresh after moving the clock, so no test depends on another's sessions or lockouts.
let world: TestWorld;

beforeAll(async () => {
  world = await testWorld();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A client bound to a session cookie (the harness's own factory is not exported). */
function cookieClient(cookie: string): Client & { put(url: string, body?: unknown): ReturnType<Client['request']> } {
  const request: Client['request'] = (method, url, body, headers = {}) => world.anonymous.request(method, url, body, { cookie: `verity_session=${cookie}`, ...headers });
  return {
    request,
    cookie,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body) => request('PATCH', url, body),
    put: (url, body) => request('PUT', url, body),
  };
}
type SessionClient = ReturnType<typeof cookieClient>;

// Sign-in is rate limited per client address (20/min); each attempt here comes from its own
// address (the app trusts X-Forwarded-For) so that the many attempts of this file never hit it.
let address = 0;
async function login(username: string, password: string, totp?: string) {
  address++;
  const ip = `10.77.${address >> 8}.${address & 255}`;
  const response = await world.anonymous.request('POST', '/api/v1/auth/login', { username, password, ...(totp ? { totp } : {}) }, { 'x-forwarded-for': ip });
  const setCookie = ([] as unknown[]).concat(response.headers['set-cookie'] ?? []).join('\n');
  const cookie = /verity_session=([^;]+)/.exec(setCookie)?.[1];
  return { ...response, ip, client: cookie ? cookieClient(cookie) : undefined };
}

async function signIn(username: string, password = PASSWORD): Promise<SessionClient> {
  const response = await login(username, password);
  if (response.status !== 200 || !response.client) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(response.body)}`);
  return response.client;
}

// User names must not occur inside PASSWORD ('Correct-horse-battery-9'); a digit suffix keeps them unique.
let serial = 0;
async function person(prefix: string, roles: { role: string; siteCode: string }[] = [{ role: 'operator', siteCode: 'BER' }]) {
  serial++;
  return world.user(`${prefix}${serial}`, roles, `${prefix} Person ${serial}`);
}

async function admin(): Promise<SessionClient> {
  const user = await person('adm', [{ role: 'sysadmin', siteCode: 'BER' }]);
  return signIn(user.username);
}

const auditOf = (entityId: string) =>
  world.db.query<{ action: string; reason: string | null; changes: { field: string; old: unknown; new: unknown }[]; context: Record<string, unknown>; actor_id: string | null }>(
    'SELECT action, reason, changes, context, actor_id FROM audit_entry WHERE entity_id = $1 ORDER BY seq',
    [entityId],
  );

const noPasswordMaterial = (body: unknown) => {
  const text = JSON.stringify(body);
  expect(text).not.toContain('$argon2');
  expect(text).not.toMatch(/password_?hash/i);
};

async function newDeviationUnderInvestigation(): Promise<{ id: string }> {
  const reporter = await signIn((await person('rep')).username);
  const qa = await signIn((await person('qam', [{ role: 'qa_manager', siteCode: 'BER' }])).username);
  const created = await reporter.post('/api/v1/deviations', deviationInput());
  expect(created.status).toBe(201);
  const triaged = await qa.post(`/api/v1/deviations/${created.body.id}/transitions`, { version: created.body.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
  expect(triaged.status).toBe(200);
  return { id: created.body.id };
}

async function submitInvestigation(client: Client, id: string, signature: Record<string, unknown>) {
  const current = await client.get(`/api/v1/deviations/${id}`);
  return client.post(`/api/v1/deviations/${id}/transitions`, { version: current.body.version, action: 'submit_investigation', fields: investigationFields, signature });
}

describe('user identity', () => {
  it('[P11-100a-1] user names are unique case-insensitively and never re-issued, even after deactivation', async () => {
    const ada = await admin();
    const created = await ada.post('/api/v1/users', { username: 'jdoe', fullName: 'John Doe', roles: [{ role: 'operator', siteCode: 'BER' }] });
    expect(created.status).toBe(201);
    const deactivated = await ada.post(`/api/v1/users/${created.body.user.id}/deactivate`, { reason: 'Left the company' });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    const users = await world.count('app_user');
    for (const username of ['JDoe', 'jdoe', 'JDOE']) {
      const again = await ada.post('/api/v1/users', { username, fullName: 'Jane Doe', roles: [] });
      expect(again.status).toBe(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(again.body.code).toBe('DUPLICATE');
      expect(again.body.errors).toEqual([{ path: 'username', message: 'already used' }]);
    }
    expect(await world.count('app_user')).toBe(users);
    // The deactivated user is kept, for ever, under its original spelling.
    const [row] = await world.db.query<{ username: string; active: boolean }>("SELECT username, active FROM app_user WHERE username_key = 'jdoe'");
    expect(row).toEqual({ username: 'jdoe', active: false });
  });

  it('[P11-300a-1] two parallel creates of the same user name give exactly one success', async () => {
    const ada = await admin();
    const body = (fullName: string) => ({ username: 'Twin.User', fullName, roles: [{ role: 'operator', siteCode: 'BER' }] });
    const results = await Promise.all([ada.post('/api/v1/users', body('First Twin')), ada.post('/api/v1/users', { ...body('Second Twin'), username: 'twin.user' })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('DUPLICATE');
    const rows = await world.db.query("SELECT id FROM app_user WHERE username_key = 'twin.user'");
    expect(rows).toHaveLength(1);
    const created = await world.db.query("SELECT entity_id FROM audit_entry WHERE action = 'user.created' AND entity_id = $1", [(rows[0] as { id: string }).id]);
    expect(created).toHaveLength(1);
  });

  it('[P11-200a3-1] an administrator gets a one-time temporary password; until it is changed every endpoint but me and password answers 403', async () => {
    const ada = await admin();
    const created = await ada.post('/api/v1/users', { username: 'newcomer', fullName: 'New Comer', email: 'new.comer@example.com', roles: [{ role: 'investigator', siteCode: 'BER' }], password: 'Admin-chosen-password-1' });
    expect(created.status).toBe(201);
    const temporary: string = created.body.temporaryPassword;
    expect(temporary.length).toBeGreaterThanOrEqual(16);
    expect(created.body.expiresAt).toBe(new Date(world.clock.now().getTime() + 24 * HOUR).toISOString());
    noPasswordMaterial(created.body);
    // The administrator cannot choose the password: the field is ignored, only the temporary one works.
    expect((await login('newcomer', 'Admin-chosen-password-1')).status).toBe(401);
    const signedIn = await login('newcomer', temporary);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.mustChangePassword).toBe(true);
    const newcomer = signedIn.client as SessionClient;
    const gated: [string, string, unknown?][] = [
      ['GET', '/api/v1/deviations'],
      ['POST', '/api/v1/deviations', deviationInput()],
      ['GET', '/api/v1/tasks'],
      ['GET', '/api/v1/sites'],
      ['GET', '/api/v1/search?q=anything'],
      ['POST', '/api/v1/auth/tokens', { name: 'ci', scopes: ['read'] }],
      ['POST', '/api/v1/auth/totp', {}],
      ['POST', '/api/v1/audit-trail/verify', {}],
    ];
    const records = await world.count('record');
    for (const [method, url, body] of gated) {
      const response = await newcomer.request(method as 'GET', url, body);
      expect(response.status, `${method} ${url}`).toBe(403);
      expect(response.body.code, `${method} ${url}`).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    expect(await world.count('record')).toBe(records);
    expect(await world.db.query("SELECT 1 FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username_key = 'newcomer'")).toHaveLength(0);
    const me = await newcomer.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    noPasswordMaterial(me.body);
    const changed = await newcomer.post('/api/v1/auth/password', { currentPassword: temporary, newPassword: 'Fresh-and-long-enough-7' });
    expect(changed.status).toBe(204);
    expect((await newcomer.get('/api/v1/auth/me')).body.mustChangePassword).toBe(false);
    expect((await newcomer.get('/api/v1/deviations')).status).toBe(200);
    // The temporary password is gone; the new one works.
    expect((await login('newcomer', temporary)).status).toBe(401);
    expect((await login('newcomer', 'Fresh-and-long-enough-7')).status).toBe(200);
    const trail = await auditOf(created.body.user.id);
    expect(trail.map((e) => e.action)).toContain('user.password_changed');
    noPasswordMaterial(trail);
    const list = await ada.get('/api/v1/users');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(1);
    noPasswordMaterial(list.body);
    expect(JSON.stringify(list.body)).not.toContain(temporary);
  });

  it('[P11-200a3-1][P11-300c-1] a password reset revokes sessions and tokens; the temporary password cannot sign until changed', async () => {
    const ada = await admin();
    const { id: deviationId } = await newDeviationUnderInvestigation();
    const ivy = await person('inv', [{ role: 'investigator', siteCode: 'BER' }]);
    const session = await signIn(ivy.username);
    const token = await session.post('/api/v1/auth/tokens', { name: 'laptop', scopes: ['read'] });
    expect(token.status).toBe(201);
    expect((await bearerClient(world.app, token.body.token).get('/api/v1/deviations')).status).toBe(200);
    const reset = await ada.post(`/api/v1/users/${ivy.id}/reset-password`, { reason: 'Password disclosed by phone' });
    expect(reset.status).toBe(200);
    noPasswordMaterial(reset.body);
    expect(reset.body.expiresAt).toBe(new Date(world.clock.now().getTime() + 24 * HOUR).toISOString());
    // Revoked at once: the old session and the token are dead, the old password too.
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
    expect((await bearerClient(world.app, token.body.token).get('/api/v1/deviations')).status).toBe(401);
    expect((await login(ivy.username, PASSWORD)).status).toBe(401);
    const temporary = await login(ivy.username, reset.body.temporaryPassword);
    expect(temporary.status).toBe(200);
    const ivyTemp = temporary.client as SessionClient;
    const refused = await ivyTemp.post(`/api/v1/deviations/${deviationId}/transitions`, {
      version: 2, action: 'submit_investigation', fields: investigationFields, signature: { username: ivy.username, password: reset.body.temporaryPassword, meaning: 'authorship' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await world.db.query('SELECT 1 FROM signature WHERE record_id = $1', [deviationId])).toHaveLength(0);
    expect((await ivyTemp.post('/api/v1/auth/password', { currentPassword: reset.body.temporaryPassword, newPassword: 'Another-long-secret-42' })).status).toBe(204);
    const signed = await submitInvestigation(ivyTemp, deviationId, { username: ivy.username, password: 'Another-long-secret-42', meaning: 'authorship' });
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('pending_qa_approval');
    expect((await auditOf(ivy.id)).find((e) => e.action === 'user.password_reset')).toMatchObject({ reason: 'Password disclosed by phone' });
  });

  it('[P11-200a3-1] no response exposes a password hash, and the API description has no such field', async () => {
    const ada = await admin();
    const target = await person('hsh');
    const responses = [
      await ada.get('/api/v1/users'),
      await ada.get('/api/v1/auth/me'),
      await ada.post('/api/v1/users', { username: 'hashless', fullName: 'Hash Less', roles: [{ role: 'operator', siteCode: 'BER' }] }),
      await ada.put(`/api/v1/users/${target.id}/roles`, { roles: [{ role: 'investigator', siteCode: 'BER' }], reason: 'Promotion' }),
      await ada.post(`/api/v1/users/${target.id}/unlock`, { reason: 'Routine' }),
      await ada.post(`/api/v1/users/${target.id}/deactivate`, { reason: 'Left' }),
    ];
    for (const response of responses) {
      expect(response.status).toBeLessThan(300);
      noPasswordMaterial(response.body);
    }
    // The hashes exist (so the check above could have found them) ...
    const [{ hash }] = await world.db.query<{ hash: string }>('SELECT password_hash AS hash FROM app_user WHERE id = $1', [target.id]);
    expect(hash).toMatch(/^\$argon2id\$/);
    // ... and no response schema even has a place for one.
    const spec = await world.anonymous.get('/api/openapi.json');
    expect(spec.status).toBe(200);
    expect(JSON.stringify(spec.body)).not.toMatch(/passwordHash|password_hash|totpSecret|totp_secret|tokenHash/);
  });

  it('[P11-10g-4] role changes are audited with the old and new roles and take effect on the next request', async () => {
    const ada = await admin();
    const target = await person('rol');
    const theirSession = await signIn(target.username);
    expect((await theirSession.get('/api/v1/auth/me')).body.permissions).not.toContain('deviation:triage');
    const missingReason = await ada.put(`/api/v1/users/${target.id}/roles`, { roles: [{ role: 'qa_reviewer', siteCode: 'BER' }] });
    expect(missingReason.status).toBe(422);
    expect(missingReason.body.errors[0].path).toBe('reason');
    const changed = await ada.put(`/api/v1/users/${target.id}/roles`, { roles: [{ role: 'qa_reviewer', siteCode: 'BER' }, { role: 'operator', siteCode: 'BOS' }], reason: 'Moved to QA, covers Boston' });
    expect(changed.status).toBe(200);
    const entries = (await auditOf(target.id)).filter((e) => e.action === 'user.roles_changed');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ reason: 'Moved to QA, covers Boston', changes: [{ field: 'roles', old: ['operator@BER'], new: ['qa_reviewer@BER', 'operator@BOS'] }] });
    const [adminId] = await world.db.query<{ id: string }>("SELECT actor_id AS id FROM audit_entry WHERE entity_id = $1 AND action = 'user.roles_changed'", [target.id]);
    expect(adminId.id).not.toBeNull();
    expect(adminId.id).not.toBe(target.id);
    const me = await theirSession.get('/api/v1/auth/me');
    expect(me.body.roles).toEqual(expect.arrayContaining([{ role: 'qa_reviewer', siteCode: 'BER' }, { role: 'operator', siteCode: 'BOS' }]));
    expect(me.body.permissions).toContain('deviation:triage');
    // Nobody but the administrator changes roles, not even their own; the refusal writes nothing.
    const before = await world.count('audit_entry');
    const selfPromotion = await theirSession.put(`/api/v1/users/${target.id}/roles`, { roles: [{ role: 'sysadmin', siteCode: 'BER' }], reason: 'Because' });
    expect(selfPromotion.status).toBe(403);
    expect(await world.count('audit_entry')).toBe(before);
  });

  it('[P11-10g-4] an administrator cannot grant themselves roles (and so cannot make themselves a signer)', async () => {
    const adaUser = await person('slf', [{ role: 'sysadmin', siteCode: 'BER' }]);
    const ada = await signIn(adaUser.username);
    const before = { audit: await world.count('audit_entry'), roles: await world.count('user_role') };
    const selfGrant = await ada.put(`/api/v1/users/${adaUser.id}/roles`, { roles: [{ role: 'sysadmin', siteCode: 'BER' }, { role: 'qa_manager', siteCode: 'BER' }], reason: 'Need to approve something' });
    expect(selfGrant.status).toBe(403);
    expect(selfGrant.body.code).toBe('SEGREGATION_OF_DUTIES');
    expect({ audit: await world.count('audit_entry'), roles: await world.count('user_role') }).toEqual(before);
    const me = await ada.get('/api/v1/auth/me');
    expect(me.body.roles).toEqual([{ role: 'sysadmin', siteCode: 'BER' }]);
    expect(me.body.permissions.filter((p: string) => p.startsWith('sign:'))).toEqual([]);
    // Another administrator may change them, audited as always.
    const other = await admin();
    expect((await other.put(`/api/v1/users/${adaUser.id}/roles`, { roles: [{ role: 'sysadmin', siteCode: 'BOS' }], reason: 'Moved to Boston' })).status).toBe(200);
    expect((await auditOf(adaUser.id)).filter((e) => e.action === 'user.roles_changed')).toHaveLength(1);
  });
});

describe('signer identity', () => {
  it('[P11-100a-3] no API changes who signed; a database-level change of the signer breaks the seal and the integrity check', async () => {
    const { id: deviationId } = await newDeviationUnderInvestigation();
    const signer = await person('sgn', [{ role: 'investigator', siteCode: 'BER' }]);
    const impostor = await person('imp', [{ role: 'investigator', siteCode: 'BER' }]);
    const session = await signIn(signer.username);
    expect((await submitInvestigation(session, deviationId, { username: signer.username, password: PASSWORD, meaning: 'authorship' })).status).toBe(200);
    const qa = await signIn((await person('qav', [{ role: 'qa_manager', siteCode: 'BER' }])).username);
    const [original] = (await qa.get(`/api/v1/records/${deviationId}/signatures`)).body.items;
    expect(original).toMatchObject({ signerName: signer.fullName, valid: true });
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const attempt = await qa.request(method, `/api/v1/records/${deviationId}/signatures`, { signerId: impostor.id });
      expect(attempt.status).toBe(405);
      expect(attempt.body.code).toBe('METHOD_NOT_ALLOWED');
    }
    await expect(world.db.query('UPDATE signature SET signer_id = $2 WHERE record_id = $1', [deviationId, impostor.id])).rejects.toThrow();
    // Someone with database owner rights bypasses the guard: the change is detected, not trusted.
    await world.db.query('ALTER TABLE signature DISABLE TRIGGER signature_append_only');
    try {
      await world.db.query('UPDATE signature SET signer_id = $2, signer_name = $3 WHERE record_id = $1', [deviationId, impostor.id, impostor.fullName]);
    } finally {
      await world.db.query('ALTER TABLE signature ENABLE TRIGGER signature_append_only');
    }
    const [tampered] = (await qa.get(`/api/v1/records/${deviationId}/signatures`)).body.items;
    expect(tampered).toMatchObject({ signerName: impostor.fullName, valid: false });
    expect(tampered.invalidReason).toMatch(/seal does not verify/);
    const check = await qa.post('/api/v1/audit-trail/verify');
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(check.body.problems).toContainEqual(expect.objectContaining({ kind: 'signature-invalid', entityId: deviationId }));
  });
});

describe('passwords', () => {
  it('[P11-300b-1] a weak new password is refused with 422 PASSWORD_POLICY naming newPassword', async () => {
    const user = await person('pol');
    const session = await signIn(user.username);
    const cases: [string, RegExp][] = [
      ['Short-1', /at least 12 characters/],
      [`My-${user.username}-password-1`, /user name/],
      [`MY-${user.username.toUpperCase()}-PASSWORD-1`, /user name/],
      ['aaaaaaaaaaaaaaaa', /too easy/],
      ['Password1234', /too easy/],
    ];
    for (const [newPassword, message] of cases) {
      const response = await session.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword });
      expect(response.status, newPassword).toBe(422);
      expect(response.body.code).toBe('PASSWORD_POLICY');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['newPassword']));
      expect(response.body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(message);
    }
    const wrongCurrent = await session.post('/api/v1/auth/password', { currentPassword: 'not-the-current-one', newPassword: 'Perfectly-fine-password-5' });
    expect(wrongCurrent.status).toBe(401);
    expect(wrongCurrent.body.errors[0].path).toBe('currentPassword');
    // Nothing changed: the original password still signs in.
    expect((await login(user.username, PASSWORD)).status).toBe(200);
  });

  it('[P11-300b-1] none of the last 5 passwords may be reused; the sixth-last may', async () => {
    const user = await person('his');
    const session = await signIn(user.username);
    const passwords = [PASSWORD, 'History-one-abcdef', 'History-two-abcdef', 'History-three-abcdef', 'History-four-abcdef', 'History-five-abcdef'];
    for (let i = 1; i < passwords.length; i++) {
      world.clock.advance(MINUTE); // distinct history timestamps
      const changed = await session.post('/api/v1/auth/password', { currentPassword: passwords[i - 1], newPassword: passwords[i] });
      expect(changed.status).toBe(204);
    }
    // The last five are History-one .. History-five (History-five is the current one).
    for (const reused of passwords.slice(1)) {
      const response = await session.post('/api/v1/auth/password', { currentPassword: passwords[5], newPassword: reused });
      expect(response.status, reused).toBe(422);
      expect(response.body.code).toBe('PASSWORD_POLICY');
      expect(response.body.errors).toEqual([{ path: 'newPassword', message: 'must differ from the last 5 passwords' }]);
    }
    world.clock.advance(MINUTE);
    const sixthLast = await session.post('/api/v1/auth/password', { currentPassword: passwords[5], newPassword: PASSWORD });
    expect(sixthLast.status).toBe(204);
    const [{ n }] = await world.db.query<{ n: number }>('SELECT count(*)::int AS n FROM password_history WHERE user_id = $1', [user.id]);
    expect(n).toBe(7);
  });
});

describe('lockout', () => {
  it('[P11-300d-1] five wrong passwords lock the account, audit it and raise a security alert; only an audited admin unlock opens it', async () => {
    const user = await person('lck');
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await login(user.username, `Wrong-password-${attempt}x`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    }
    const fifth = await login(user.username, 'Wrong-password-5x');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    const trail = await auditOf(user.id);
    expect(trail.filter((e) => e.action === 'auth.login_failed')).toHaveLength(5);
    const locked = trail.filter((e) => e.action === 'user.locked');
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ reason: '5 consecutive failed login attempts', changes: [{ field: 'locked', old: false, new: true }] });
    expect(locked[0].context).toMatchObject({ ip: fifth.ip, channel: 'login' });
    const alerts = await world.db.query<{ payload: Record<string, unknown>; delivered_at: Date | null }>(
      "SELECT data AS payload, completed_on AS delivered_at FROM pgboss.job WHERE name = 'security-account-locked' AND data->>'userId' = $1",
      [user.id],
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0].payload).toEqual({ userId: user.id, username: user.username, ip: fifth.ip, channel: 'login', at: world.clock.now().toISOString() });
    // Still locked with the right password; the refusal is audited but does not lock again.
    const correct = await login(user.username, PASSWORD);
    expect(correct.status).toBe(423);
    expect(correct.body.code).toBe('ACCOUNT_LOCKED');
    expect(correct.client).toBeUndefined();
    // Only an administrator unlocks, with a reason.
    const ada = await admin();
    const peer = await signIn((await person('peer', [{ role: 'qa_manager', siteCode: 'BER' }])).username);
    expect((await peer.post(`/api/v1/users/${user.id}/unlock`, { reason: 'I know them' })).status).toBe(403);
    expect((await ada.post(`/api/v1/users/${user.id}/unlock`, {})).status).toBe(422);
    expect((await login(user.username, PASSWORD)).status).toBe(423);
    const unlocked = await ada.post(`/api/v1/users/${user.id}/unlock`, { reason: 'Identity confirmed by phone call' });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.locked).toBe(false);
    const after = await auditOf(user.id);
    expect(after.filter((e) => e.action === 'user.locked')).toHaveLength(1);
    expect(after.filter((e) => e.action === 'user.unlocked')).toEqual([
      expect.objectContaining({ reason: 'Identity confirmed by phone call', changes: [{ field: 'locked', old: true, new: false }] }),
    ]);
    const ok = await login(user.username, PASSWORD);
    expect(ok.status).toBe(200);
    const [{ failed_attempts }] = await world.db.query<{ failed_attempts: number }>('SELECT failed_attempts FROM app_user WHERE id = $1', [user.id]);
    expect(failed_attempts).toBe(0);
  });

  it('[P11-300d-1] a locked administrator cannot unlock themselves: the lock ends their open session', async () => {
    const adaUser = await person('lka', [{ role: 'sysadmin', siteCode: 'BER' }]);
    const ada = await signIn(adaUser.username);
    for (let i = 0; i < 5; i++) await login(adaUser.username, 'Someone-guessing-1');
    expect((await login(adaUser.username, PASSWORD)).status).toBe(423);
    const selfUnlock = await ada.post(`/api/v1/users/${adaUser.id}/unlock`, { reason: 'It was me' });
    expect(selfUnlock.status).toBe(401);
    expect(selfUnlock.body.code).toBe('UNAUTHENTICATED');
    expect((await auditOf(adaUser.id)).filter((e) => e.action === 'user.unlocked')).toHaveLength(0);
    expect((await login(adaUser.username, PASSWORD)).status).toBe(423);
    const other = await admin();
    expect((await other.post(`/api/v1/users/${adaUser.id}/unlock`, { reason: 'Verified in person' })).status).toBe(200);
    expect((await login(adaUser.username, PASSWORD)).status).toBe(200);
  });

  it('[P11-300d-1] a successful sign-in resets the count: failures must be consecutive', async () => {
    const user = await person('cns');
    for (let i = 0; i < 4; i++) expect((await login(user.username, 'Wrong-wrong-wrong-1')).status).toBe(401);
    expect((await login(user.username, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(user.username, 'Wrong-wrong-wrong-1')).status).toBe(401);
    expect((await login(user.username, PASSWORD)).status).toBe(200);
    expect((await auditOf(user.id)).filter((e) => e.action === 'user.locked')).toHaveLength(0);
  });

  it('[P11-300d-1][P11-200a1-1] wrong signature passwords count toward the same lockout as wrong sign-ins', async () => {
    const { id: deviationId } = await newDeviationUnderInvestigation();
    const user = await person('sgl', [{ role: 'investigator', siteCode: 'BER' }]);
    const session = await signIn(user.username);
    // Two failed sign-ins elsewhere, then three failed signatures in the session: five in all.
    for (let i = 0; i < 2; i++) expect((await login(user.username, 'Guessing-badly-0')).status).toBe(401);
    for (let i = 0; i < 2; i++) {
      const wrong = await submitInvestigation(session, deviationId, { username: user.username, password: 'Guessing-badly-1', meaning: 'authorship' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('SIGNATURE_FAILED');
    }
    const fifth = await submitInvestigation(session, deviationId, { username: user.username, password: 'Guessing-badly-2', meaning: 'authorship' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    const trail = await auditOf(user.id);
    expect(trail.filter((e) => e.action === 'auth.signature_failed')).toHaveLength(3);
    expect(trail.find((e) => e.action === 'user.locked')).toMatchObject({ reason: '5 consecutive failed signature attempts' });
    const alerts = await world.db.query<{ event_type: string; payload: Record<string, unknown> }>(
      "SELECT name AS event_type, data AS payload FROM pgboss.job WHERE data->>'userId' = $1 ORDER BY created_on",
      [user.id],
    );
    // The lock and the last failure share a transaction (and so a timestamp): compare as a multiset.
    expect(alerts.map((a) => a.event_type).sort()).toEqual(['security-account-locked', 'security-signature-failed', 'security-signature-failed', 'security-signature-failed']);
    expect(alerts.find((a) => a.event_type === 'security-account-locked')?.payload).toMatchObject({ channel: 'signature', username: user.username });
    // The right password neither signs nor signs in now.
    // The lock also ended the session the attempts came from.
    const correct = await submitInvestigation(session, deviationId, { username: user.username, password: PASSWORD, meaning: 'authorship' });
    expect(correct.status).toBe(401);
    expect((await login(user.username, PASSWORD)).status).toBe(423);
    expect(await world.db.query('SELECT 1 FROM signature WHERE record_id = $1', [deviationId])).toHaveLength(0);
    const reader = await signIn((await person('rdr', [{ role: 'qa_manager', siteCode: 'BER' }])).username);
    expect((await reader.get(`/api/v1/deviations/${deviationId}`)).body.status).toBe('under_investigation');
  });
});

describe('sessions and access', () => {
  it('[P11-10d-2][P11-300c-1] deactivating a signed-in user ends their session and tokens at once; sign-in is refused and audited', async () => {
    const ada = await admin();
    const user = await person('dea');
    const session = await signIn(user.username);
    const token = await session.post('/api/v1/auth/tokens', { name: 'script', scopes: ['read', 'write'] });
    expect(token.status).toBe(201);
    const bearer = bearerClient(world.app, token.body.token);
    expect((await session.get('/api/v1/deviations')).status).toBe(200);
    expect((await bearer.get('/api/v1/deviations')).status).toBe(200);
    expect((await ada.post(`/api/v1/users/${user.id}/deactivate`, {})).status).toBe(422); // a reason is required
    const deactivated = await ada.post(`/api/v1/users/${user.id}/deactivate`, { reason: 'Contract ended' });
    expect(deactivated.status).toBe(200);
    for (const client of [session, bearer]) {
      const next = await client.get('/api/v1/deviations');
      expect(next.status).toBe(401);
      expect(next.body.code).toBe('UNAUTHENTICATED');
      expect((await client.post('/api/v1/deviations', deviationInput())).status).toBe(401);
    }
    const sessions = await world.db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM session WHERE user_id = $1', [user.id]);
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.revoked_at !== null)).toBe(true);
    const tokens = await world.db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_token WHERE user_id = $1', [user.id]);
    expect(tokens).toHaveLength(1);
    expect(tokens[0].revoked_at).not.toBeNull();
    const attempt = await login(user.username, PASSWORD);
    expect(attempt.status).toBe(401);
    expect(attempt.body.code).toBe('ACCOUNT_INACTIVE');
    expect(attempt.client).toBeUndefined();
    const trail = await auditOf(user.id);
    expect(trail.find((e) => e.action === 'user.deactivated')).toMatchObject({ reason: 'Contract ended', changes: [{ field: 'active', old: true, new: false }] });
    const failed = trail.filter((e) => e.action === 'auth.login_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: 'This account is deactivated', actor_id: null });
    expect(failed[0].context).toMatchObject({ ip: attempt.ip, channel: 'login' });
    // The administrator cannot lock themselves out by deactivating their own account.
    const me = await ada.get('/api/v1/auth/me');
    expect((await ada.post(`/api/v1/users/${me.body.id}/deactivate`, { reason: 'oops' })).status).toBe(422);
  });

  it('[P11-10d-1] every non-public route answers 401 problem+json without a session, with an expired session and with an unknown token', async () => {
    const uuid = randomUUID();
    // Valid requests for routes that validate a body or query: the 401 must come from the
    // authentication check, not be hidden behind (or replaced by) a validation error.
    const examples: Record<string, { query?: string; body?: unknown }> = {
      'POST /api/v1/auth/password': { body: { currentPassword: PASSWORD, newPassword: 'Something-else-12345' } },
      'POST /api/v1/auth/totp/confirm': { body: { code: '123456' } },
      'POST /api/v1/auth/tokens': { body: { name: 'ci', scopes: ['read'] } },
      'POST /api/v1/deviations': { body: deviationInput() },
      'PATCH /api/v1/deviations/{id}': { body: { version: 1, reason: 'Typo', area: 'Suite C' } },
      'POST /api/v1/deviations/{id}/transitions': { body: { version: 1, action: 'triage', fields: { classification: 'minor', triageRationale: 'x' } } },
      'POST /api/v1/records/{id}/links': { body: { targetId: randomUUID(), type: 'caused-by' } },
      'POST /api/v1/records/{id}/comments': { body: { body: 'A comment' } },
      'POST /api/v1/users': { body: { username: 'intruder', fullName: 'In Truder', roles: [{ role: 'sysadmin', siteCode: 'BER' }] } },
      'POST /api/v1/users/{id}/deactivate': { body: { reason: 'x' } },
      'POST /api/v1/users/{id}/reset-password': { body: { reason: 'x' } },
      'POST /api/v1/users/{id}/unlock': { body: { reason: 'x' } },
      'PUT /api/v1/users/{id}/roles': { body: { roles: [{ role: 'sysadmin', siteCode: 'BER' }], reason: 'x' } },
      'POST /api/v1/sites': { body: { code: 'EVIL', name: 'Evil site' } },
      'GET /api/v1/search': { query: '?q=anything' },
    };
    const publicRoutes = ['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'POST /api/v1/setup', 'GET /api/v1/setup/status', 'GET /api/v1/version'];
    const spec = await world.anonymous.get('/api/openapi.json');
    expect(spec.status).toBe(200);
    const routes = Object.entries(spec.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toEqual(expect.arrayContaining(publicRoutes));
    for (const key of Object.keys(examples)) expect(routes, `example for a route that no longer exists: ${key}`).toContain(key);

    // Routes outside the API description: documentation, probes, and the 405 answers that say the
    // audit trail and signatures have no write methods (Fastify prints /api/v1/audit-trail/* as a
    // bare '*'). Anything else found in the route table fails.
    const undocumented = routeTable().filter(({ method, url }) => method !== 'HEAD' && !routes.includes(`${method} ${url.replace(/:(\w+)/g, '{$1}')}`));
    for (const { method, url } of undocumented) {
      const known = url.startsWith('/api/docs') || ['/api/openapi.json', '/healthz', '/readyz', '/metrics'].includes(url) || (['PUT', 'PATCH', 'DELETE'].includes(method) && ['*', '/api/v1/audit-trail/*', '/api/v1/audit-trail*', '/api/v1/records/:id/signatures'].includes(url));
      expect(known, `undocumented route ${method} ${url}`).toBe(true);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const refused = await world.anonymous.request(method as 'PUT', `/api/v1/records/${uuid}/signatures`, {});
      expect(refused.status).toBe(401); // authentication comes first, even for methods that exist for no one
    }

    const expiring = await person('exp');
    const expired = await signIn(expiring.username);
    world.clock.advance(16 * MINUTE);
    const callers: [string, Client][] = [
      ['no credentials', world.anonymous],
      ['an expired session', expired],
      ['an unknown session', cookieClient('not-a-real-session-token')],
      ['an unknown bearer token', bearerClient(world.app, `vty_${'A'.repeat(43)}`)],
    ];
    const before = { records: await world.count('record'), users: await world.count('app_user'), tokens: await world.count('api_token'), sites: await world.count('site') };
    let checked = 0;
    for (const route of routes) {
      if (publicRoutes.includes(route)) continue;
      const [method, path] = route.split(' ');
      const example = examples[route] ?? {};
      const url = path.replaceAll('{id}', uuid) + (example.query ?? '');
      const body = example.body ?? (method === 'GET' ? undefined : {});
      for (const [who, client] of callers) {
        const response = await client.request(method as 'GET', url, body);
        expect(response.status, `${route} with ${who}: ${JSON.stringify(response.body)}`).toBe(401);
        expect(response.headers['content-type'], route).toContain('application/problem+json');
        expect(response.body.code, route).toBe('UNAUTHENTICATED');
        checked++;
      }
    }
    expect(checked).toBe((routes.length - publicRoutes.length) * callers.length);
    expect({ records: await world.count('record'), users: await world.count('app_user'), tokens: await world.count('api_token'), sites: await world.count('site') }).toEqual(before);
    // The public routes really are public.
    expect((await world.anonymous.get('/api/v1/version')).status).toBe(200);
    expect((await world.anonymous.get('/api/v1/setup/status')).body).toEqual({ needsSetup: false });
    expect((await world.anonymous.post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('[P11-10d-3] sessions time out after 15 min idle; activity at 14 min extends them', async () => {
    expect(world.services.settings.sessionIdleMinutes).toBeLessThanOrEqual(15);
    const user = await person('idl');
    const session = await signIn(user.username);
    world.clock.advance(14 * MINUTE);
    expect((await session.get('/api/v1/auth/me')).status).toBe(200);
    world.clock.advance(14 * MINUTE); // 28 min after sign-in, 14 after the last request
    expect((await session.get('/api/v1/deviations')).status).toBe(200);
    world.clock.advance(15 * MINUTE + 1000);
    const idle = await session.get('/api/v1/auth/me');
    expect(idle.status).toBe(401);
    expect(idle.body.code).toBe('UNAUTHENTICATED');
    // The session is ended for good, not just refused once.
    const [row] = await world.db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM session WHERE user_id = $1', [user.id]);
    expect(row.revoked_at).not.toBeNull();
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
    const again = await signIn(user.username);
    expect((await again.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('[P11-10d-3] a session ends after its absolute lifetime of 12 h, even while in use', async () => {
    const user = await person('abs');
    const signedInAt = world.clock.now().getTime();
    const session = await signIn(user.username);
    expect((await session.get('/api/v1/auth/me')).body.sessionExpiresAt).toBe(new Date(signedInAt + 12 * HOUR).toISOString());
    while (world.clock.now().getTime() + 10 * MINUTE < signedInAt + 12 * HOUR) {
      world.clock.advance(10 * MINUTE);
      const alive = await session.get('/api/v1/auth/me');
      expect(alive.status, world.clock.now().toISOString()).toBe(200);
    }
    expect(world.clock.now().getTime()).toBe(signedInAt + 11 * HOUR + 50 * MINUTE);
    world.clock.advance(10 * MINUTE + 1000); // 10 min since the last request: not idle, but past 12 h
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('second factor and API tokens', () => {
  it('[A11-12-1] TOTP enrolment: once confirmed, sign-in needs the code', async () => {
    const user = await person('tot');
    const session = await signIn(user.username);
    const enrolment = await session.post('/api/v1/auth/totp');
    expect(enrolment.status).toBe(200);
    const secret: string = enrolment.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.body.otpauthUrl).toContain(`secret=${secret}`);
    // Not enabled until confirmed: sign-in without a code still works.
    expect((await login(user.username, PASSWORD)).status).toBe(200);
    const wrongCode = await session.post('/api/v1/auth/totp/confirm', { code: totpCode(secret, world.clock.now(), 5) });
    expect(wrongCode.status).toBe(422);
    expect(wrongCode.body.errors[0].path).toBe('code');
    expect((await session.post('/api/v1/auth/totp/confirm', { code: totpCode(secret, world.clock.now()) })).status).toBe(204);
    expect((await session.get('/api/v1/auth/me')).body.totpEnabled).toBe(true);
    expect((await auditOf(user.id)).map((e) => e.action)).toContain('user.totp_enrolled');
    expect((await session.post('/api/v1/auth/totp')).status).toBe(409); // no silent re-enrolment
    const withoutCode = await login(user.username, PASSWORD);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.code).toBe('TOTP_REQUIRED');
    expect(withoutCode.body.errors).toEqual([{ path: 'totp', message: 'is required' }]);
    expect(withoutCode.client).toBeUndefined();
    const badCode = await login(user.username, PASSWORD, totpCode(secret, world.clock.now(), 3));
    expect(badCode.status).toBe(401);
    expect(badCode.body.errors[0].path).toBe('totp');
    // A right code with a wrong password does not help.
    expect((await login(user.username, 'Not-the-password-1', totpCode(secret, world.clock.now()))).status).toBe(401);
    // The code used to confirm the enrolment is spent: the next 30-second step brings a new one.
    expect((await login(user.username, PASSWORD, totpCode(secret, world.clock.now()))).status).toBe(401);
    world.clock.advance(30_000);
    const good = await login(user.username, PASSWORD, totpCode(secret, world.clock.now()));
    expect(good.status).toBe(200);
    expect(good.body.totpEnabled).toBe(true);
    // A code works once: replaying it in the same step is refused.
    const replay = await login(user.username, PASSWORD, totpCode(secret, world.clock.now()));
    expect(replay.status).toBe(401);
    expect(replay.body.errors[0]).toEqual({ path: 'totp', message: 'wrong or already used' });
    // The missing, wrong and replayed codes were counted as failures (the success in between reset the count).
    expect((await auditOf(user.id)).filter((e) => e.action === 'auth.login_failed').map((e) => e.reason)).toEqual([
      'authenticator code missing', 'wrong or reused authenticator code', 'wrong password', 'wrong or reused authenticator code', 'wrong or reused authenticator code',
    ]);
  });

  it('[P11-10g-1] a read-scoped API token reads but cannot write; tokens are stored only hashed', async () => {
    const user = await person('tok');
    const session = await signIn(user.username);
    const issued = await session.post('/api/v1/auth/tokens', { name: 'dashboard', scopes: ['read'] });
    expect(issued.status).toBe(201);
    const token: string = issued.body.token;
    expect(token).toMatch(/^vty_/);
    const reader = bearerClient(world.app, token);
    expect((await reader.get('/api/v1/deviations')).status).toBe(200);
    const records = await world.count('record');
    const write = await reader.post('/api/v1/deviations', deviationInput());
    expect(write.status).toBe(403);
    expect(await world.count('record')).toBe(records);
    // The session of the same user may write: the refusal is the token's scope, not the role.
    expect((await session.post('/api/v1/deviations', deviationInput())).status).toBe(201);
    // A token cannot mint further tokens.
    expect((await reader.post('/api/v1/auth/tokens', { name: 'more', scopes: ['read', 'write'] })).status).toBe(403);
    const rows = await world.db.query<Record<string, unknown>>('SELECT * FROM api_token WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await auditOf(user.id)).find((e) => e.action === 'token.created')?.changes[0]).toMatchObject({ field: 'token', new: { name: 'dashboard', scopes: ['read'] } });
    // Sessions are likewise stored by hash only.
    expect(await world.db.query('SELECT 1 FROM session WHERE id = $1', [session.cookie])).toHaveLength(0);
  });

  it('[P11-200a1-1][P11-10g-1] a bearer token cannot sign, even with write scope and the right password', async () => {
    const { id: deviationId } = await newDeviationUnderInvestigation();
    const user = await person('bts', [{ role: 'qa_manager', siteCode: 'BER' }]);
    const session = await signIn(user.username);
    const issued = await session.post('/api/v1/auth/tokens', { name: 'automation', scopes: ['read', 'write'] });
    const bot = bearerClient(world.app, issued.body.token);
    const refused = await submitInvestigation(bot, deviationId, { username: user.username, password: PASSWORD, meaning: 'authorship' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(await world.db.query('SELECT 1 FROM signature WHERE record_id = $1', [deviationId])).toHaveLength(0);
    // The same write token may take an unsigned step, and the person may sign from the session.
    const comment = await bot.post(`/api/v1/records/${deviationId}/comments`, { body: 'Automated note' });
    expect(comment.status).toBe(201);
    const signed = await submitInvestigation(session, deviationId, { username: user.username, password: PASSWORD, meaning: 'authorship' });
    expect(signed.status).toBe(200);
  });
});

describe('first-run setup', () => {
  let fresh: TestWorld;
  let setupApp: Awaited<ReturnType<typeof buildApp>>;
  const setupToken = 'x'.repeat(24);

  beforeAll(async () => {
    fresh = await testWorld();
    setupApp = await buildApp({ services: fresh.services, logLevel: 'silent', serveWeb: false, setupToken });
  });
  afterAll(async () => {
    await setupApp?.close();
  });

  const setup = (app: Awaited<ReturnType<typeof buildApp>>, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/setup', payload: body });
  const firstAdmin = { username: 'founder', fullName: 'Founding Admin', password: 'Founding-admin-secret-1' };

  it('[P11-10d-1] without a setup token configured, setup is refused even with zero users', async () => {
    expect(await fresh.count('app_user')).toBe(0);
    expect((await fresh.anonymous.get('/api/v1/setup/status')).body).toEqual({ needsSetup: true });
    const refused = await setup(fresh.app, { ...firstAdmin, token: setupToken });
    expect(refused.statusCode).toBe(409);
    expect(JSON.parse(refused.body).code).toBe('SETUP_DONE');
    expect(await fresh.count('app_user')).toBe(0);
  });

  it('[P11-10d-1][P11-300b-1] setup needs the one-time token and a policy-conforming password, then creates the first administrator once', async () => {
    const wrongToken = await setup(setupApp, { ...firstAdmin, token: 'y'.repeat(24) });
    expect(wrongToken.statusCode).toBe(403);
    const weak = await setup(setupApp, { ...firstAdmin, password: 'founder-pass-1', token: setupToken });
    expect(weak.statusCode).toBe(422);
    expect(JSON.parse(weak.body).code).toBe('PASSWORD_POLICY');
    expect(await fresh.count('app_user')).toBe(0);
    const [first, second] = await Promise.all([setup(setupApp, { ...firstAdmin, token: setupToken }), setup(setupApp, { ...firstAdmin, username: 'usurper', token: setupToken })]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const winner = first.statusCode === 201 ? first : second;
    const me = JSON.parse(winner.body);
    expect(me).toMatchObject({ fullName: 'Founding Admin', mustChangePassword: false, roles: [{ role: 'sysadmin', siteCode: 'BER' }] });
    expect(winner.cookies.find((c) => c.name === 'verity_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await fresh.count('app_user')).toBe(1);
    expect((await fresh.anonymous.get('/api/v1/setup/status')).body).toEqual({ needsSetup: false });
    const audit = await fresh.db.query<{ action: string }>("SELECT action FROM audit_entry WHERE action IN ('setup.completed', 'user.created') ORDER BY seq");
    expect(audit.map((a) => a.action)).toEqual(['user.created', 'setup.completed']);
    // The token is spent.
    const again = await setup(setupApp, { ...firstAdmin, username: 'second', token: setupToken });
    expect(again.statusCode).toBe(409);
    expect(await fresh.count('app_user')).toBe(1);
  });
});

describe('password expiry (moves the clock by days; kept last)', () => {
  it('[P11-300c-1][P11-200a3-1] a temporary password expires after 24 h', async () => {
    const ada = await admin();
    const created = await ada.post('/api/v1/users', { username: 'latecomer', fullName: 'Late Comer', roles: [{ role: 'operator', siteCode: 'BER' }] });
    const other = await ada.post('/api/v1/users', { username: 'ontime', fullName: 'On Time', roles: [{ role: 'operator', siteCode: 'BER' }] });
    world.clock.advance(23 * HOUR + 59 * MINUTE);
    const inTime = await login('ontime', other.body.temporaryPassword);
    expect(inTime.status).toBe(200);
    expect(inTime.body.mustChangePassword).toBe(true);
    world.clock.advance(2 * MINUTE);
    const late = await login('latecomer', created.body.temporaryPassword);
    expect(late.status).toBe(401);
    expect(late.body.detail).toMatch(/temporary password has expired/);
    expect(late.client).toBeUndefined();
    expect((await auditOf(created.body.user.id)).filter((e) => e.action === 'auth.login_failed').map((e) => e.reason)).toEqual([
      'The temporary password has expired; ask an administrator for a new one',
    ]);
  });

  it('[P11-300b-1] a password older than 90 days forces a change at the next sign-in', async () => {
    const user = await person('age');
    expect((await signIn(user.username).then((c) => c.get('/api/v1/auth/me'))).body.mustChangePassword).toBe(false);
    world.clock.advance(89 * DAY);
    const young = await signIn(user.username);
    expect((await young.get('/api/v1/auth/me')).body.mustChangePassword).toBe(false);
    world.clock.advance(2 * DAY);
    const old = await signIn(user.username);
    expect((await old.get('/api/v1/auth/me')).body.mustChangePassword).toBe(true);
    const gated = await old.get('/api/v1/deviations');
    expect(gated.status).toBe(403);
    expect(gated.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await old.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Renewed-after-ninety-1' })).status).toBe(204);
    expect((await old.get('/api/v1/auth/me')).body.mustChangePassword).toBe(false);
    expect((await old.get('/api/v1/deviations')).status).toBe(200);
  });
});

/** The route table of the app, from Fastify's printout (which includes routes hidden from the API description). */
function routeTable(): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of world.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    stack.length = depth;
    const url = (depth > 0 ? stack[depth - 1] : '') + match[2];
    stack[depth] = url;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}

describe('password change and lockout reach live sessions', () => {
  it('[P11-300d-1][P11-300c-1] wrong current passwords on a password change count toward lockout, and the lock ends live sessions', async () => {
    const user = await person('guess');
    const session = await signIn(user.username);
    const other = await signIn(user.username);
    for (let i = 1; i <= 4; i++) {
      const wrong = await session.post('/api/v1/auth/password', { currentPassword: `wrong-guess-${i}`, newPassword: 'Perfectly-fine-password-5' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.errors[0].path).toBe('currentPassword');
    }
    const fifth = await session.post('/api/v1/auth/password', { currentPassword: 'wrong-guess-5', newPassword: 'Perfectly-fine-password-5' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
    expect((await other.get('/api/v1/auth/me')).status).toBe(401);
    const actions = (await auditOf(user.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(5);
    expect(actions).toContain('user.locked');
  });

  it('[P11-300c-1] changing the password ends every other session of the user', async () => {
    const user = await person('rotate');
    const current = await signIn(user.username);
    const elsewhere = await signIn(user.username);
    expect((await current.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Rotated-password-2026' })).status).toBe(204);
    expect((await current.get('/api/v1/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('[P11-10d-1] without a session a protected route answers 401 before reading the body, naming no fields', async () => {
    const response = await world.anonymous.post('/api/v1/deviations', { nonsense: true });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors).toBeUndefined();
  });
});
