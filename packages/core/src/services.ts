import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirOf, filesDirOf, keyFileOf, securitySettingsOf, type Settings } from './config.js';
import { type Services, systemClock } from './context.js';
import { openPglite, openPostgres } from './db/database.js';
import { migrate } from './db/migrate.js';
import type PgBoss from 'pg-boss';
import { createBoss, jobQueueOf, prepareJobs } from './kernel/jobs.js';
import { loadOrCreateKey } from './kernel/keys.js';
import { createMailer } from './mail/mailer.js';

export interface OpenServices {
  services: Services;
  boss: PgBoss;
  /** Starts pg-boss (maintenance, schedules) when openServices deferred it; idempotent. */
  startJobs(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the database named by the settings (PostgreSQL or the embedded one), migrates it (our
 * schema and pg-boss's), loads the key. With worker: true the job queue also maintains itself
 * and runs schedules; the server then registers the workers.
 */
export async function openServices(settings: Settings, options: { worker?: boolean } = {}): Promise<OpenServices> {
  const dataDir = dataDirOf(settings);
  mkdirSync(dataDir, { recursive: true });
  const db = settings.DATABASE_URL ? openPostgres(settings.DATABASE_URL) : await openPglite({ dataDir: join(dataDir, 'pgdata') });
  await migrate(db);
  const boss = createBoss(db, { worker: options.worker ?? false });
  boss.on('error', (error) => console.error(JSON.stringify({ level: 'error', msg: 'job queue error', err: String(error) })));
  // A server whose job schema exists starts pg-boss after it serves its first page (start-up time);
  // jobs can be inserted before, since sending needs only the tables.
  const [{ ready }] = await db.query<{ ready: boolean }>("SELECT to_regclass('pgboss.job') IS NOT NULL AS ready");
  const deferred = Boolean(options.worker) && ready;
  if (!deferred) await prepareJobs(boss);
  const services: Services = {
    db,
    key: loadOrCreateKey(keyFileOf(settings)),
    clock: systemClock,
    settings: securitySettingsOf(settings),
    files: { dir: filesDirOf(settings) },
    jobs: jobQueueOf(boss),
    mail: createMailer(settings),
  };
  return {
    services,
    boss,
    startJobs: () => prepareJobs(boss),
    async close() {
      await boss.stop({ graceful: true, close: false, wait: true, timeout: 5000 });
      await db.close();
    },
  };
}

export function embeddedDatabaseExists(settings: Settings): boolean {
  return existsSync(join(dataDirOf(settings), 'pgdata', 'PG_VERSION'));
}
