// Measures, on an existing embedded data folder: wall time from `npm start` to a served sign-in
// page, and the server's resident memory once idle. Usage: node bench/startup.mjs [runs]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const bin = new URL('../packages/server/bin/verity.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'verity-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);
spawnSync(process.execPath, [bin, 'demo', '--data-dir', dataDir, '--password', 'Bench-password-2026'], { stdio: 'ignore' });

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const results = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent', '--', '--data-dir', dataDir, '--port', String(port)], { stdio: 'ignore', detached: true, cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, LOG_LEVEL: 'warn' } });
  let servedMs = null;
  while (performance.now() - started < 30_000) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/login`);
      if (response.ok && (await response.text()).includes('<div id="root">')) {
        servedMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  await sleep(10_000);
  const serverPid = Number(readFileSync(join(dataDir, 'verity.pid'), 'utf8'));
  const idleRss = rssOf(serverPid);
  process.kill(-child.pid, 'SIGTERM');
  await new Promise((r) => child.on('exit', r));
  results.push({ servedMs: Math.round(servedMs), idleRssMb: Math.round(idleRss) });
}
console.log(JSON.stringify({ runs: results, medianServedMs: results.map((r) => r.servedMs).sort((a, b) => a - b)[Math.floor(runs / 2)], maxIdleRssMb: Math.max(...results.map((r) => r.idleRssMb)) }, null, 2));
