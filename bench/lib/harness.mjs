// A fresh PostgreSQL database, the real server as a child process, and a cookie-carrying HTTP client.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

export const repoRoot = new URL('../..', import.meta.url).pathname;
const bin = join(repoRoot, 'packages/server/bin/verity.js');

export async function createDatabase(adminUrl, name) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(adminUrl, name) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Runs the Verity command line to completion (migrate, admin create). */
export function cli(args, env) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`verity ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const capture = new URL('./capture-sql.mjs', import.meta.url).href;

/**
 * Starts `verity start`; resolves once /readyz answers. nodeOptions e.g. ['--cpu-prof', '--cpu-prof-dir=...'].
 * With sqlLog, the server can record the statements it sends (see capture-sql.mjs and recordSql).
 */
export async function startServer({ env, port, logFile, nodeOptions = [], sqlLog }) {
  const log = createWriteStream(logFile);
  const options = sqlLog ? [...nodeOptions, '--import', capture] : nodeOptions;
  const child = spawn(process.execPath, [...options, bin, 'start'], { cwd: repoRoot, env: { ...env, PORT: String(port), BENCH_SQL_LOG: sqlLog ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server was not ready within 120 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    pid: child.pid,
    sqlLog,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** The statements the server sent while fn ran (recording switched on and off by SIGUSR2). */
export async function recordSql(server, fn) {
  writeFileSync(server.sqlLog, '');
  process.kill(server.pid, 'SIGUSR2');
  await pause(100);
  try {
    await fn();
  } finally {
    await pause(100);
    process.kill(server.pid, 'SIGUSR2');
  }
  return readFileSync(server.sqlLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** A signed-in person (or nobody yet) talking JSON to the API. */
export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = null;
  }

  /** Sends a request; returns { status, body, ms }. Throws on an unexpected status. */
  async request(method, path, body, { expect = [200, 201, 204], raw = false } = {}) {
    const headers = { accept: raw ? '*/*' : 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers.origin = this.baseUrl;
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const bytes = Buffer.from(await response.arrayBuffer());
    const ms = performance.now() - started;
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('verity_session='));
    if (cookie) this.cookie = cookie.split(';')[0];
    const type = response.headers.get('content-type') ?? '';
    const parsed = !raw && type.includes('json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : bytes;
    if (!expect.includes(response.status)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${bytes.toString('utf8').slice(0, 800)}`);
    }
    return { status: response.status, body: parsed, ms, bytes: bytes.length, type };
  }

  get(path, options) {
    return this.request('GET', path, undefined, options);
  }

  post(path, body, options) {
    return this.request('POST', path, body ?? {}, options);
  }

  async login(username, password) {
    this.cookie = null;
    return (await this.post('/api/v1/auth/login', { username, password })).body;
  }
}
