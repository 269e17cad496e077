import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const cli = join(repoRoot, 'packages/server/bin/verity.js');

export function freePort(): Promise<number> {
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

export async function waitForReady(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
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

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newestMtime(join(path, entry)));
  return latest;
}

/**
 * The server serves packages/web/dist: rebuild it when any web source (or the shared contracts)
 * is newer, so the browser never tests a stale bundle.
 */
export function ensureWebBuilt(): void {
  const index = join(repoRoot, 'packages/web/dist/index.html');
  const sources = ['packages/web/src', 'packages/web/index.html', 'packages/contracts/src'].map((p) => join(repoRoot, p)).filter(existsSync);
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  const build = spawnSync('npm', ['run', 'build', '-w', '@verity/web'], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  if (build.status !== 0) throw new Error(`building the web app failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
}

export interface StartedServer {
  baseUrl: string;
  process: ChildProcess;
  /** Everything the server printed on stdout so far. */
  stdout: () => string;
  stop: () => Promise<void>;
}

/** Start `verity start` on a free port over `dataDir`; the log goes to dataDir/server.log. */
export async function startServer(dataDir: string, timeoutMs = 90_000): Promise<StartedServer> {
  const port = await freePort();
  const log = createWriteStream(join(dataDir, 'server.log'));
  const child = spawn(process.execPath, [cli, 'start', '--data-dir', dataDir, '--port', String(port)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Many browser sign-ins from one address in a few minutes: raise the per-address sign-in limit.
    env: { ...process.env, NODE_ENV: 'production', VERITY_LOGIN_RATE_LIMIT: '1000' },
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    log.write(chunk);
  });
  child.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  };
  try {
    await waitForReady(baseUrl, child, timeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}; see ${join(dataDir, 'server.log')}`);
  }
  return { baseUrl, process: child, stdout: () => out, stop };
}
