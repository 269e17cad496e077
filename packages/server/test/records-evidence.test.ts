import { readFileSync } from 'node:fs';
import { settingsSchema } from '@verity/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, investigationFields, PASSWORD, type TestWorld, testWorld } from './support/harness.js';

let world: TestWorld;
let qa: Client;
let investigator: Client;
let admin: Client;
let inspector: Client;
let operator: Client;
let ivyId: string;

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } });
  await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA');
  ivyId = (await world.user('ivy', [{ role: 'investigator', siteCode: 'BER' }], 'Jane Doe')).id;
  await world.user('ada', [{ role: 'sysadmin', siteCode: 'BER' }], 'Ada Admin');
  await world.user('ingrid', [{ role: 'inspector', siteCode: 'BER' }], 'Ingrid Inspector');
  await world.user('oscar', [{ role: 'operator', siteCode: 'BER' }], 'Oscar Operator');
  [qa, investigator, admin, inspector, operator] = await Promise.all(['quinn', 'ivy', 'ada', 'ingrid', 'oscar'].map((u) => world.signIn(u)));
});

describe('signature manifestations survive later changes', () => {
  it('[P11-50b-2] renaming a user leaves the printed name of their past signatures unchanged; signatures cannot be written', async () => {
    const created = (await qa.post('/api/v1/deviations', deviationInput())).body;
    const triaged = await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    const signed = await investigator.post(`/api/v1/deviations/${created.id}/transitions`, {
      version: triaged.body.version, action: 'submit_investigation', fields: investigationFields, signature: { username: 'ivy', password: PASSWORD, meaning: 'authorship' },
    });
    expect(signed.status).toBe(200);
    const renamed = await admin.patch(`/api/v1/users/${ivyId}`, { fullName: 'Jane Smith', reason: 'Name changed after marriage' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.fullName).toBe('Jane Smith');
    const [signature] = (await qa.get(`/api/v1/records/${created.id}/signatures`)).body.items;
    expect(signature.signerName).toBe('Jane Doe');
    expect(signature.manifestation).toMatch(/^Jane Doe — /);
    expect(signature.valid).toBe(true);
    expect((await investigator.get('/api/v1/auth/me')).body.fullName).toBe('Jane Smith');
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) expect((await qa.request(method, `/api/v1/records/${created.id}/signatures`, {})).status).toBe(405);
    const userTrail = await world.db.query<{ action: string; reason: string; changes: unknown }>("SELECT action, reason, changes FROM audit_entry WHERE entity_id = $1 AND action = 'user.updated'", [ivyId]);
    expect(userTrail).toEqual([{ action: 'user.updated', reason: 'Name changed after marriage', changes: [{ field: 'fullName', old: 'Jane Doe', new: 'Jane Smith' }] }]);
    expect((await qa.patch(`/api/v1/users/${ivyId}`, { fullName: 'Forged', reason: 'x' })).status).toBe(403);
  });
});

describe('audit trail export', () => {
  it('[P11-10b-2][P11-10e-7] the audit trail exports filtered by user and time range as JSON and CSV; the inspector may export, operators may not', async () => {
    const start = world.clock.now();
    world.clock.advance(60_000);
    for (let i = 0; i < 3; i++) await operator.post('/api/v1/deviations', deviationInput({ title: `Export check ${i}` }));
    const [{ id: oscarId }] = await world.db.query<{ id: string }>("SELECT id FROM app_user WHERE username_key = 'oscar'");
    const from = new Date(start.getTime() + 1).toISOString();
    const json = await inspector.get(`/api/v1/audit-trail?actorId=${oscarId}&from=${from}`);
    expect(json.status).toBe(200);
    const [{ n }] = await world.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry WHERE actor_id = $1 AND at >= $2', [oscarId, from]);
    expect(json.body.items).toHaveLength(n);
    expect(json.body.items.every((e: { actorId: string; action: string }) => e.actorId === oscarId)).toBe(true);
    expect(json.body.items.filter((e: { action: string }) => e.action === 'record.created')).toHaveLength(3);
    const csv = await inspector.get(`/api/v1/audit-trail?actorId=${oscarId}&from=${from}&format=csv`);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    const lines = String(csv.body).split('\r\n');
    expect(lines[0]).toBe('seq,at,entityType,entityId,entitySeq,action,actorId,actorName,reason,changes,hash');
    expect(lines).toHaveLength(n + 1);
    const paged = await inspector.get(`/api/v1/audit-trail?limit=2`);
    expect(paged.body.items).toHaveLength(2);
    const next = await inspector.get(`/api/v1/audit-trail?limit=2&afterSeq=${paged.body.nextAfterSeq}`);
    expect(next.body.items[0].seq).toBeGreaterThan(paged.body.items[1].seq);
    expect((await operator.get('/api/v1/audit-trail')).status).toBe(403);
  });
});

