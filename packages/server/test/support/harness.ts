import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Clock, createBoss, createMailer, createSite, createUser, type Database, defaultSecuritySettings, generateKeyPem, jobQueueOf, keyFromPem, openPglite, openPostgres, type Services,
  systemActor, withTransaction, recordIdentityVerification, acceptSignatureStatement, loadActor,
} from '@verity/core';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { withDatabase } from './global-setup.js';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public current = new Date()) {}
  now() {
    return new Date(this.current.getTime());
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A fresh database for this test file, copied from the migrated template. */
export async function freshDatabase(): Promise<Database> {
  const template = inject('databaseTemplate');
  if (template.kind === 'pglite') return openPglite({ loadDataDir: new Blob([readFileSync(template.file)]) });
  return openPostgres((await freshPostgresUrl()) as string, 5);
}

/** On PostgreSQL runs, the URL of a fresh database copied from the template (for server processes); null on PGlite runs. */
export async function freshPostgresUrl(): Promise<string | null> {
  const template = inject('databaseTemplate');
  if (template.kind === 'pglite') return null;
  const name = `verity_t_${template.template.replace('verity_template_', '')}_${randomUUID().slice(0, 8)}`;
  const admin = openPostgres(template.url, 1);
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template.template}`);
  await admin.close();
  return withDatabase(template.url, name);
}

export const PASSWORD = 'Correct-horse-battery-9';

export interface TestWorld {
  services: Services;
  clock: TestClock;
  app: FastifyInstance;
  db: Database;
  sites: { BER: string; BOS: string };
  /**
   * Creates a user with roles and a known, already-changed password. Unless onboarded is false, the
   * user's identity is verified (by the world's registrar) and the signature statement accepted, as
   * for anyone who has been onboarded to sign. The user has an e-mail address only when one is given.
   */
  user(username: string, roles: { role: string; siteCode: string }[], fullName?: string, options?: { onboarded?: boolean; email?: string }): Promise<{ id: string; username: string; fullName: string }>;
  /** Signs in and returns a client bound to the session cookie. */
  signIn(username: string, password?: string): Promise<Client>;
  anonymous: Client;
  count(table: string): Promise<number>;
}

export interface Client {
  // biome-ignore lint/suspicious/noExplicitAny: tests read many response shapes; the contracts validate them on the server
  request(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  get(url: string): ReturnType<Client['request']>;
  post(url: string, body?: unknown): ReturnType<Client['request']>;
  patch(url: string, body?: unknown): ReturnType<Client['request']>;
  cookie?: string;
}

function client(app: FastifyInstance, cookie?: string, extraHeaders: Record<string, string> = {}): Client {
  const request: Client['request'] = async (method, url, body, headers = {}) => {
    const response = await app.inject({
      method,
      url,
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie: `verity_session=${cookie}` } : {}), ...extraHeaders, ...headers },
    });
    let parsed: unknown = response.body;
    try {
      parsed = response.body ? JSON.parse(response.body) : null;
    } catch {
      // not JSON
    }
    return { status: response.statusCode, body: parsed, headers: response.headers };
  };
  return { request, cookie, get: (url) => request('GET', url), post: (url, body) => request('POST', url, body ?? {}), patch: (url, body) => request('PATCH', url, body) };
}

export function bearerClient(app: FastifyInstance, token: string): Client {
  return client(app, undefined, { authorization: `Bearer ${token}` });
}

/** Builds the whole application on a fresh database with two sites; closed after the file. E-mail goes to smtpUrl, if given, else is disabled. */
export async function testWorld(options: { settings?: Partial<Services['settings']>; smtpUrl?: string } = {}): Promise<TestWorld> {
  const db = await freshDatabase();
  const clock = new TestClock(new Date('2026-11-25T09:00:00.000Z'));
  const services: Services = {
    db,
    clock,
    key: keyFromPem(generateKeyPem()),
    settings: { ...defaultSecuritySettings, ...options.settings },
    files: { dir: mkdtempSync(join(tmpdir(), 'verity-files-')) },
    // Jobs are written in the business transactions as in production; tests read them from pgboss.job.
    jobs: jobQueueOf(createBoss(db, { worker: false })),
    mail: createMailer({ SMTP_URL: options.smtpUrl, MAIL_FROM: 'Verity <verity@localhost>' }),
  };
  // As deployed behind a reverse proxy: tests give each client its own X-Forwarded-For address.
  const app = await buildApp({ services, logLevel: 'silent', serveWeb: false, trustProxy: true });
  const sites = await withTransaction(services, systemActor, {}, async (ctx) => ({
    BER: (await createSite(ctx, 'BER', 'Berlin', { bypassPermission: true })).id,
    BOS: (await createSite(ctx, 'BOS', 'Boston', { bypassPermission: true })).id,
  }));
  /** The administrator who verifies test users' identities, created on first use. */
  let registrarActor: Awaited<ReturnType<typeof loadActor>> | undefined;
  const registrar = async () => {
    if (!registrarActor) {
      const { user } = await withTransaction(services, systemActor, {}, (ctx) =>
        createUser(ctx, { username: 'registrar', fullName: 'Test Registrar', roles: [{ role: 'sysadmin', siteCode: 'BER' }], password: PASSWORD }, { bypassPermission: true }),
      );
      registrarActor = await loadActor(db, user.id);
    }
    return registrarActor;
  };
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  const world: TestWorld = {
    services,
    clock,
    app,
    db,
    sites,
    anonymous: client(app),
    async user(username, roles, fullName = `${username} Person`, { onboarded = true, email } = {}) {
      const { user } = await withTransaction(services, systemActor, {}, (ctx) => createUser(ctx, { username, fullName, email, roles, password: PASSWORD }, { bypassPermission: true }));
      await db.query('UPDATE app_user SET must_change_password = false WHERE id = $1', [user.id]);
      if (onboarded) {
        const verifier = await registrar();
        await withTransaction(services, verifier, {}, (ctx) => recordIdentityVerification(ctx, user.id, { method: 'in-person-photo-id', evidenceRef: `TEST-${username}` }));
        await withTransaction(services, { id: user.id, username, fullName, roles: [] }, {}, (ctx) => acceptSignatureStatement(ctx));
      }
      return { id: user.id, username, fullName };
    },
    async signIn(username, password = PASSWORD) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (response.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'verity_session');
      return client(app, cookie?.value);
    },
    async count(table) {
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return n;
    },
  };
  return world;
}

/** A valid deviation report. */
export const deviationInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Compression force out of range on press 3',
  siteCode: 'BER',
  description: 'Main compression force read 18.4 kN against a limit of 12-16 kN.',
  occurredAt: '2026-11-24T10:40:00.000Z',
  area: 'Compression suite B',
  productBatch: 'LOT 24-117',
  immediateAction: 'Press stopped, tablets since last good IPC quarantined.',
  ...overrides,
});

export const investigationFields = {
  rootCauseCategory: 'machine',
  rootCause: 'Worn punch tooling on station 12.',
  fiveWhys: ['Force too high', 'Punch length uneven', 'Tooling worn', 'Inspection interval too long', 'Interval not risk-based'],
  investigationSummary: 'Tooling inspection confirmed wear beyond tolerance.',
  productImpact: 'Quarantined tablets rejected; no released product affected.',
};
