import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, type TestWorld, testWorld } from './support/harness.js';

// The role x action matrix, run against the API (what the UI hides does not count): every refused
// cell gives the expected status and writes nothing; every allowed cell does what it says.

const roles = ['none', 'operator', 'investigator', 'qa_reviewer', 'qa_manager', 'inspector', 'sysadmin', 'deactivated', 'other-site operator', 'document_controller', 'trainer'] as const;
type Role = (typeof roles)[number];

const grants: Record<Role, { role: string; siteCode: string }[]> = {
  none: [],
  operator: [{ role: 'operator', siteCode: 'BER' }],
  investigator: [{ role: 'investigator', siteCode: 'BER' }],
  qa_reviewer: [{ role: 'qa_reviewer', siteCode: 'BER' }],
  qa_manager: [{ role: 'qa_manager', siteCode: 'BER' }],
  inspector: [{ role: 'inspector', siteCode: 'BER' }],
  sysadmin: [{ role: 'sysadmin', siteCode: 'BER' }],
  deactivated: [{ role: 'qa_manager', siteCode: 'BER' }],
  'other-site operator': [{ role: 'operator', siteCode: 'BOS' }],
  document_controller: [{ role: 'document_controller', siteCode: 'BER' }],
  trainer: [{ role: 'trainer', siteCode: 'BER' }],
};

interface Fixture {
  id: string;
  version: number;
}

interface Action {
  /** The request; gets a fresh Berlin deviation, reported by someone else, to act on. */
  run(client: Client, fixture: Fixture, n: number): ReturnType<Client['request']>;
  /** On success: the table whose row count must grow (and by how much). */
  writes?: { table: string; by: number };
}

const actions = {
  'list deviations': { run: (c) => c.get('/api/v1/deviations?limit=100') },
  'create a deviation': { run: (c) => c.post('/api/v1/deviations', deviationInput()), writes: { table: 'record', by: 1 } },
  'read a deviation': { run: (c, f) => c.get(`/api/v1/deviations/${f.id}`) },
  'edit a deviation': { run: (c, f) => c.patch(`/api/v1/deviations/${f.id}`, { version: f.version, reason: 'Area corrected', area: 'Suite Z' }), writes: { table: 'record_version', by: 1 } },
  'triage a deviation': {
    run: (c, f) => c.post(`/api/v1/deviations/${f.id}/transitions`, { version: f.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } }),
    writes: { table: 'record_version', by: 1 },
  },
  'comment on a deviation': { run: (c, f) => c.post(`/api/v1/records/${f.id}/comments`, { body: 'Seen on the night shift too' }), writes: { table: 'record_comment', by: 1 } },
  'verify the audit trail': { run: (c) => c.post('/api/v1/audit-trail/verify'), writes: { table: "audit_entry WHERE action NOT LIKE 'auth.%'", by: 1 } },
  'list users': { run: (c) => c.get('/api/v1/users') },
  'create a user': {
    run: (c, _f, n) => c.post('/api/v1/users', { username: `matrix.user${n}`, fullName: `Matrix User ${n}`, roles: [{ role: 'operator', siteCode: 'BER' }] }),
    writes: { table: 'app_user', by: 1 },
  },
  'list documents': { run: (c) => c.get('/api/v1/documents') },
  'create a document': {
    run: (c, _f, n) => c.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'QA', title: `Matrix SOP ${n}` }),
    writes: { table: 'record', by: 2 },
  },
  'read the training matrix': { run: (c) => c.get('/api/v1/training/matrix') },
  'create a job function': { run: (c, _f, n) => c.post('/api/v1/job-functions', { code: `MX${n}`, name: `Matrix function ${n}` }), writes: { table: 'job_function', by: 1 } },
  'open a CAPA': {
    run: (c, _f, n) => c.post('/api/v1/capas', { title: `Matrix CAPA ${n}`, siteCode: 'BER', sourceType: 'trend', problemStatement: 'Trend of minor deviations' }),
    writes: { table: 'record', by: 1 },
  },
  'request a change': {
    run: (c, _f, n) => c.post('/api/v1/changes', { title: `Matrix change ${n}`, siteCode: 'BER', reason: 'Improve', scope: 'Line 1' }),
    writes: { table: 'record', by: 1 },
  },
} satisfies Record<string, Action>;
type ActionName = keyof typeof actions;

