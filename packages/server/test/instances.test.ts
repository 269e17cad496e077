import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deviationInput, freshPostgresUrl } from './support/harness.js';

const bin = fileURLToPath(new URL('../bin/verity.js', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Starts `verity start` as its own process and waits until it answers /readyz (or exits). */
async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'start', '--port', String(port)], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 300 && !gone; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, output: () => output, exited };
}

async function json(url: string, init: RequestInit & { cookie?: string } = {}) {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.headers as Record<string, string>) } });
  return { status: response.status, body: await response.json().catch(() => null), cookie: response.headers.get('set-cookie')?.split(';')[0] };
}

describe('several server processes', () => {
  it('two instances on one PostgreSQL share sessions and deliver each event once; the embedded database refuses a second process', async () => {
    const databaseUrl = await freshPostgresUrl();
    const dataDir = mkdtempSync(join(tmpdir(), 'verity-instances-'));
    if (!databaseUrl) {
      // Embedded database: one process at a time, refused with a clear message.
      const first = await startServer({ VERITY_DATA_DIR: dataDir });
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      const second = await startServer({ VERITY_DATA_DIR: dataDir });
      expect(await second.exited).toBe(2);
      expect(second.output()).toMatch(/Another Verity process \(pid \d+\) is using/);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      return;
    }
    // Both instances share the database and the instance key, as behind a load balancer.
    const env = { DATABASE_URL: databaseUrl, VERITY_DATA_DIR: dataDir, VERITY_KEY_FILE: join(dataDir, 'shared-key.pem'), VERITY_ADMIN_PASSWORD: 'Instances-admin-2026' };
    const a = await startServer(env);
    const b = await startServer(env);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    const setupToken = /setup\?token=([\w-]+)/.exec(a.output())?.[1];
    expect(setupToken).toBeTruthy();
    const setup = await json(`${a.url}/api/v1/setup`, { method: 'POST', body: JSON.stringify({ token: setupToken, username: 'root.admin', fullName: 'Root Admin', password: 'Instances-admin-2026' }) });
    expect(setup.status).toBe(201);
    // The session cookie from instance A is valid on instance B.
    const me = await json(`${b.url}/api/v1/auth/me`, { cookie: setup.cookie });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('root.admin');
    // Operators and QA, created through B, act through A and B alternately.
    const site = (await json(`${b.url}/api/v1/sites`, { cookie: setup.cookie })).body.items[0].code as string;
    const users: Record<string, string> = {};
    for (const [username, role] of [['op.one', 'operator'], ['qa.one', 'qa_manager'], ['inv.one', 'investigator']]) {
      const created = await json(`${b.url}/api/v1/users`, { method: 'POST', cookie: setup.cookie, body: JSON.stringify({ username, fullName: username, roles: [{ role, siteCode: site }] }) });
      expect(created.status).toBe(201);
      const first = await json(`${a.url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username, password: created.body.temporaryPassword }) });
      expect((await json(`${b.url}/api/v1/auth/password`, { method: 'POST', cookie: first.cookie, body: JSON.stringify({ currentPassword: created.body.temporaryPassword, newPassword: 'Changed-password-2026' }) })).status).toBe(204);
      users[username] = first.cookie as string;
    }
    const reported = await json(`${a.url}/api/v1/deviations`, { method: 'POST', cookie: users['op.one'], body: JSON.stringify(deviationInput({ siteCode: site })) });
    expect(reported.status).toBe(201);
    const triaged = await json(`${b.url}/api/v1/deviations/${reported.body.id}/transitions`, {
      method: 'POST', cookie: users['qa.one'], body: JSON.stringify({ version: 1, action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } }),
    });
    expect(triaged.status).toBe(200);
    // Workers on both instances race for the job; it is delivered once.
    const { openPostgres } = await import('@verity/core');
    const db = openPostgres(databaseUrl, 1);
    try {
      let states: { state: string }[] = [];
      for (let i = 0; i < 100; i++) {
        states = await db.query<{ state: string }>("SELECT state::text FROM pgboss.job WHERE name = 'record-transitioned' AND data->>'recordId' = $1", [reported.body.id]);
        if (states.every((s) => s.state === 'completed') && states.length > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(states).toEqual([{ state: 'completed' }]);
      const notifications = await db.query<{ user_id: string; n: number }>('SELECT user_id, count(*)::int AS n FROM notification WHERE record_id = $1 GROUP BY user_id', [reported.body.id]);
      expect(notifications.length).toBeGreaterThan(0);
      expect(notifications.every((row) => row.n === 1)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
