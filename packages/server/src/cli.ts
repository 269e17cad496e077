import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createSite, createUser, dataDirOf, embeddedDatabaseExists, openServices, parseSettings, type Services, type Settings, sealCheckpoint, systemActor,
  temporaryPassword, verifyIntegrity, withTransaction,
} from '@verity/core';
import { buildApp } from './app.js';
import { loadDemo } from './demo.js';
import { startWorkers } from './worker.js';

const usage = `Verity eQMS command line

  verity start [--data-dir DIR] [--port N] [--host H]   run the server (embedded database unless DATABASE_URL is set)
  verity migrate [--data-dir DIR]                      create or upgrade the database schema
  verity admin create --username U --name "Full Name" [--email E] [--site CODE]
                                                       create a system administrator; the password is read from
                                                       VERITY_ADMIN_PASSWORD or standard input, or generated
  verity demo [--password P] [--data-dir DIR]          load the demo organisation (two sites, people, deviations)
  verity audit verify [--data-dir DIR]                 verify audit trail, record hashes and signatures (exit 1 on problems)
  verity audit seal [--data-dir DIR]                   seal new audit entries into a signed checkpoint
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    site: { type: 'string' },
    password: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const binPath = new URL('../bin/verity.js', import.meta.url);
const settings = parseSettings(process.env, { VERITY_DATA_DIR: values['data-dir'], PORT: values.port, HOST: values.host });

function versionInfo(): { version: string; commit: string } {
  // The repository root is two levels above packages/server/bin, from the source and from the bundle alike.
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', binPath), 'utf8')) as { version: string };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: new URL('.', import.meta.url), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout: an installed package
  }
  return { version: pkg.version, commit };
}

/** The embedded database holds one process at a time; refuse a second one with a clear message. */
function lockEmbedded(s: Settings): () => void {
  if (s.DATABASE_URL) return () => undefined;
  const lockFile = join(dataDirOf(s), 'verity.pid');
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        console.error(`Another Verity process (pid ${pid}) is using ${dataDirOf(s)}. Stop it first: the embedded database serves one process at a time.`);
        process.exit(2);
      } catch {
        // stale lock from a process that is gone
      }
    }
  } catch {
    // no lock file
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

/**
 * Creating an embedded data folder (initdb) grows the WebAssembly heap to ~800 MB, which never
 * shrinks; do it in a short-lived child process so the server itself stays small.
 */
function ensureEmbeddedDatabase(s: Settings): void {
  if (s.DATABASE_URL || embeddedDatabaseExists(s)) return;
  console.log(`Creating the embedded database in ${dataDirOf(s)} ...`);
  const result = spawnSync(process.execPath, [fileURLToPath(binPath), 'migrate', '--data-dir', dataDirOf(s)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Creating the embedded database failed');
}

async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  ensureEmbeddedDatabase(settings);
  const unlock = lockEmbedded(settings);
  const opened = await openServices(settings);
  try {
    return await fn(opened.services);
  } finally {
    await opened.close();
    unlock();
  }
}

async function start(): Promise<void> {
  const startedAt = performance.now();
  ensureEmbeddedDatabase(settings);
  const unlock = lockEmbedded(settings);
  const opened = await openServices(settings, { worker: true });
  const services = opened.services;
  const [{ n }] = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
  const setupToken = n === 0 ? randomBytes(18).toString('base64url') : null;
  const app = await buildApp({
    services,
    logLevel: settings.LOG_LEVEL,
    cookieSecure: settings.VERITY_COOKIE_SECURE,
    setupToken,
    version: versionInfo(),
    trustProxy: settings.VERITY_TRUST_PROXY === 'true',
    loginRateLimit: settings.VERITY_LOGIN_RATE_LIMIT,
  });
  await app.listen({ port: settings.PORT, host: settings.HOST });
  const url = `http://${settings.HOST === '0.0.0.0' ? 'localhost' : settings.HOST}:${settings.PORT}`;
  console.log(`\nVerity is running at ${url} (${settings.DATABASE_URL ? 'PostgreSQL' : `embedded database in ${dataDirOf(settings)}`}), ready in ${Math.round(performance.now() - startedAt)} ms`);
  if (setupToken) {
    console.log(`\nNo administrator exists yet. Create the first one in the browser (this link works once):\n\n    ${url}/setup?token=${setupToken}\n`);
    console.log('or stop the server and run:  npx verity admin create --username admin --name "Your Name"');
    console.log('or load the demo organisation (server stopped):  npm run demo\n');
  }
  // Workers start after the page is served: they are not needed to answer the first request.
  await opened.startJobs();
  await startWorkers(opened.boss, services, app.log);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await opened.close();
    unlock();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function readPassword(): Promise<{ password: string; generated: boolean }> {
  if (values.password) return { password: values.password, generated: false };
  if (process.env.VERITY_ADMIN_PASSWORD) return { password: process.env.VERITY_ADMIN_PASSWORD, generated: false };
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text) return { password: text, generated: false };
  }
  return { password: `${temporaryPassword()}-${temporaryPassword().slice(0, 6)}`, generated: true };
}