// Expected status per role, in the order of `roles`:
//   none, operator, investigator, qa_reviewer, qa_manager, inspector, sysadmin, deactivated, other-site operator
// 404 where the caller may not even read the record (its existence is not revealed), 403 where
// they may read it but not do this, 401 for the deactivated user's (revoked) session.
const expected: Record<ActionName, number[]> = {
  //                        none operator invest qa_rev qa_mgr inspect sysadm deact other doc_ctl trainer
  'list deviations': [200, 200, 200, 200, 200, 200, 200, 401, 200, 200, 200],
  'create a deviation': [403, 201, 201, 201, 201, 403, 403, 401, 403, 403, 403],
  'read a deviation': [404, 200, 200, 200, 200, 200, 404, 401, 404, 404, 404],
  'edit a deviation': [404, 403, 200, 200, 200, 403, 404, 401, 404, 404, 404],
  'triage a deviation': [404, 403, 403, 200, 200, 403, 404, 401, 404, 404, 404],
  'comment on a deviation': [404, 201, 201, 201, 201, 403, 404, 401, 404, 404, 404],
  'verify the audit trail': [403, 403, 403, 403, 200, 200, 200, 401, 403, 403, 403],
  'list users': [403, 403, 403, 403, 403, 403, 200, 401, 403, 403, 403],
  'create a user': [403, 403, 403, 403, 403, 403, 201, 401, 403, 403, 403],
  'list documents': [200, 200, 200, 200, 200, 200, 200, 401, 200, 200, 200],
  'create a document': [403, 403, 201, 201, 201, 403, 403, 401, 403, 201, 403],
  'read the training matrix': [403, 403, 403, 200, 200, 200, 403, 401, 403, 200, 200],
  'create a job function': [403, 403, 403, 403, 201, 403, 403, 401, 403, 201, 403],
  'open a CAPA': [403, 403, 201, 201, 201, 403, 403, 401, 403, 403, 403],
  'request a change': [403, 403, 201, 201, 201, 403, 403, 401, 403, 201, 403],
};

/** Who finds the Berlin deviations in their list (a 200 list may still be empty for them). */
const seesBerlinRecords: Record<Role, boolean> = {
  none: false, operator: true, investigator: true, qa_reviewer: true, qa_manager: true, inspector: true, sysadmin: false, deactivated: false, 'other-site operator': false,
  document_controller: false, trainer: false,
};

let world: TestWorld;
let maker: Client;
const clients = {} as Record<Role, Client>;

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } });
  await world.user('maker', [{ role: 'operator', siteCode: 'BER' }], 'Mia Maker');
  maker = await world.signIn('maker');
  for (const role of roles) {
    const username = `as.${role.replace(/[^a-z]+/g, '.')}`;
    await world.user(username, grants[role]);
    clients[role] = await world.signIn(username);
  }
  // The deactivated user was signed in when an administrator deactivated them.
  const [{ id }] = await world.db.query<{ id: string }>("SELECT id FROM app_user WHERE username_key = 'as.deactivated'");
  const deactivated = await clients.sysadmin.post(`/api/v1/users/${id}/deactivate`, { reason: 'Left the company' });
  expect(deactivated.status).toBe(200);
});

const snapshot = async () => ({
  record: await world.count('record'),
  record_version: await world.count('record_version'),
  record_comment: await world.count('record_comment'),
  signature: await world.count('signature'),
  app_user: await world.count('app_user'),
  user_role: await world.count('user_role'),
  audit: await world.count("audit_entry WHERE action NOT LIKE 'auth.%'"),
  job_function: await world.count('job_function'),
});

const cells = (Object.keys(actions) as ActionName[]).flatMap((action) => roles.map((role, index) => ({ action, role, status: expected[action][index] })));

describe('[P11-10g-1][P11-10g-4] role x action matrix through the API', () => {
  it('[P11-10g-1][P11-10g-4] the matrix covers every role and action', () => {
    for (const action of Object.keys(actions) as ActionName[]) expect(expected[action], action).toHaveLength(roles.length);
    expect(cells).toHaveLength(roles.length * Object.keys(actions).length);
  });

  let n = 0;
  it.each(cells)('[P11-10g-1][P11-10g-4] $role: $action -> $status', async ({ action, role, status }) => {
    n++;
    const created = await maker.post('/api/v1/deviations', deviationInput({ title: `Matrix fixture ${n}` }));
    expect(created.status).toBe(201);
    const fixture: Fixture = { id: created.body.id, version: created.body.version };
    const definition: Action = actions[action];
    const before = await snapshot();
    const response = await definition.run(clients[role], fixture, n);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    const after = await snapshot();
    if (status >= 400) {
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe({ 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[status]);
      // A refusal writes nothing: no record, version, comment, signature, user, role or audit entry.
      expect(after).toEqual(before);
      const current = await maker.get(`/api/v1/deviations/${fixture.id}`);
      expect(current.body).toMatchObject({ version: fixture.version, status: 'reported' });
      return;
    }
    if (definition.writes) {
      const [{ n: grew }] = await world.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${definition.writes.table}`);
      const key = definition.writes.table.startsWith('audit_entry') ? 'audit' : (definition.writes.table as keyof typeof before);
      expect(grew - before[key]).toBe(definition.writes.by);
    } else {
      expect(after).toEqual(before); // reads write nothing
    }
    if (action === 'list deviations') {
      const ids = response.body.items.map((i: { id: string }) => i.id);
      expect(ids.includes(fixture.id)).toBe(seesBerlinRecords[role]);
    }
    if (action === 'read a deviation') expect(response.body.id).toBe(fixture.id);
    if (action === 'list users') expect(JSON.stringify(response.body)).not.toContain('$argon2');
  });
});
