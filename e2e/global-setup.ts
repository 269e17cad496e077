import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const cli = join(repoRoot, 'packages/server/bin/verity.js');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the Verity server exited with code ${server.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Verity server was not ready within ${timeoutMs} ms (last: ${last})`);
}

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

  const port = await freePort();
  const log = createWriteStream(join(dataDir, 'server.log'));
  const server = spawn(process.execPath, [cli, 'start', '--data-dir', dataDir, '--port', String(port)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(baseUrl, server, 90_000);
  } catch (error) {
    server.kill('SIGTERM');
    throw new Error(`${error instanceof Error ? error.message : String(error)}; see ${join(dataDir, 'server.log')}`);
  }

  process.env.VERITY_BASE_URL = baseUrl;
  process.env.VERITY_DEMO_PASSWORD = password;
  process.env.VERITY_E2E_DATA_DIR = dataDir;

  return async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await Promise.race([new Promise((r) => server.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (!process.env.VERITY_E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}
