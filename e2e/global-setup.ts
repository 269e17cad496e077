import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureWebBuilt, repoRoot, startServer } from './server';

/**
 * Load the demo data into a fresh temporary data folder, start the server on a free port,
 * and hand the URL and the demo password to the tests through the environment.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // Against an already running server (e.g. while developing): VERITY_E2E_BASE_URL + VERITY_E2E_PASSWORD.
  if (process.env.VERITY_E2E_BASE_URL && process.env.VERITY_E2E_PASSWORD) {
    process.env.VERITY_BASE_URL = process.env.VERITY_E2E_BASE_URL;
    process.env.VERITY_DEMO_PASSWORD = process.env.VERITY_E2E_PASSWORD;
    return async () => {};
  }
  ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'verity-e2e-'));
  const password = `E2e-${randomBytes(9).toString('base64url')}-pw`;

  const demo = spawnSync(process.execPath, [cli, 'demo', '--data-dir', dataDir, '--password', password], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (demo.status !== 0) {
    throw new Error(`"verity demo" failed (exit ${demo.status}):\n${demo.stdout}\n${demo.stderr}`);
  }

  const server = await startServer(dataDir);

  process.env.VERITY_BASE_URL = server.baseUrl;
  process.env.VERITY_DEMO_PASSWORD = password;
  process.env.VERITY_E2E_DATA_DIR = dataDir;

  return async () => {
    await server.stop();
    if (!process.env.VERITY_E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}
