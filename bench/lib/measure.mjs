// Latency statistics, a small closed-loop load generator over fetch (keep-alive, loopback), and the
// CPU time processes spent (Linux /proc), which a busy machine does not inflate as it does latency.
import { readFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

/** CPU milliseconds (user + system) a process has used so far; 0 when it is gone or /proc is missing. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** CPU used by a set of processes between start() and the returned stop(); pids() is asked at both ends. */
export async function cpuMeter(pids) {
  const before = new Map((await pids()).map((pid) => [pid, cpuMsOf(pid)]));
  return async () => {
    let total = 0;
    for (const pid of await pids()) total += cpuMsOf(pid) - (before.get(pid) ?? 0);
    return total;
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarise(latencies, elapsedMs) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    rps: elapsedMs ? (sorted.length * 1000) / elapsedMs : undefined,
  };
}

export const median = (values) => percentile([...values].sort((a, b) => a - b), 50);

/**
 * Sends `requests` requests from `concurrency` workers, each taking its next path from nextPath(),
 * after `warmup` sequential requests that are not counted. Stops early once `budgetMs` has passed
 * and at least `minimum` answers are in (slow scenarios). Every answer must be 200; bodies are read
 * whole but not parsed, so that the load generator takes little of the CPU it shares with the server.
 */
export async function load(client, nextPath, { requests, concurrency, warmup, budgetMs = Number.POSITIVE_INFINITY, minimum = 30, meters = {} }) {
  for (let i = 0; i < warmup; i++) await client.get(nextPath(), { raw: true });
  const stops = Object.fromEntries(await Promise.all(Object.entries(meters).map(async ([name, pids]) => [name, await cpuMeter(pids)])));
  const latencies = [];
  let issued = 0;
  const started = performance.now();
  const more = () => issued < requests && (issued < minimum || performance.now() - started < budgetMs);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        issued++;
        latencies.push((await client.get(nextPath(), { raw: true })).ms);
      }
    }),
  );
  const stats = summarise(latencies, performance.now() - started);
  stats.cpuPerRequest = {};
  for (const [name, stop] of Object.entries(stops)) stats.cpuPerRequest[name] = (await stop()) / latencies.length;
  return stats;
}

/** Times fn `runs` times after one untimed warm-up; returns the samples and their median. */
export async function repeat(fn, runs) {
  await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  return { samples, median: median(samples) };
}