async function adminCreate(): Promise<void> {
  if (!values.username || !values.name) throw new Error('verity admin create needs --username and --name');
  const { password, generated } = await readPassword();
  await withServices(async (services) => {
    await withTransaction(services, systemActor, { authMethod: 'cli' }, async (ctx) => {
      const siteCode = values.site ?? 'MAIN';
      const [site] = await ctx.tx.query('SELECT 1 FROM site WHERE code = $1', [siteCode]);
      if (!site) await createSite(ctx, siteCode, siteCode === 'MAIN' ? 'Main site' : siteCode, { bypassPermission: true });
      const { user } = await createUser(ctx, { username: values.username as string, fullName: values.name as string, email: values.email, roles: [{ role: 'sysadmin', siteCode }], password }, { bypassPermission: true });
      await ctx.tx.query('UPDATE app_user SET must_change_password = $2 WHERE id = $1', [user.id, generated]);
    });
  });
  console.log(`System administrator ${values.username} created.`);
  if (generated) console.log(`Temporary password (shown once, change it at first sign-in): ${password}`);
}

async function demo(): Promise<void> {
  const password = values.password ?? `demo-${randomBytes(6).toString('base64url')}`;
  await withServices((services) => loadDemo(services, password));
  console.log('Demo organisation loaded: sites BER (Berlin) and BOS (Boston), 12 deviations in every state, 4 controlled documents with revisions and training.');
  console.log(`Every demo user signs in with the password: ${password}`);
  console.log('  qa.lead (QA manager)   quinn.qa (QA reviewer)   ivy.investigator (investigator)');
  console.log('  oscar.operator, olivia.operator (operators)   ingrid.inspector (inspector)   ada.admin (system administrator)');
  console.log('  dora.doccontrol (document controller)   tara.trainer (trainer)');
}

async function auditVerify(): Promise<void> {
  const result = await withServices((services) => verifyIntegrity(services, systemActor, { authMethod: 'cli' }));
  console.log(`${result.ok ? 'INTACT' : 'PROBLEMS FOUND'}: ${result.entriesChecked} audit entries of ${result.entitiesChecked} entities, ${result.checkpointsChecked} checkpoints, ${result.recordsChecked} records checked in ${result.durationMs} ms`);
  for (const p of result.problems) console.log(`  [${p.kind}] ${p.detail}`);
  process.exitCode = result.ok ? 0 : 1;
}

async function main(): Promise<void> {
  const [command, sub] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  if (command === 'start') return start();
  if (command === 'migrate') {
    await (await openServices(settings)).close();
    console.log('The database schema is up to date.');
    return;
  }
  if (command === 'admin' && sub === 'create') return adminCreate();
  if (command === 'demo') return demo();
  if (command === 'audit' && sub === 'verify') return auditVerify();
  if (command === 'audit' && sub === 'seal') {
    const sealed = await withServices((services) => sealCheckpoint(services));
    console.log(`Sealed ${sealed} audit entries into a signed checkpoint.`);
    return;
  }
  console.error(`Unknown command: ${positionals.join(' ')}\n\n${usage}`);
  process.exitCode = 2;
}

let finished = false;
main()
  .then(() => {
    finished = true;
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
// A command whose work can never finish (nothing left to wait on) must not look like a success.
process.on('exit', (code) => {
  if (!finished && code === 0 && positionals[0] !== 'start') {
    console.error('The command stopped before it finished (an internal wait that can never end); nothing after that point was done.');
    process.exitCode = 70;
  }
});
