#!/usr/bin/env node
// The Verity command line. Runs the bundled server (dist/cli.mjs), rebuilding it first when any
// TypeScript source is newer than the bundle, so the bundle is never stale (ADR 0002).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
const sources = ['../../contracts/src/', '../../core/src/', '../src/'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(`${path}/`) : statSync(path).mtimeMs);
  }
  return latest;
}

const bundlePath = fileURLToPath(bundle);
if (!existsSync(bundlePath) || statSync(bundlePath).mtimeMs < Math.max(...sources.map(newest))) {
  const { buildServer } = await import('../build.mjs');
  await buildServer();
}
await import(bundle.href);
