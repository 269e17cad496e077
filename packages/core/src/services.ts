import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirOf, filesDirOf, keyFileOf, securitySettingsOf, type Settings } from './config.js';
import { type Services, systemClock } from './context.js';
import { openPglite, openPostgres } from './db/database.js';
import { migrate } from './db/migrate.js';
import { loadOrCreateKey } from './kernel/keys.js';

/** Opens the database named by the settings (PostgreSQL or the embedded one), migrates it, loads the key. */
export async function openServices(settings: Settings): Promise<Services> {
  const dataDir = dataDirOf(settings);
  mkdirSync(dataDir, { recursive: true });
  const db = settings.DATABASE_URL ? openPostgres(settings.DATABASE_URL) : await openPglite({ dataDir: join(dataDir, 'pgdata') });
  await migrate(db);
  return {
    db,
    key: loadOrCreateKey(keyFileOf(settings)),
    clock: systemClock,
    settings: securitySettingsOf(settings),
    files: { dir: filesDirOf(settings) },
  };
}

export function embeddedDatabaseExists(settings: Settings): boolean {
  return existsSync(join(dataDirOf(settings), 'pgdata', 'PG_VERSION'));
}