describe('system facts', () => {
  it('[P11-10k-3] the running version and commit are published by the API', async () => {
    const response = await world.anonymous.get('/api/v1/version');
    expect(response.status).toBe(200);
    expect(response.body.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof response.body.commit).toBe('string');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const app = await import('../src/app.js');
    const built = await app.buildApp({ services: world.services, logLevel: 'silent', serveWeb: false, version: { version: pkg.version, commit: 'abc123' } });
    const answer = await built.inject({ method: 'GET', url: '/api/v1/version' });
    expect(JSON.parse(answer.body)).toEqual({ version: pkg.version, commit: 'abc123' });
    await built.close();
  });

  it('[P11-10e-5] no setting, endpoint or role can switch the audit trail off', async () => {
    expect(Object.keys(settingsSchema.shape).filter((key) => /audit/i.test(key))).toEqual([]);
    const spec = (await qa.get('/api/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).filter((p) => /audit/i.test(p)).sort()).toEqual(['/api/v1/audit-trail', '/api/v1/audit-trail/verify', '/api/v1/records/{id}/audit-trail']);
    // Every change through the API leaves an entry, whoever makes it.
    const before = await world.count('audit_entry');
    await admin.post('/api/v1/sites', { code: 'LYO', name: 'Lyon' });
    expect(await world.count('audit_entry')).toBe(before + 1);
  });
});

describe('true copies for inspection', () => {
  it('[P11-10b-1][P11-30-2] a record exports as a signed JSON copy with every version, signature and audit entry; one changed byte fails verification', async () => {
    const { createPublicKey, verify } = await import('node:crypto');
    const created = (await qa.post('/api/v1/deviations', deviationInput())).body;
    const triaged = await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'major', triageRationale: 'Batch impact possible' } });
    await investigator.post(`/api/v1/deviations/${created.id}/transitions`, { version: triaged.body.version, action: 'submit_investigation', fields: investigationFields, signature: { username: 'ivy', password: PASSWORD, meaning: 'authorship' } });
    const exported = await inspector.request('GET', `/api/v1/records/${created.id}/export`);
    expect(exported.status).toBe(200);
    const copy = exported.body;
    expect(copy.record.number).toBe(created.number);
    expect(copy.versions).toHaveLength(3);
    expect(copy.signatures.map((s: { manifestation: string }) => s.manifestation)).toEqual([expect.stringMatching(/ — Authored$/)]);
    const trail = (await qa.get(`/api/v1/records/${created.id}/audit-trail`)).body.items;
    expect(copy.auditTrail).toEqual(trail);
    expect(copy.exportedBy.name).toBe('Ingrid Inspector');
    const key = (await inspector.get('/api/v1/instance-key')).body;
    expect(exported.headers['x-verity-key-id']).toBe(key.keyId);
    const publicKey = createPublicKey(key.publicKeyPem);
    // Verify the exact bytes of an export against its own signature header, as a receiver would.
    const second = await world.app.inject({ method: 'GET', url: `/api/v1/records/${created.id}/export`, headers: { cookie: `verity_session=${inspector.cookie}` } });
    const secondSignature = Buffer.from(String(second.headers['x-verity-signature']), 'base64');
    expect(verify(null, second.rawPayload, publicKey, secondSignature)).toBe(true);
    const tampered = Buffer.from(second.rawPayload);
    tampered[tampered.indexOf(Buffer.from(created.number)) + 4] ^= 1;
    expect(verify(null, tampered, publicKey, secondSignature)).toBe(false);
  });
});

/** The text of an uncompressed pdfkit PDF: hex strings of each TJ array joined per line. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const lines: string[] = [];
  for (const array of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    lines.push([...array[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1], 'hex').toString('latin1')).join(''));
  }
  return lines.join('\n').replace(/\u0097/g, '—');
}

describe('human-readable copies', () => {
  it('[P11-10b-1][P11-50b-1] the PDF copy shows every field, each signature manifestation (name, UTC time, meaning) and every audit entry, marked uncontrolled when printed', async () => {
    const created = (await qa.post('/api/v1/deviations', deviationInput({ title: 'PDF rendition check' }))).body;
    const triaged = await qa.post(`/api/v1/deviations/${created.id}/transitions`, { version: created.version, action: 'triage', fields: { classification: 'critical', triageRationale: 'Sterility assurance affected' } });
    await investigator.post(`/api/v1/deviations/${created.id}/transitions`, { version: triaged.body.version, action: 'submit_investigation', fields: investigationFields, signature: { username: 'ivy', password: PASSWORD, meaning: 'authorship' } });
    const response = await world.app.inject({ method: 'GET', url: `/api/v1/records/${created.id}/export.pdf`, headers: { cookie: `verity_session=${inspector.cookie}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(response.rawPayload);
    const signatures = (await qa.get(`/api/v1/records/${created.id}/signatures`)).body.items;
    expect(signatures).toHaveLength(1);
    expect(text).toContain(signatures[0].manifestation);
    expect(text).toContain(created.number);
    expect(text).toContain('PDF rendition check');
    expect(text).toContain('Sterility assurance affected');
    expect(text).toContain(investigationFields.rootCause);
    expect(text).toMatch(/UNCONTROLLED WHEN PRINTED — printed by Ingrid Inspector at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    const trail = (await qa.get(`/api/v1/records/${created.id}/audit-trail`)).body.items;
    for (const entry of trail) expect(text).toContain(`#${entry.entitySeq}  `);
    expect(text).toContain('status: under_investigation -> pending_qa_approval');
    expect((await world.anonymous.get(`/api/v1/records/${created.id}/export.pdf`)).status).toBe(401);
  });
});
