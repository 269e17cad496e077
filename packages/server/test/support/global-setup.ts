import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createBoss, type Database, migrate, openPglite, openPostgres, prepareJobs } from '@verity/core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: { kind: 'pglite'; file: string } | { kind: 'postgres'; url: string; template: string };
  }
}

/**
 * Migrates one template database per run; every test file then gets a fresh copy of it (a
 * PGlite data-folder image, or CREATE DATABASE ... TEMPLATE on PostgreSQL) instead of re-running
 * initdb and the migrations.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `verity_template_${process.pid}`;
    const admin = openPostgres(url, 1);
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const db = openPostgres(withDatabase(url, template), 2);
    await migrateAll(db);
    await db.close();
    project.provide('databaseTemplate', { kind: 'postgres', url, template });
    return async () => {
      const leftovers = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'verity_t_${process.pid}_%' OR datname = $1`, [template]);
      for (const { datname } of leftovers) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.close();
    };
  }
  const db = await openPglite();
  await migrateAll(db);
  const image = await (db as unknown as { pglite: { dumpDataDir(c: 'none'): Promise<Blob> } }).pglite.dumpDataDir('none');
  await db.close();
  const dir = resolve('.tmp');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await image.arrayBuffer()));
  project.provide('databaseTemplate', { kind: 'pglite', file });
}

/** Our schema and pg-boss's, with its queues: what a server creates at its first start. */
async function migrateAll(db: Database) {
  await migrate(db);
  const boss = createBoss(db, { worker: false });
  await prepareJobs(boss);
  await boss.stop({ graceful: false, close: false, wait: true, timeout: 1000 });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
